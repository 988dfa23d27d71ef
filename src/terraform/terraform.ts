/**
 * Running the real Terraform CLI for this project: a CLI config of the project's own (never the user's),
 * the provider mirror, the offline switch, and init/validate/plan of one synthesized stage.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { ConfigError } from "../settings/index";
import { UserError } from "../common/errors";

/** Folder (ignored by git) for the project's Terraform CLI config and offline output. */
export const WORK_DIR = ".workshop";
/** Path of a Terraform provider filesystem mirror; "off" forces the public registry. @default - auto-detected */
export const MIRROR_ENV = "WORKSHOP_PROVIDER_MIRROR";
/** "1" switches on offline planning: provider skip flags and dummy credentials. Never set it for a deploy. */
export const OFFLINE_ENV = "WORKSHOP_OFFLINE";
/** The synthesized output cdktf deploys from (cdktf.json "output"). */
export const DEPLOY_OUTDIR = "cdktf.out";
/** Where offline synthesis goes, so that it never lands where cdktf deploys from. */
export const OFFLINE_OUTDIR = join(WORK_DIR, "offline");

/**
 * Terraform's own implied local mirror directories on Linux and macOS (the CLI configuration docs, "Implied
 * Local Mirror Directories"): the user's plugins folder and terraform/plugins under each XDG data directory.
 */
export function impliedMirrorDirs(env: NodeJS.ProcessEnv = process.env, home = homedir()): string[] {
  const dataHome = env.XDG_DATA_HOME || join(home, ".local", "share");
  const dataDirs = (env.XDG_DATA_DIRS || "/usr/local/share:/usr/share").split(":").filter(Boolean);
  return [join(home, ".terraform.d", "plugins"), ...[dataHome, ...dataDirs].map((dir) => join(dir, "terraform", "plugins"))];
}

/** "<host>/<namespace>/<type>" of every provider a mirror folder holds. */
export function mirroredProviders(mirror: string): string[] {
  const dirs = (path: string) =>
    existsSync(path) ? readdirSync(path, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name) : [];
  return dirs(mirror).flatMap((host) =>
    dirs(join(mirror, host)).flatMap((namespace) => dirs(join(mirror, host, namespace)).map((type) => `${host}/${namespace}/${type}`)),
  );
}

/** The provider mirror to use: WORKSHOP_PROVIDER_MIRROR, else the first implied mirror folder that holds hashicorp/aws. */
export function findProviderMirror(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = env[MIRROR_ENV];
  if (chosen === "off") return undefined;
  if (chosen) {
    if (mirroredProviders(chosen).length === 0) {
      throw new ConfigError(
        [`${MIRROR_ENV}: "${chosen}" holds no providers (expected <host>/<namespace>/<type>/<version>/...); unset it to auto-detect, or "off"`],
        "environment",
      );
    }
    return resolve(chosen);
  }
  return impliedMirrorDirs(env).find((dir) => mirroredProviders(dir).includes("registry.terraform.io/hashicorp/aws"));
}

/** Terraform CLI config: providers the mirror holds come from it, all others from their registries. */
export function cliConfig(mirror: string | undefined): string {
  if (!mirror) return "# No provider mirror: providers come from the public registry.\n";
  const quoted = mirroredProviders(mirror).map((p) => JSON.stringify(p)).join(", ");
  return `# Written by the project; see ${MIRROR_ENV} in README.md.
provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(mirror)}
    include = [${quoted}]
  }
  direct {
    exclude = [${quoted}]
  }
}
`;
}

/** Writes the project's CLI config into .workshop/ and returns its path. */
export function writeCliConfig(projectDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = join(projectDir, WORK_DIR);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "terraform.rc");
  writeFileSync(path, cliConfig(findProviderMirror(env)));
  return path;
}

/**
 * The environment for Terraform and cdktf commands of this project. Offline, it adds dummy credentials and
 * the offline switch, and drops any real AWS profile or session so nothing can reach an account.
 */
export function terraformEnv(projectDir: string, options: { offline: boolean }, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = {
    ...env,
    TF_CLI_CONFIG_FILE: writeCliConfig(projectDir, env),
    CHECKPOINT_DISABLE: "1",
    TF_IN_AUTOMATION: "1",
  };
  if (!options.offline) return result;
  for (const key of ["AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE"]) {
    delete result[key];
  }
  return {
    ...result,
    [OFFLINE_ENV]: "1",
    AWS_ACCESS_KEY_ID: "offline-dummy-key",
    AWS_SECRET_ACCESS_KEY: "offline-dummy-secret",
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

/**
 * Reads the offline switch. It may only synthesize away from cdktf.out, so an offline stack is never the
 * one `cdktf deploy` applies.
 */
export function offlineMode(env: NodeJS.ProcessEnv, outdir: string, projectDir = process.cwd()): boolean {
  const value = env[OFFLINE_ENV];
  if (value === undefined || value === "" || value === "0") return false;
  if (value !== "1") throw new ConfigError([`${OFFLINE_ENV}: "${value}" is not a switch; allowed: "1" (offline planning) or unset`], "environment");
  if (resolve(projectDir, outdir) === resolve(projectDir, DEPLOY_OUTDIR)) {
    throw new ConfigError(
      [`${OFFLINE_ENV}: "1" must not synthesize into ${DEPLOY_OUTDIR}, which cdktf deploys from; use npm run plan:offline, or --output ${OFFLINE_OUTDIR}`],
      "environment",
    );
  }
  return true;
}

export interface TerraformOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Written to terraform's standard input. @default - nothing */
  readonly stdin?: string;
  /** Kill terraform after this long. @default 600000 (10 minutes) */
  readonly timeoutMs?: number;
}

export interface TerraformRun {
  /** Exit code; null when terraform was killed. */
  readonly status: number | null;
  readonly stdout: string;
  /** stderr, then stdout: what a person would read. */
  readonly output: string;
}

/**
 * Runs terraform without blocking this process (servers in the same process keep answering) and resolves
 * with its exit code and output, whether it succeeded or not.
 */
export function runTerraform(args: string[], options: TerraformOptions): Promise<TerraformRun> {
  const timeoutMs = options.timeoutMs ?? 600_000;
  return new Promise((resolvePromise, reject) => {
    const child = spawn("terraform", [...args, "-no-color"], { cwd: options.cwd, env: options.env, timeout: timeoutMs, killSignal: "SIGKILL" });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "ENOENT" ? terraformMissing() : new Error(`terraform ${args[0]}: ${error.message}`)),
    );
    child.on("close", (status, signal) => {
      const out = Buffer.concat(stdout).toString("utf8");
      const killed = signal ? `killed by ${signal} after ${timeoutMs} ms\n` : "";
      resolvePromise({ status, stdout: out, output: `${killed}${Buffer.concat(stderr).toString("utf8")}${out}` });
    });
    // A terraform that exits before reading its input (an early error) closes the pipe: that is not our error.
    child.stdin.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") reject(error);
    });
    child.stdin.end(options.stdin ?? "");
  });
}

/** Runs terraform and resolves to its stdout; rejects with the command and its output when it fails. */
export async function terraform(args: string[], options: TerraformOptions): Promise<string> {
  const run = await runTerraform(args, options);
  if (run.status === 0) return run.stdout;
  if (/could not connect to registry\.terraform\.io|Failed to query available provider packages/.test(run.output)) {
    throw new UserError(
      `terraform ${args[0]} in ${options.cwd} could not reach the provider registry, and no provider mirror is set. ` +
        `Set ${MIRROR_ENV} to a folder holding the AWS provider (<folder>/registry.terraform.io/hashicorp/aws/...), ` +
        `or put it in ~/.terraform.d/plugins (README "Planning offline").\n${run.output.trim().split("\n").slice(0, 6).join("\n")}`,
    );
  }
  throw new Error(`terraform ${args.join(" ")} failed in ${options.cwd}:\n${run.output}`);
}

/** The Terraform the project needs: the first with S3-native state locking generally available (see src/state). */
export const MIN_TERRAFORM_VERSION = "1.11.0";

function terraformMissing(): UserError {
  return new UserError(
    `terraform is not on the PATH. Install Terraform ${MIN_TERRAFORM_VERSION} or newer ` +
      "(https://developer.hashicorp.com/terraform/install), or put its folder on the PATH, then run the command again.",
  );
}

/** True when a terraform binary is on PATH. */
export function hasTerraform(): boolean {
  return !spawnSync("terraform", ["version"], { encoding: "utf8" }).error;
}

/** True when `version` ("1.10.5", "1.11.0-rc1") is at least `minimum` ("1.11.0"); pre-releases count as older. */
export function versionAtLeast(version: string, minimum: string): boolean {
  const [core, pre] = version.split("-", 2);
  const parts = core.split(".").map(Number);
  const wanted = minimum.split(".").map(Number);
  for (let i = 0; i < wanted.length; i++) {
    const have = parts[i] ?? 0;
    if (have !== wanted[i]) return have > wanted[i];
  }
  return pre === undefined;
}

/** The version of the terraform on PATH ("1.11.4"), or undefined when there is none. */
export function terraformVersionOnPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const run = spawnSync("terraform", ["version", "-json"], { env: { ...env, CHECKPOINT_DISABLE: "1" }, encoding: "utf8", timeout: 30_000 });
  if (run.error || run.status !== 0) return undefined;
  try {
    return (JSON.parse(run.stdout) as { terraform_version?: string }).terraform_version;
  } catch {
    // Releases before 0.13 print text only.
    return /Terraform v(\d+\.\d+\.\d+)/.exec(run.stdout)?.[1];
  }
}

/** The version of the terraform on PATH; a clear error when there is none or it is too old. */
export function requireTerraform(env: NodeJS.ProcessEnv = process.env, minimum = MIN_TERRAFORM_VERSION): string {
  const version = terraformVersionOnPath(env);
  if (version === undefined) throw terraformMissing();
  if (!versionAtLeast(version, minimum)) {
    throw new UserError(`terraform ${version} is on the PATH; this project needs Terraform ${minimum} or newer (https://developer.hashicorp.com/terraform/install)`);
  }
  return version;
}

/** One line of `terraform plan -json` (the machine-readable UI) that this project reads. */
interface PlanStreamLine {
  type?: string;
  change?: { action: string; resource: { addr: string; resource_type: string } };
  outputs?: Record<string, unknown>;
}

export interface StagePlan {
  /** Planned creations per resource type. */
  readonly counts: Record<string, number>;
  /** Addresses of every resource with a planned change. */
  readonly addresses: string[];
  /** The planned action per address: "create", "update", "delete", "replace" or "read". */
  readonly actions: Readonly<Record<string, string>>;
  /** Names of the planned outputs. */
  readonly outputs: string[];
  /** The plan file, for terraform show. */
  readonly planFile: string;
}

/**
 * Plans one synthesized stack folder: `terraform plan -json` (which validates too), with `init` only when the
 * folder needs it; offline unless `online` is set (then it refreshes and locks the stack's real state). Reading plan -json's event stream costs no second provider start, unlike `terraform show -json`.
 */
export async function planStack(stackDir: string, env: NodeJS.ProcessEnv, options: { online?: boolean } = {}): Promise<StagePlan> {
  // Offline, nothing is refreshed or locked, and a changed backend is simply re-initialized (its state is throwaway).
  const offline = !options.online;
  const planArgs = ["plan", "-input=false", ...(offline ? ["-lock=false", "-refresh=false"] : []), "-json", "-out=plan.tfplan"];
  const init = () => terraform(["init", "-input=false", ...(offline ? ["-reconfigure"] : [])], { cwd: stackDir, env });
  // A new folder needs init before anything; a plan that fails asking for it later means a changed backend or
  // provider: init once, then plan again.
  if (!existsSync(join(stackDir, ".terraform"))) await init();
  let run = await runTerraform(planArgs, { cwd: stackDir, env });
  if (run.status !== 0 && /terraform init/.test(run.stdout)) {
    await init();
    run = await runTerraform(planArgs, { cwd: stackDir, env });
  }
  const lines = run.stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line) as PlanStreamLine & { "@level"?: string; "@message"?: string });
  if (run.status !== 0) {
    const errors = lines.filter((l) => l["@level"] === "error").map((l) => l["@message"]);
    throw new Error(`terraform plan failed in ${stackDir}:\n${errors.join("\n") || run.output}`);
  }
  const changes = lines.flatMap((l) => (l.type === "planned_change" && l.change ? [l.change] : []));
  const outputs = Object.keys(lines.find((l) => l.type === "outputs")?.outputs ?? {});
  return stagePlan(changes, outputs, join(stackDir, "plan.tfplan"));
}

type PlannedChange = NonNullable<PlanStreamLine["change"]>;

function stagePlan(changes: PlannedChange[], outputs: string[], planFile: string): StagePlan {
  const counts: Record<string, number> = {};
  const actions: Record<string, string> = {};
  for (const { action, resource } of changes) {
    actions[resource.addr] = action;
    if (action === "create" || action === "replace") counts[resource.resource_type] = (counts[resource.resource_type] ?? 0) + 1;
  }
  return { counts, addresses: Object.keys(actions), actions, outputs, planFile };
}

/**
 * A root configuration in `rootDir` whose modules are the stack folders (JSON or HCL), with each stack's
 * outputs passed up as "<stack>__<output>" when `outputs` is set (JSON stacks only: an HCL stack's outputs stay in it).
 */
function writeModuleRoot(stacks: Readonly<Record<string, string>>, rootDir: string, outputs: boolean): void {
  mkdirSync(rootDir, { recursive: true });
  const module: Record<string, { source: string }> = {};
  const output: Record<string, { value: string; sensitive?: boolean }> = {};
  for (const [name, dir] of Object.entries(stacks)) {
    module[name] = { source: `./${relative(rootDir, dir)}` };
    if (!outputs || !existsSync(join(dir, "cdk.tf.json"))) continue;
    const json = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as { output?: Record<string, { sensitive?: boolean }> };
    for (const [id, { sensitive }] of Object.entries(json.output ?? {})) {
      output[`${name}__${id}`] = { value: `\${module.${name}.${id}}`, ...(sensitive && { sensitive }) };
    }
  }
  writeFileSync(join(rootDir, "main.tf.json"), JSON.stringify(outputs ? { module, output } : { module }, null, 2));
}

/** `terraform validate` of several stack folders (JSON or HCL) in one run, as modules of a scratch root. */
export async function validateTogether(stacks: Readonly<Record<string, string>>, rootDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  writeModuleRoot(stacks, rootDir, false);
  await terraform(["init", "-input=false", "-backend=false"], { cwd: rootDir, env });
  return terraform(["validate"], { cwd: rootDir, env });
}

/**
 * Plans several synthesized stack folders in one Terraform run, each as a module of a scratch root in
 * `rootDir`: one Terraform process and one provider schema instead of one per stack, which makes it the
 * cheap way to check many stacks offline (the tests do). The stacks' backends are ignored (Terraform warns),
 * so this is for checking, never for a stack's real state. Addresses and outputs come back per stack, as
 * planStack gives them.
 */
export async function planTogether(stacks: Readonly<Record<string, string>>, rootDir: string, env: NodeJS.ProcessEnv): Promise<Record<string, StagePlan>> {
  writeModuleRoot(stacks, rootDir, true);
  const together = await planStack(rootDir, env);
  return Object.fromEntries(
    Object.keys(stacks).map((name) => {
      const prefix = `module.${name}.`;
      const changes = Object.entries(together.actions)
        .filter(([addr]) => addr.startsWith(prefix))
        .map(([addr, action]) => ({ action, resource: { addr: addr.slice(prefix.length), resource_type: addr.slice(prefix.length).split(".")[0] } }));
      const outputs = together.outputs.filter((o) => o.startsWith(`${name}__`)).map((o) => o.slice(name.length + 2));
      return [name, stagePlan(changes, outputs, together.planFile)];
    }),
  );
}

/** `terraform show -json` of a plan file, as text: the full plan, values included (one more provider start). */
export function showPlan(planFile: string, env: NodeJS.ProcessEnv): Promise<string> {
  return terraform(["show", "-json", planFile], { cwd: dirname(planFile), env });
}
