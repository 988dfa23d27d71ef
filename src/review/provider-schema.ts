/** The AWS provider's schema, as `terraform providers schema -json` prints it, read once per provider version. */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
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
const loaded = new Map<string, Promise<ProviderSchema>>();

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
 * The AWS provider's resource schemas for an initialized stack folder. `terraform providers schema -json`
 * runs once per provider version; its resource schemas are kept in `cacheDir` (under .workshop/).
 */
export function providerSchema(stackDir: string, env: NodeJS.ProcessEnv, cacheDir: string): Promise<ProviderSchema> {
  const version = lockedVersion(stackDir);
  const file = join(cacheDir, `aws-${version}.json`);
  // Concurrent reviews in one process share one computation.
  const known = loaded.get(file) ?? readOrComputeSchema(file, version, stackDir, env, cacheDir);
  loaded.set(file, known);
  known.catch(() => loaded.delete(file));
  return known;
}

async function readOrComputeSchema(file: string, version: string, stackDir: string, env: NodeJS.ProcessEnv, cacheDir: string): Promise<ProviderSchema> {
  let schema: ProviderSchema;
  if (existsSync(file)) {
    schema = JSON.parse(readFileSync(file, "utf8")) as ProviderSchema;
  } else {
    // (offline, from a provider of the pool, asked for its whole schema)
    const all = JSON.parse(await terraform(["providers", "schema", "-json"], { cwd: stackDir, env }, runWithWholeSchema)) as {
      provider_schemas: Record<string, { resource_schemas: Record<string, ResourceSchema> }>;
    };
    schema = { provider: AWS_PROVIDER, version, resources: all.provider_schemas[AWS_PROVIDER].resource_schemas };
    mkdirSync(cacheDir, { recursive: true });
    // Written whole, then renamed, so concurrent runs never read half a file.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(schema));
    renameSync(partial, file);
  }
  return schema;
}
