/**
 * S3 lock files (`use_lockfile`) are generally available from Terraform 1.11; an older Terraform refuses
 * the backend block or treats it as experimental. This check asks the terraform on PATH for its version.
 * It spawns a process, so it runs only when the settings choose lock files, never for local state.
 */
import { spawnSync } from "node:child_process";
import { ConfigError } from "../config";
import type { BackendSettings } from "./backend";
import { stateLocking, usesLockfile } from "./settings";

/** The first Terraform release with generally available S3 lock files. */
// source: https://github.com/hashicorp/terraform/blob/v1.11/CHANGELOG.md (S3 native state locking GA), read 2026-11-22
export const LOCKFILE_MIN_TERRAFORM = "1.11.0";

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

/**
 * Refuses lock-file locking when the terraform on PATH is older than 1.11. Without terraform on PATH nothing
 * is checked: synthesizing needs no terraform, and whatever runs it later will report its absence.
 */
export function checkTerraformForLocking(backend: BackendSettings, env: NodeJS.ProcessEnv = process.env): void {
  if (backend.type !== "s3" || !usesLockfile(backend)) return;
  const version = terraformVersionOnPath(env);
  if (version === undefined || versionAtLeast(version, LOCKFILE_MIN_TERRAFORM)) return;
  const locking = stateLocking(backend);
  const given = backend.locking === undefined ? `"${locking}" (the default)` : `"${locking}"`;
  throw new ConfigError([
    `backend.locking: ${given} needs Terraform ${LOCKFILE_MIN_TERRAFORM} or newer for S3 lock files, but the terraform on PATH is ${version}; ` +
      'install Terraform 1.11 or newer, or set backend.locking to "dynamodb" with backend.lockTable',
  ]);
}
