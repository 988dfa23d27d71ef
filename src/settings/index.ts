/**
 * The settings: one typed object whose defaults are the lesson's values, an optional JSON file of overrides
 * (path in WORKSHOP_CONFIG), a JSON Schema generated from the same definition, and validation of everything
 * before a single construct is made.
 *
 * This module only composes: each section (network.ts, database.ts, ...) holds its schema, its lesson
 * defaults and its checks, beside the construct of the same name in src/constructs/. The building blocks
 * are in blocks.ts, AWS facts in facts/, the file reader in file.ts and the error report in report.ts.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";
import { defaultZones } from "./facts/regions";
import { autoscalingProblems, autoscalingSettings } from "./autoscaling";
import { backendLocationProblems, backendSettings } from "./backend";
import { deepFreeze, quote, show, strictGroup } from "./blocks";
import { databaseProblems, databaseSettings } from "./database";
import { discoverySettings, namespaceProblems } from "./discovery";
import { ec2CapacityProblems, ec2CapacitySettings } from "./ec2-capacity";
import { SettingsFileError, decodeSettingsFile, parseStrictJson } from "./file";
import { jumpHostProblems, jumpHostSettings, withCanonicalSshRange } from "./jump-host";
import { httpsProblems, loadBalancerSettings } from "./load-balancer";
import { networkSettings, subnetProblems, withSubnets } from "./network";
import { registryProblems, registrySettings } from "./registry";
import { ConfigError, describeIssue, kindOf } from "./report";
import { serviceProblems, serviceSettings, servicesList } from "./service";
import { containerPortProblems, imagePullProblems, resolveServices, serviceLimitProblems, serviceListProblems } from "./services";
import { availabilityZones, extraTags, namePrefix, namePrefixProblems, region, tagProblems, zoneProblems } from "./stage";

export { ConfigError } from "./report";

export const CONFIG_ENV = "WORKSHOP_CONFIG";

export const SettingsSchema = strictGroup({
  $schema: z.string().optional().describe("Path or URL of this schema, for editors."),
  namePrefix,
  region,
  availabilityZones,
  extraTags,
  backend: backendSettings,
  network: networkSettings,
  database: databaseSettings,
  jumpHost: jumpHostSettings,
  registry: registrySettings,
  service: serviceSettings,
  ec2Capacity: ec2CapacitySettings,
  loadBalancer: loadBalancerSettings,
  autoscaling: autoscalingSettings,
  services: servicesList,
  serviceDiscovery: discoverySettings,
}).describe("Settings of the container workshop stages. Every field is optional; defaults are the lesson's values.");

type ParsedSettings = z.output<typeof SettingsSchema>;
/** The settings with every default applied, zones and subnets included. */
export type Settings = Omit<ParsedSettings, "availabilityZones" | "network"> & {
  availabilityZones: string[];
  network: Required<ParsedSettings["network"]>;
};
export type SettingsInput = z.input<typeof SettingsSchema>;

/** The JSON Schema of the settings file, from the same definition the loader uses. */
export function settingsJsonSchema(): object {
  return z.toJSONSchema(SettingsSchema, { io: "input", unrepresentable: "any" });
}

export interface ParseOptions {
  /** Where the input came from, for messages. @default "settings" */
  readonly source?: string;
  /** The day support windows are judged on. @default - now */
  readonly today?: Date;
}

/** Zones default to the region's first three; subnets to consecutive blocks of the VPC, public first. */
function withDerivedDefaults(parsed: ParsedSettings, problems: string[]): Settings {
  const zones = parsed.availabilityZones ?? defaultZones(parsed.region) ?? [];
  if (zones.length === 0 && parsed.availabilityZones === undefined) {
    problems.push(
      `availabilityZones: missing, and needed for region ${show(parsed.region)}, whose zone names differ between accounts; ` +
        `name 2 or 3 zones your account has (aws ec2 describe-availability-zones --region ${parsed.region}), e.g. ["${parsed.region}a", "${parsed.region}b"]`,
    );
    return { ...parsed, availabilityZones: zones, network: { ...parsed.network, publicSubnetCidrs: [], privateSubnetCidrs: [] } };
  }
  return { ...parsed, availabilityZones: zones, network: withSubnets(parsed.network, zones, problems) };
}

/** Every check that spans settings, in the order their problems are listed. */
function settingsProblems(s: Settings, today: Date): string[] {
  const specs = resolveServices(s);
  const limitProblems = serviceLimitProblems(s, specs);
  return [
    // Limits of the services list first: thousands of services are one problem, not thousands.
    ...limitProblems,
    ...namePrefixProblems(s),
    ...zoneProblems(s),
    ...subnetProblems(s),
    ...databaseProblems(s.database, today),
    ...serviceProblems(s.service),
    ...registryProblems(s),
    ...autoscalingProblems(s.autoscaling),
    ...ec2CapacityProblems(s),
    ...tagProblems(s),
    ...serviceListProblems(s, specs, limitProblems.length > 0),
    ...containerPortProblems(s, specs),
    ...namespaceProblems(s),
    ...httpsProblems(s),
    ...jumpHostProblems(s),
    ...imagePullProblems(s, specs),
    ...backendLocationProblems(s),
  ];
}

let lessonDefaults: Settings | undefined;

/** The lesson's values: the settings when nothing is overridden. */
export function defaultSettings(): Settings {
  lessonDefaults ??= deepFreeze(parseSettings({}));
  return lessonDefaults;
}

/** Validates partial settings and fills in the lesson's defaults; throws ConfigError listing every problem. */
export function parseSettings(input: unknown, options: ParseOptions = {}): Settings {
  const source = options.source ?? "settings";
  const parsed = SettingsSchema.safeParse(input ?? {}, { reportInput: true });
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.flatMap((issue) => describeIssue(issue, input)), source);
  }
  const problems: string[] = [];
  const settings = withDerivedDefaults(parsed.data, problems);
  problems.push(...settingsProblems(settings, options.today ?? new Date()));
  if (problems.length > 0) throw new ConfigError(problems, source);
  return { ...settings, jumpHost: withCanonicalSshRange(settings.jumpHost) };
}

/** The lesson's settings, overridden by the JSON file named in WORKSHOP_CONFIG when it is set. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const file = env[CONFIG_ENV];
  if (!file) return parseSettings({});
  const path = resolve(file);
  const refuse = (problem: string) => new ConfigError([`${CONFIG_ENV}: ${quote(file)} ${problem}`]);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw refuse(code === "EISDIR" ? "is a folder; name a JSON file" : `cannot be read (${code}); unset it or name a JSON file`);
  }
  let input: unknown;
  try {
    input = parseStrictJson(decodeSettingsFile(bytes));
  } catch (e) {
    if (e instanceof SettingsFileError) throw refuse(e.message);
    throw e;
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw refuse(`must hold a JSON object of settings, not ${kindOf(input)}`);
  }
  if ("lineage" in input && "terraform_version" in input) throw refuse("is a Terraform state file, not a settings file");
  return parseSettings(input, { source: `settings in ${path}` });
}
