/**
 * How this project runs Terraform: a CLI config of its own (never the user's) with the provider mirror, the
 * environment every run gets, and the offline switch.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { ConfigError } from "../settings/report";

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
