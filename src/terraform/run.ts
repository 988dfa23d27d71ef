/** Running the Terraform CLI: one command and its output, and the version on PATH. */
import { spawn, spawnSync } from "node:child_process";
import { TerraformError, UserError } from "../common/errors";
import { MIRROR_ENV } from "./config";

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

/**
 * Runs terraform (through `runner`, such as one that lends it a provider) and resolves to its stdout; rejects
 * with the command and its output when it fails.
 */
export async function terraform(args: string[], options: TerraformOptions, runner = runTerraform): Promise<string> {
  const run = await runner(args, options);
  if (run.status === 0) return run.stdout;
  if (/could not connect to registry\.terraform\.io|Failed to query available provider packages/.test(run.output)) {
    throw new UserError(
      `terraform ${args[0]} in ${options.cwd} could not reach the provider registry, and no provider mirror is set. ` +
        `Set ${MIRROR_ENV} to a folder holding the AWS provider (<folder>/registry.terraform.io/hashicorp/aws/...), ` +
        `or put it in ~/.terraform.d/plugins (README "Planning offline").\n${run.output.trim().split("\n").slice(0, 6).join("\n")}`,
    );
  }
  throw new TerraformError(`terraform ${args.join(" ")} failed in ${options.cwd}:\n${run.output}`);
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
