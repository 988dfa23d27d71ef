/**
 * Before a deploy: is there any source of AWS credentials the Terraform AWS provider would use? Checked
 * locally, without a network call, in the provider's order: environment keys, a named or default profile
 * in the shared files, web identity, container credentials, and an EC2 instance profile. Finding none
 * early saves a deploy that would fail after minutes of init with the cause buried in its output.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { UserError } from "../common/errors";

/** Profile sections of an AWS shared config or credentials file: "[default]", "[profile x]" or "[x]". */
function profilesIn(file: string): Map<string, string[]> {
  const profiles = new Map<string, string[]>();
  if (!existsSync(file)) return profiles;
  let current: string[] | undefined;
  for (const raw of readFileSync(file, "utf8").split(/\r?\n/)) {
    const line = raw.trim();
    const section = /^\[\s*(?:profile\s+)?([^\]]+?)\s*\]$/.exec(line);
    if (section) {
      current = [];
      profiles.set(section[1], current);
    } else if (current && /^[A-Za-z0-9_]+\s*=/.test(line)) {
      current.push(line.split("=")[0].trim().toLowerCase());
    }
  }
  return profiles;
}

/** Keys that make a profile a source of credentials. */
const CREDENTIAL_KEYS = ["aws_access_key_id", "sso_session", "sso_start_url", "role_arn", "credential_process", "web_identity_token_file", "source_profile"];

/** True on an EC2 instance (read from the local DMI data, no call to the metadata service). */
function onEc2(): boolean {
  for (const file of ["/sys/devices/virtual/dmi/id/board_asset_tag", "/sys/devices/virtual/dmi/id/sys_vendor", "/sys/hypervisor/uuid"]) {
    try {
      const text = readFileSync(file, "utf8").trim();
      if (/^i-[0-9a-f]+$/.test(text) || text === "Amazon EC2" || /^ec2/i.test(text)) return true;
    } catch {
      // not readable here: not the sign we look for
    }
  }
  return false;
}

/** Names the first credential source found, or undefined when there is none. */
export function findCredentialSource(env: NodeJS.ProcessEnv = process.env, home = homedir()): string | undefined {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE || join(home, ".aws", "credentials");
  const configFile = env.AWS_CONFIG_FILE || join(home, ".aws", "config");
  const profiles = new Map([...profilesIn(configFile), ...profilesIn(credentialsFile)]);
  const named = env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE;
  if (named) {
    if (!profiles.has(named)) {
      throw new UserError(
        `AWS_PROFILE: "${named}" is not a profile in ${configFile} or ${credentialsFile}; ` +
          `profiles there: ${[...profiles.keys()].join(", ") || "none"} (create one with aws configure --profile ${named}, or aws configure sso)`,
      );
    }
    return `profile "${named}"`;
  }
  const fallback = profiles.get("default");
  if (fallback?.some((key) => CREDENTIAL_KEYS.includes(key))) return 'profile "default"';
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN) return "web identity (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN)";
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) return "container credentials";
  if (env.AWS_EC2_METADATA_DISABLED !== "true" && onEc2()) return "the EC2 instance profile";
  return undefined;
}

/** Throws a UserError that says what to do when no credential source is found for `command`. */
export function requireCredentials(command: string, env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  const source = findCredentialSource(env, home);
  if (source) return source;
  throw new UserError(
    `No AWS credentials found, and ${command} needs them. Any of these works:\n` +
      "  - a profile: aws configure (keys) or aws configure sso, then AWS_PROFILE=<name> (and aws sso login)\n" +
      "  - keys in the environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN)\n" +
      "  - web identity (AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE), container or EC2 instance credentials\n" +
      "To check a stage without an AWS account: npm run plan:offline -- <stage>",
  );
}
