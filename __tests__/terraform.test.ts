import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEPLOY_OUTDIR, MIRROR_ENV, OFFLINE_OUTDIR, cliConfig, findProviderMirror, mirroredProviders, offlineMode, terraformEnv } from "../src/terraform/config";

let dir: string;
let mirror: string;

beforeEach(() => {
  // GIVEN a temp project folder and a mirror folder holding hashicorp/aws in the unpacked layout
  dir = mkdtempSync(join(tmpdir(), "workshop-tf-"));
  mirror = join(dir, "mirror");
  mkdirSync(join(mirror, "registry.terraform.io", "hashicorp", "aws", "5.100.0", "linux_amd64"), { recursive: true });
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the provider mirror", () => {
  test("lists the providers a mirror folder holds", () => {
    expect(mirroredProviders(mirror)).toEqual(["registry.terraform.io/hashicorp/aws"]);
    expect(mirroredProviders(join(dir, "nowhere"))).toEqual([]);
  });

  test("WORKSHOP_PROVIDER_MIRROR names the mirror", () => {
    expect(findProviderMirror({ [MIRROR_ENV]: mirror })).toBe(mirror);
  });

  test('"off" means the public registry', () => {
    expect(findProviderMirror({ [MIRROR_ENV]: "off" })).toBeUndefined();
  });

  test("a mirror folder without providers is an error naming the variable", () => {
    expect(() => findProviderMirror({ [MIRROR_ENV]: join(dir, "empty") })).toThrow(/WORKSHOP_PROVIDER_MIRROR: ".*empty" holds no providers/);
  });

  test("the CLI config installs mirrored providers from the mirror and nothing of theirs from the registry", () => {
    const config = cliConfig(mirror);
    expect(config).toContain(`path    = ${JSON.stringify(mirror)}`);
    expect(config).toMatch(/filesystem_mirror \{[^}]*include = \["registry\.terraform\.io\/hashicorp\/aws"\]/);
    expect(config).toMatch(/direct \{\s*exclude = \["registry\.terraform\.io\/hashicorp\/aws"\]/);
  });

  test("without a mirror the CLI config leaves provider installation to the public registry", () => {
    expect(cliConfig(undefined)).not.toContain("provider_installation");
  });
});

describe("the project's Terraform environment", () => {
  test("writes its CLI config into the project's .workshop folder, never the user's", () => {
    const env = terraformEnv(dir, { offline: false }, { [MIRROR_ENV]: mirror, TF_CLI_CONFIG_FILE: "/home/someone/.terraformrc" });
    expect(env.TF_CLI_CONFIG_FILE).toBe(join(dir, ".workshop", "terraform.rc"));
    expect(readFileSync(env.TF_CLI_CONFIG_FILE as string, "utf8")).toContain("filesystem_mirror");
    expect(env.CHECKPOINT_DISABLE).toBe("1");
  });

  test("online, it passes the user's AWS credentials through and adds no dummy keys", () => {
    const env = terraformEnv(dir, { offline: false }, { [MIRROR_ENV]: "off", AWS_PROFILE: "course" });
    expect(env.AWS_PROFILE).toBe("course");
    expect(env.AWS_ACCESS_KEY_ID).toBeUndefined();
    expect(env.WORKSHOP_OFFLINE).toBeUndefined();
  });

  test("offline, it sets dummy keys and the switch, and drops any real profile or session", () => {
    const env = terraformEnv(dir, { offline: true }, { [MIRROR_ENV]: "off", AWS_PROFILE: "prod", AWS_SESSION_TOKEN: "t" });
    expect(env).toMatchObject({ WORKSHOP_OFFLINE: "1", AWS_ACCESS_KEY_ID: "offline-dummy-key", AWS_EC2_METADATA_DISABLED: "true" });
    expect(env.AWS_PROFILE).toBeUndefined();
    expect(env.AWS_SESSION_TOKEN).toBeUndefined();
  });
});

describe("the offline switch", () => {
  test("is off unless WORKSHOP_OFFLINE is 1", () => {
    expect(offlineMode({}, OFFLINE_OUTDIR, dir)).toBe(false);
    expect(offlineMode({ WORKSHOP_OFFLINE: "0" }, DEPLOY_OUTDIR, dir)).toBe(false);
    expect(offlineMode({ WORKSHOP_OFFLINE: "1" }, OFFLINE_OUTDIR, dir)).toBe(true);
  });

  test("rejects a value that is not a switch", () => {
    expect(() => offlineMode({ WORKSHOP_OFFLINE: "yes" }, OFFLINE_OUTDIR, dir)).toThrow(/WORKSHOP_OFFLINE: "yes" is not a switch; allowed: "1"/);
  });

  test("never synthesizes into cdktf.out, where cdktf deploy reads from", () => {
    expect(() => offlineMode({ WORKSHOP_OFFLINE: "1" }, join(dir, DEPLOY_OUTDIR), dir)).toThrow(/must not synthesize into cdktf\.out/);
  });
});
