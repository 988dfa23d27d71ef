/**
 * The way out must be exact: every stack synthesized as JSON (npm run synth) and as HCL (npm run synth:hcl), for
 * the lesson's stages and for the variants, planned offline (each stack in a Terraform run of its own, through
 * the provider pool, each plan made once per run: plan.test plans some of the same files), plans the same resources with the same values, the same unknowns and the same references.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { userData } from "../src/constructs/jump-host";
import { parseSettings, type SettingsInput } from "../src/settings/index";
import { STATE_STACK, addStateStack } from "../src/state/bootstrap";
import { STAGE_NAMES, WorkshopStage, type StageName } from "../src/stages";
import { synthesize } from "../src/synth";
import { terraformEnv } from "../src/terraform/config";
import { THREE_SERVICES } from "./support/services";
import { describeWithTerraform, planEachShared } from "./support/terraform";

jest.setTimeout(900_000);

/**
 * Settings, and the stacks of each planned from both formats: every stage of the lesson; a variant at the stage
 * that holds all of its resources (the stages are cumulative), and the S3 backend's own state stack.
 */
const VARIANTS: Record<string, { input: SettingsInput; stacks: readonly string[] }> = {
  lesson: { input: {}, stacks: STAGE_NAMES },
  ec2: { input: { service: { launchType: "EC2" }, ec2Capacity: { instanceType: "t4g.small", sshKeyPairName: "lesson-key" } }, stacks: ["autoscaling"] },
  three: { input: THREE_SERVICES, stacks: ["autoscaling"] },
  endpoints: { input: { network: { enableVpcEndpoints: true }, service: { imageSource: "repository" } }, stacks: ["alb"] },
  // NAT moves the tasks and the jump host into private subnets; the host is x86 with SSH from inside the VPC
  nat: {
    input: { network: { nat: "perAz" }, jumpHost: { instanceType: "t3.micro", sshKeyPairName: "lesson-key", sshAllowedCidr: "10.0.0.0/16" } },
    stacks: ["autoscaling"],
  },
  s3: { input: { backend: { type: "s3", bucket: "team-state", locking: "both", lockTable: "team-locks" } }, stacks: [STATE_STACK, "db"] },
};
const FORMATS = ["json", "hcl"] as const;
/** [variant, stack] of every stack planned from both formats. */
const PAIRS = Object.entries(VARIANTS).flatMap(([variant, { stacks }]) => stacks.map((stack) => [variant, stack] as const));
/** The name a stack's plan is made and read under: one per format, variant and stack. */
const planKey = (format: (typeof FORMATS)[number], variant: string, stack: string) => `${format}_${variant}_${stack}`;

interface ResourceChange {
  readonly address: string;
  readonly change: { readonly actions: string[]; readonly after: unknown; readonly after_unknown: unknown };
}
interface ConfigResource {
  readonly address: string;
  readonly expressions?: unknown;
  readonly depends_on?: string[];
}
interface ShownPlan {
  readonly resource_changes: ResourceChange[];
  readonly configuration: { root_module: { resources?: ConfigResource[] } };
}

/** Every path at which two JSON values differ, with both values. */
function differences(a: unknown, b: unknown, path = ""): string[] {
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    if (Array.isArray(a) !== Array.isArray(b)) return [`${path}: ${JSON.stringify(a)} | ${JSON.stringify(b)}`];
    return keys.flatMap((key) => differences((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`));
  }
  return a === b ? [] : [`${path}: ${JSON.stringify(a)?.slice(0, 200)} | ${JSON.stringify(b)?.slice(0, 200)}`];
}

/** Every reference an expression tree of the plan's configuration names. */
function references(expressions: unknown): string[] {
  if (Array.isArray(expressions)) return expressions.flatMap(references);
  if (expressions === null || typeof expressions !== "object") return [];
  return Object.entries(expressions).flatMap(([key, value]) => (key === "references" ? (value as string[]) : references(value)));
}

describeWithTerraform("HCL and JSON plan the same, for every stage and variant", () => {
  let workDir: string;
  const shown = new Map<string, ShownPlan>();
  /** Per stack, its planned changes by address. */
  const planned = (stack: string): Map<string, ResourceChange["change"]> => new Map(shown.get(stack)?.resource_changes.map((c) => [c.address, c.change]));
  const configured = (stack: string): ConfigResource[] => shown.get(stack)?.configuration.root_module.resources ?? [];

  beforeAll(async () => {
    // GIVEN the app synthesized as npm run synth and npm run synth:hcl write it, for the lesson and each variant
    workDir = mkdtempSync(join(tmpdir(), "workshop-hcl-plan-"));
    const stacks: Record<string, string> = {};
    for (const [variant, { input, stacks: kept }] of Object.entries(VARIANTS)) {
      const settings = parseSettings(input);
      for (const format of FORMATS) {
        const outdir = join(workDir, `${variant}-${format}`);
        // the stacks it plans, each as the app defines it (a stack's files do not depend on its siblings)
        await synthesize({ outdir, hcl: format === "hcl" }, (app) =>
          kept.forEach((stack) => (stack === STATE_STACK ? addStateStack(app, { settings, offline: true }) : new WorkshopStage(app, stack as StageName, { settings, offline: true }))),
        );
        for (const stack of kept) stacks[planKey(format, variant, stack)] = join(outdir, "stacks", stack);
      }
    }
    // WHEN each of them is planned, and each plan read whole
    const plans = await planEachShared(stacks, terraformEnv(workDir, { offline: true }));
    for (const [stack, { shown: json }] of Object.entries(plans)) shown.set(stack, JSON.parse(json) as ShownPlan);
  });

  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  test("each stack was planned from its JSON and from its HCL, and plans resources", () => {
    for (const [variant, stack] of PAIRS) {
      const files = (format: string) => readdirSync(join(workDir, `${variant}-${format}`, "stacks", stack)).filter((f) => f.startsWith("cdk.tf"));
      expect([files("json"), files("hcl")]).toEqual([["cdk.tf.json"], ["cdk.tf"]]);
      expect(planned(planKey("hcl", variant, stack)).size).toBeGreaterThan(0);
    }
  });

  test.each(PAIRS)("%s %s: HCL plans the same resources, each with the same values and unknowns as JSON", (variant, stack) => {
    const [json, hcl] = [planned(planKey("json", variant, stack)), planned(planKey("hcl", variant, stack))];
    expect([...hcl.keys()].sort()).toEqual([...json.keys()].sort());
    const found = [...json].flatMap(([address, change]) => {
      const other = hcl.get(address);
      return [
        ...differences(change.actions, other?.actions, `${address} actions`),
        ...differences(change.after, other?.after, `${address} after`),
        ...differences(change.after_unknown, other?.after_unknown, `${address} after_unknown`),
      ];
    });
    expect(found).toEqual([]);
  });

  test.each(PAIRS)("%s %s: HCL gives every resource the same references and depends_on as JSON", (variant, stack) => {
    const shape = (module: string) =>
      Object.fromEntries(configured(module).map((r) => [r.address, { references: [...new Set(references(r.expressions))].sort(), dependsOn: r.depends_on ?? [] }]));
    expect(shape(planKey("hcl", variant, stack))).toEqual(shape(planKey("json", variant, stack)));
  });

  test("the jump host's user data plans as the hash of the script itself from either format, so switching format keeps the host", () => {
    // (the provider keeps the SHA-1 of the script; with user_data_replace_on_change another hash is a new host)
    const script = createHash("sha1").update(userData("17")).digest("hex");
    for (const format of FORMATS) {
      const host = [...planned(planKey(format, "lesson", "db"))].find(([address]) => address.startsWith("aws_instance."))?.[1];
      expect((host?.after as { user_data?: string }).user_data).toBe(script);
    }
  });
});
