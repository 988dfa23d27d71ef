/** The AWS provider's resource schemas, as `terraform providers schema -json` prints them, computed once per provider version. */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { providerUse, runWithWholeSchema } from "../terraform/provider-pool";
import { terraform } from "../terraform/run";


/** A cty type in JSON: "string", "number", "bool", "dynamic", ["list", T], ["object", {..}], ["tuple", [..]] ... */
export type CtyType = string | [string, unknown];

export interface SchemaAttribute {
  readonly type?: CtyType;
  readonly nested_type?: { attributes: Record<string, SchemaAttribute>; nesting_mode: string };
  readonly computed?: boolean;
}

export interface SchemaBlock {
  readonly attributes?: Record<string, SchemaAttribute>;
  readonly block_types?: Record<string, { nesting_mode: string; block: SchemaBlock }>;
}

export interface ResourceSchema {
  readonly version: number;
  readonly block: SchemaBlock;
}

/** The resource schemas of one provider, by resource type. */
export interface ProviderSchema {
  readonly provider: string;
  readonly version: string;
  readonly resources: Record<string, ResourceSchema>;
}

export const AWS_PROVIDER = "registry.terraform.io/hashicorp/aws";

/**
 * The provider version an initialized stack folder selected, from its lock file; a folder initialized for a
 * reattached provider (provider-pool.ts) has none, and uses the exact version its configuration requires.
 */
export function lockedVersion(stackDir: string, provider = AWS_PROVIDER): string {
  const lockFile = join(stackDir, ".terraform.lock.hcl");
  const required = existsSync(lockFile) ? undefined : providerUse(stackDir).version;
  if (required) return required;
  const lock = readFileSync(lockFile, "utf8");
  const block = lock.slice(lock.indexOf(`provider "${provider}"`));
  const version = /version\s*=\s*"([^"]+)"/.exec(block)?.[1];
  if (!version) throw new Error(`${stackDir}/.terraform.lock.hcl selects no version of ${provider}`);
  return version;
}

/**
 * The AWS provider's schemas of `types` for an initialized stack folder. `terraform providers schema -json` runs
 * once per provider version; each resource type's schema is kept in a file of its own under
 * `cacheDir/aws-<version>/`, so that a review reads only the types its stack holds (all 1,526 of them are 12 MB of
 * JSON, which took a third of a second to parse in every preview).
 */
export async function providerSchema(stackDir: string, env: NodeJS.ProcessEnv, cacheDir: string, types: Iterable<string>): Promise<ProviderSchema> {
  const version = lockedVersion(stackDir);
  const dir = join(cacheDir, `aws-${version}`);
  if (!existsSync(join(dir, COMPLETE))) {
    // Concurrent reviews in one process share one computation.
    const computing = computed.get(dir) ?? computeSchema(dir, stackDir, env);
    computed.set(dir, computing);
    computing.catch(() => computed.delete(dir));
    await computing;
  }
  const resources: Record<string, ResourceSchema> = {};
  for (const type of new Set(types)) {
    const file = join(dir, `${type}.json`);
    // (a type the provider does not have has no file, and no schema; a type name is never a path)
    if (TYPE_NAME.test(type) && existsSync(file)) resources[type] = JSON.parse(readFileSync(file, "utf8")) as ResourceSchema;
  }
  return { provider: AWS_PROVIDER, version, resources };
}

/** Written last into a version's folder: the folder holds every type. */
const COMPLETE = "complete";
const TYPE_NAME = /^[a-z][a-z0-9_]*$/;
const computed = new Map<string, Promise<void>>();

async function computeSchema(dir: string, stackDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  // (offline, from a provider of the pool, asked for its whole schema)
  const all = JSON.parse(await terraform(["providers", "schema", "-json"], { cwd: stackDir, env }, runWithWholeSchema)) as {
    provider_schemas: Record<string, { resource_schemas: Record<string, ResourceSchema> }>;
  };
  // Written into a folder of its own, then renamed, so concurrent runs never read half of it.
  const partial = `${dir}.${process.pid}.tmp`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  for (const [type, schema] of Object.entries(all.provider_schemas[AWS_PROVIDER].resource_schemas)) {
    if (TYPE_NAME.test(type)) writeFileSync(join(partial, `${type}.json`), JSON.stringify(schema));
  }
  writeFileSync(join(partial, COMPLETE), "");
  try {
    renameSync(partial, dir);
  } catch (error) {
    // Another run put its folder there first (a folder only ever appears there whole): it serves.
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(join(dir, COMPLETE))) throw error;
  }
}
