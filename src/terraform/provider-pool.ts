/**
 * Offline Terraform runs without a provider start each: a small pool of AWS providers in debug mode
 * (provider-process.ts), each lent to ONE Terraform run at a time. A provider holds one configuration (region,
 * default tags, credentials) per process, and the last run to configure it wins, so two runs never share one at
 * the same time, and a folder with more than one AWS provider configuration (aliases, or stacks as modules of a
 * root, each with its own provider block) is never reattached at all: such runs and every online run keep
 * Terraform's own provider handling. So does any stack whose exact provider version the mirror does not hold.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../settings/report";
import { OFFLINE_ENV, findProviderMirror } from "./config";
import { AWS_PROVIDER_ADDRESS, startProvider, type RunningProvider } from "./provider-process";
import { runTerraform, type TerraformOptions, type TerraformRun } from "./run";

/** "off" runs every Terraform command with its own provider; a number sizes the pool. @default - one per core, at least 2 and at most 4 */
export const POOL_ENV = "WORKSHOP_PROVIDER_POOL";

/** Providers lent one run at a time; started when first needed, restarted when one has died. */
export class ProviderPool {
  private readonly idle: RunningProvider[] = [];
  private readonly all = new Set<RunningProvider>();
  private readonly waiting: Array<() => void> = [];
  private starting = 0;
  private closed = false;

  constructor(
    readonly size: number,
    /** Starts one provider (startProvider with the binary and the providers' environment). */
    private readonly start: () => Promise<RunningProvider>,
    /** Names the pool in errors. */
    readonly name: string,
  ) {}

  /**
   * Runs `run` with a provider lent to it alone until it settles; `reattach` is TF_REATTACH_PROVIDERS. The
   * provider's schema holds only `types` (resource and data source types) when they are given.
   */
  async lend<T>(run: (reattach: string) => Promise<T>, types?: ReadonlySet<string>): Promise<T> {
    const provider = await this.take();
    try {
      provider.only(types);
      return await run(provider.reattach);
    } finally {
      if (provider.alive()) this.idle.push(provider);
      else this.all.delete(provider);
      this.waiting.shift()?.();
    }
  }

  /** Starts a provider now, so that it is ready by the first run (errors show at that run). */
  warm(): void {
    if (this.all.size + this.starting === 0) this.lend(async () => undefined).catch(() => undefined);
  }

  /** Stops every provider of the pool; runs that wait for one fail. */
  async close(): Promise<void> {
    this.closed = true;
    this.waiting.splice(0).forEach((wake) => wake());
    await Promise.all([...this.all].map((p) => p.stop()));
    this.all.clear();
    this.idle.length = 0;
  }

  private async take(): Promise<RunningProvider> {
    for (;;) {
      if (this.closed) throw new Error(`the provider pool of ${this.name} is closed`);
      const idle = this.idle.pop();
      if (idle?.alive()) return idle;
      if (idle) this.all.delete(idle);
      else if (this.all.size + this.starting < this.size) return this.startOne();
      else await new Promise<void>((wake) => this.waiting.push(wake));
    }
  }

  private async startOne(): Promise<RunningProvider> {
    this.starting++;
    try {
      const provider = await this.start();
      this.all.add(provider);
      if (!this.closed) return provider;
      await provider.stop();
      throw new Error(`the provider pool of ${this.name} is closed`);
    } catch (error) {
      this.waiting.shift()?.();
      throw error;
    } finally {
      this.starting--;
    }
  }
}

let cores: number | undefined;
/** The machine's cores, read once (os.cpus() reads /proc each time, and every offline run asks). */
const coreCount = () => (cores ??= cpus().length);

/** Pool size from WORKSHOP_PROVIDER_POOL: 0 for "off". */
export function poolSize(env: NodeJS.ProcessEnv, cores = coreCount()): number {
  const value = env[POOL_ENV];
  if (value === undefined || value === "") return Math.min(4, Math.max(2, cores));
  if (value === "off" || value === "0") return 0;
  if (/^[1-9]\d?$/.test(value)) return Number(value);
  throw new ConfigError([`${POOL_ENV}: "${value}" is not a pool size; allowed: "off", or a number of providers from 1 to 99`], "environment");
}

/** Terraform's name of this machine's platform ("linux_amd64"); undefined where the pool does not run (Windows). */
export function terraformPlatform(): string | undefined {
  const arch: Record<string, string> = { x64: "amd64", arm64: "arm64", ia32: "386", arm: "arm" };
  if (process.platform === "win32" || !arch[process.arch]) return undefined;
  return `${process.platform}_${arch[process.arch]}`;
}

/** The provider binary of an exact hashicorp/aws version in an unpacked mirror, or undefined. */
export function mirrorBinary(mirror: string | undefined, version: string): string | undefined {
  const os = terraformPlatform();
  if (!mirror || !os) return undefined;
  const dir = join(mirror, AWS_PROVIDER_ADDRESS, version, os);
  if (!existsSync(dir)) return undefined;
  const name = readdirSync(dir).find((file) => file.startsWith("terraform-provider-aws") && !file.endsWith(".zip"));
  return name && statSync(join(dir, name)).mode & 0o111 ? join(dir, name) : undefined;
}

/** What decides whether a folder's runs may use the pool, and with which part of the schema. */
export interface ProviderUse {
  /** The exact hashicorp/aws version the folder requires (and has locked, if it has a lock file). */
  readonly version?: string;
  /** How many AWS provider configurations a run of the folder would hold (Infinity: modules, not counted). */
  readonly configurations: number;
  /** The resource, data source and ephemeral types of its configuration and state files; undefined: not known. */
  readonly types?: ReadonlySet<string>;
}

interface TerraformJson {
  provider?: { aws?: unknown };
  module?: object;
  terraform?: { required_providers?: { aws?: { version?: string } } };
  resource?: object;
  data?: object;
  ephemeral?: object;
}

function parsed<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** Reads a folder's Terraform files (JSON and HCL) and state files for its AWS provider version, configurations and types. */
export function providerUse(dir: string): ProviderUse {
  const files = existsSync(dir) ? readdirSync(dir) : [];
  let configurations = 0;
  const versions = new Set<string>();
  const types = new Set<string>();
  for (const file of files.filter((f) => /\.tf(\.json)?$/.test(f))) {
    const text = readFileSync(join(dir, file), "utf8");
    if (file.endsWith(".json")) {
      const json = parsed<TerraformJson>(text);
      // Plain Terraform says what is wrong with a file that is not JSON.
      if (!json) return { configurations: Infinity };
      const aws = json.provider?.aws;
      configurations += json.module ? Infinity : Array.isArray(aws) ? aws.length : aws ? 1 : 0;
      const version = json.terraform?.required_providers?.aws?.version;
      if (version) versions.add(version);
      for (const block of [json.resource, json.data, json.ephemeral]) Object.keys(block ?? {}).forEach((type) => types.add(type));
    } else {
      configurations += /^\s*module\s+"/m.test(text) ? Infinity : (text.match(/^\s*provider\s+"aws"/gm) ?? []).length;
      const version = /required_providers\s*\{[^}]*?\baws\s*=\s*\{[^}]*?\bversion\s*=\s*"([^"]+)"/.exec(text)?.[1];
      if (version) versions.add(version);
      for (const [, type] of text.matchAll(/^\s*(?:resource|data|ephemeral)\s+"([^"]+)"/gm)) types.add(type);
    }
  }
  let readable = true;
  for (const file of files.filter((f) => f.endsWith(".tfstate"))) {
    const state = parsed<{ resources?: Array<{ type: string }> }>(readFileSync(join(dir, file), "utf8"));
    // Terraform says what is wrong with a state it cannot read; until then, the whole schema.
    if (!state) readable = false;
    for (const { type } of state?.resources ?? []) types.add(type);
  }
  const lock = join(dir, ".terraform.lock.hcl");
  if (existsSync(lock)) {
    const block = readFileSync(lock, "utf8").split(`provider "${AWS_PROVIDER_ADDRESS}"`)[1];
    versions.add(/version\s*=\s*"([^"]+)"/.exec(block ?? "")?.[1] ?? "unknown");
  }
  const [version, ...others] = [...versions];
  const exact = version !== undefined && others.length === 0 && /^\d+\.\d+\.\d+$/.test(version);
  return { version: exact ? version : undefined, configurations, types: readable ? types : undefined };
}

const pools = new Map<string, ProviderPool>();

/** The shared pool of one provider version for offline runs with `env`, or undefined when runs stay plain. */
export function providerPool(env: NodeJS.ProcessEnv, version: string): ProviderPool | undefined {
  if (env[OFFLINE_ENV] !== "1") return undefined;
  const size = poolSize(env);
  const binary = size > 0 ? mirrorBinary(findProviderMirror(env), version) : undefined;
  if (!binary) return undefined;
  // One pool per set of AWS settings.
  const aws = Object.entries(env).filter(([key]) => key.startsWith("AWS_")).sort();
  const key = JSON.stringify([binary, size, aws]);
  // The providers' AWS settings come from their own environment, not from Terraform's.
  const pool = pools.get(key) ?? new ProviderPool(size, () => startProvider(binary, env), binary);
  pools.set(key, pool);
  return pool;
}

/** The pool that serves offline runs in `dir`, or undefined when they must keep Terraform's own provider handling. */
export function providersFor(dir: string, env: NodeJS.ProcessEnv, use = providerUse(dir)): ProviderPool | undefined {
  if (env[OFFLINE_ENV] !== "1") return undefined;
  return use.version && use.configurations <= 1 ? providerPool(env, use.version) : undefined;
}

/**
 * Runs terraform: offline, through a provider lent from the pool when one serves the folder, with the schema of
 * the folder's types only; otherwise plain. A run that fails so is run again with the whole schema, so that
 * the smaller schema can never be the cause of a failure.
 */
export async function runWithProviders(args: string[], options: TerraformOptions, schema: "folder" | "whole" = "folder"): Promise<TerraformRun> {
  if (options.env[OFFLINE_ENV] !== "1") return runTerraform(args, options);
  const use = providerUse(options.cwd);
  const pool = providersFor(options.cwd, options.env, use);
  if (!pool) return runTerraform(args, options);
  const run = (types?: ReadonlySet<string>) =>
    pool.lend((reattach) => runTerraform(args, { ...options, env: { ...options.env, TF_REATTACH_PROVIDERS: reattach } }), types);
  const first = await run(schema === "folder" ? use.types : undefined);
  return first.status === 0 || schema === "whole" ? first : run();
}

/** runWithProviders for a command that needs every type's schema (`terraform providers schema`). */
export const runWithWholeSchema = (args: string[], options: TerraformOptions) => runWithProviders(args, options, "whole");

/** The hashicorp/aws version @cdktf/provider-aws binds, which every synthesized stack requires. */
export function boundProviderVersion(): string {
  const manifest = JSON.parse(readFileSync(require.resolve("@cdktf/provider-aws/package.json"), "utf8")) as { cdktf: { provider: { version: string } } };
  return manifest.cdktf.provider.version;
}

/** Stops every provider the pools of this process started. Tools call it when they end; the exit handlers are the safety net. */
export async function closeProviderPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((pool) => pool.close()));
}
