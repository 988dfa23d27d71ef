/**
 * The early checks of the npm wrappers, without running them: stack names, AWS credential sources, the
 * app's command line, Terraform on the PATH and its version, and synthesis that publishes all or nothing.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TerraformOutput, TerraformStack } from "cdktf";
import { stackArguments } from "../src/cdktf-cli";
import { findCredentialSource, requireCredentials } from "../src/terraform/credentials";
import { checkStackNames } from "../src/common/naming";
import { parseSynthArgs, synthesize } from "../src/synth";
import { requireTerraform, terraform, versionAtLeast } from "../src/terraform/run";

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "workshop-tools-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("stack names", () => {
  test("known stages pass through in the order given", () => {
    expect(checkStackNames(["alb", "db"])).toEqual(["alb", "db"]);
  });

  test("an unknown name lists every stage in lesson order and suggests the near one", () => {
    expect(() => checkStackNames(["vpc"])).toThrow(/"vpc" is not a stack \(did you mean "vpc-only"\?\); the stacks are, in lesson order: vpc-only, db, fargate, alb, autoscaling/);
    expect(() => checkStackNames(["web", "api"])).toThrow(/"web", "api" are not stacks; the stacks are/);
  });

  test("flags and their values are not read as stack names", () => {
    expect(stackArguments(["alb", "--auto-approve", "--var-file", "x.tfvars", "--parallelism", "4", "--no-color"])).toEqual(["alb"]);
  });
});

describe("AWS credential sources", () => {
  const home = () => join(dir, "home");
  const writeAws = (file: string, text: string) => {
    mkdirSync(join(home(), ".aws"), { recursive: true });
    writeFileSync(join(home(), ".aws", file), text);
  };
  const none = { AWS_EC2_METADATA_DISABLED: "true" };

  test("nothing at all is no source, and the error says what to do", () => {
    expect(findCredentialSource(none, home())).toBeUndefined();
    expect(() => requireCredentials("deploy", none, home())).toThrow(/No AWS credentials found, and deploy needs them[\s\S]*aws configure sso[\s\S]*npm run plan:offline/);
  });

  test.each([
    [{ AWS_ACCESS_KEY_ID: "AKIA", AWS_SECRET_ACCESS_KEY: "s" }, "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"],
    [{ AWS_WEB_IDENTITY_TOKEN_FILE: "/t", AWS_ROLE_ARN: "arn:aws:iam::1:role/r" }, "web identity (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN)"],
    [{ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/credentials" }, "container credentials"],
  ])("%j is a source", (env, source) => {
    expect(findCredentialSource({ ...none, ...env }, home())).toBe(source);
  });

  test("a key id without its secret is not a source", () => {
    expect(findCredentialSource({ ...none, AWS_ACCESS_KEY_ID: "AKIA" }, home())).toBeUndefined();
  });

  test("a default profile with keys, or an SSO profile in config, is a source", () => {
    writeAws("credentials", "[default]\naws_access_key_id = AKIA\naws_secret_access_key = s\n");
    expect(findCredentialSource(none, home())).toBe('profile "default"');
    rmSync(join(home(), ".aws", "credentials"));
    writeAws("config", "[profile dev]\nsso_session = corp\nregion = eu-west-1\n");
    expect(findCredentialSource({ ...none, AWS_PROFILE: "dev" }, home())).toBe('profile "dev"');
  });

  test("a default profile holding only a region is not a source", () => {
    writeAws("config", "[default]\nregion = eu-west-1\n");
    expect(findCredentialSource(none, home())).toBeUndefined();
  });

  test("AWS_PROFILE naming a profile that does not exist is an error that lists the profiles there", () => {
    writeAws("config", "[profile dev]\nsso_session = corp\n");
    expect(() => findCredentialSource({ ...none, AWS_PROFILE: "prod" }, home())).toThrow(/AWS_PROFILE: "prod" is not a profile in .*config.*; profiles there: dev/);
  });
});

describe("the app's command line", () => {
  test("defaults to cdktf.out and JSON, or what cdktf's CLI passes in the environment", () => {
    expect(parseSynthArgs([], {}, "cdktf.out")).toEqual({ outdir: "cdktf.out", hcl: false });
    expect(parseSynthArgs([], { CDKTF_OUTDIR: "x", SYNTH_HCL_OUTPUT: "true" }, "cdktf.out")).toEqual({ outdir: "x", hcl: true });
  });

  test("takes --hcl and --output", () => {
    expect(parseSynthArgs(["--hcl", "--output", "out"], {}, "cdktf.out")).toEqual({ outdir: "out", hcl: true });
  });

  test("refuses anything else, naming the options", () => {
    expect(() => parseSynthArgs(["--json"], {}, "cdktf.out")).toThrow(/synth: "--json" is not an option here; allowed: --hcl, --output <folder>/);
    expect(() => parseSynthArgs(["--output"], {}, "cdktf.out")).toThrow(/synth: "--output" is not an option here/);
  });
});

describe("Terraform on the PATH", () => {
  /** A fake terraform that reports `version`. */
  function fakeTerraform(version: string): NodeJS.ProcessEnv {
    const bin = join(dir, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "terraform"), `#!/bin/sh\necho '{"terraform_version":"${version}"}'\n`);
    chmodSync(join(bin, "terraform"), 0o755);
    return { PATH: bin };
  }

  test("versions compare by number, not by text, and a pre-release is older than its release", () => {
    expect(versionAtLeast("1.9.8", "1.11.0")).toBe(false);
    expect(versionAtLeast("1.11.0", "1.11.0")).toBe(true);
    expect(versionAtLeast("1.11.0-rc1", "1.11.0")).toBe(false);
    expect(versionAtLeast("1.12.1", "1.11.0")).toBe(true);
    expect(versionAtLeast("2.0.0", "1.11.0")).toBe(true);
  });

  test("an old terraform is named with the version needed", () => {
    expect(() => requireTerraform(fakeTerraform("1.9.8"))).toThrow(/terraform 1\.9\.8 is on the PATH; this project needs Terraform 1\.11\.0 or newer/);
  });

  test("a current terraform passes with its version", () => {
    expect(requireTerraform(fakeTerraform("1.11.4"))).toBe("1.11.4");
  });

  test("a registry that cannot be reached, with no mirror set, says how to point at a mirror", async () => {
    const bin = join(dir, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "terraform"), "#!/bin/sh\necho 'Error: Failed to query available provider packages' >&2\nexit 1\n");
    chmodSync(join(bin, "terraform"), 0o755);
    await expect(terraform(["init", "-input=false"], { cwd: dir, env: { PATH: bin } })).rejects.toThrow(
      /terraform init in .* could not reach the provider registry, and no provider mirror is set\. Set WORKSHOP_PROVIDER_MIRROR/,
    );
  });

  test("no terraform at all says what to install", () => {
    expect(() => requireTerraform({ PATH: join(dir, "nothing") })).toThrow(/terraform is not on the PATH\. Install Terraform 1\.11\.0 or newer/);
  });
});

describe("synthesis publishes all or nothing", () => {
  const define = (fail: boolean) => (app: Parameters<Parameters<typeof synthesize>[1]>[0]) => {
    for (const name of ["one", "two"]) {
      const stack = new TerraformStack(app, name);
      new TerraformOutput(stack, "x", { value: name });
    }
    if (fail) throw new Error("a check failed");
  };

  test("a failure leaves no output folder where there was none, and no scratch where there was one", async () => {
    const outdir = join(dir, "out");
    await expect(synthesize({ outdir }, define(true))).rejects.toThrow(/a check failed/);
    expect(existsSync(outdir)).toBe(false);
    await synthesize({ outdir }, define(false));
    await expect(synthesize({ outdir }, define(true))).rejects.toThrow(/a check failed/);
    expect(readdirSync(outdir).sort()).toEqual(["manifest.json", "stacks"]);
  });

  test("the stacks come back in the order the app defines them", async () => {
    expect((await synthesize({ outdir: join(dir, "out") }, define(false))).stacks).toEqual(["one", "two"]);
  });
});

describe("src/register.js", () => {
  const root = join(__dirname, "..");
  /** Runs a script in a plain node with the project's loader. */
  const withLoader = (script: string) =>
    spawnSync(process.execPath, ["--require", "./src/register.js", "-e", script], { cwd: root, encoding: "utf8" });

  test("the packages it defers still work on first use: an archive asset and a version check", () => {
    // GIVEN a folder to archive WHEN cdktf zips it (archiver) and compares versions (semver) through the loader
    writeFileSync(join(dir, "index.html"), "<h1>hi</h1>");
    const script = `
      const { App, TerraformStack, TerraformAsset, AssetType } = require("cdktf");
      const app = new App({ outdir: ${JSON.stringify(join(dir, "out"))} });
      const stack = new TerraformStack(app, "s");
      new TerraformAsset(stack, "site", { path: ${JSON.stringify(dir)}, type: AssetType.ARCHIVE });
      app.synth();
      console.log(require("semver").satisfies("1.11.4", ">=1.5") ? "semver ok" : "semver wrong");`;
    const result = withLoader(script);
    // THEN the zip exists and the check answered
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe("semver ok");
    const assets = join(dir, "out", "stacks", "s", "assets");
    expect(readdirSync(assets).length).toBe(1);
  });

  test("a TypeScript file runs as edited, with no build step", () => {
    const file = join(dir, "edited.ts");
    writeFileSync(file, "const n: number = 1; console.log(n);");
    expect(withLoader(`require(${JSON.stringify(file)})`).stdout.trim()).toBe("1");
    writeFileSync(file, "const n: number = 2; console.log(n);");
    expect(withLoader(`require(${JSON.stringify(file)})`).stdout.trim()).toBe("2");
  });
});
