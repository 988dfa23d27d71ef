/**
 * S3 lock files (`use_lockfile`) are generally available from Terraform 1.11; an older Terraform refuses
 * the backend block or treats it as experimental. This check asks the terraform on PATH for its version.
 * It spawns a process, so it runs only when the settings choose lock files, never for local state.
 */
import { ConfigError } from "../settings/report";
import { MIN_TERRAFORM_VERSION, terraformVersionOnPath, versionAtLeast } from "../terraform/run";
import type { BackendSettings } from "../settings/backend";
import { stateLocking, usesLockfile } from "../settings/backend";

/** The first Terraform release with generally available S3 lock files. */
// source: https://github.com/hashicorp/terraform/blob/v1.11/CHANGELOG.md (S3 native state locking GA), read 2026-11-22
export const LOCKFILE_MIN_TERRAFORM = MIN_TERRAFORM_VERSION;

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
