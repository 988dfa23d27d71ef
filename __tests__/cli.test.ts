/**
 * The commands a learner runs, in a throwaway copy of the project, with output captured as CI sees it (not a
 * terminal): npm run synth and synth:hcl in both orders, bad settings, the offline switch, an edit to main.ts,
 * the wrappers' early checks (stack names, credentials, Terraform on the PATH), cdktf synth through the
 * cdktf CLI, and diff:offline; and that no provider process outlives the tools, however they end.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { STAGE_NAMES } from "../src/stages";
import { terraformEnv } from "../src/terraform/config";
import { validateEach } from "../src/terraform/plan";
import { POOL_ENV, providersFor } from "../src/terraform/provider-pool";
import { terraform } from "../src/terraform/run";
import { describeWithTerraform } from "./support/terraform";
import { PROVIDER_PROCESS, childrenOf, isRunning, pluginSockets, startNode, waitUntil, type NodeChild } from "./support/providers";

jest.setTimeout(300_000);

const root = join(__dirname, "..");
let project: string;

interface Result {
  readonly status: number | null;
  /** stdout then stderr, exactly as written. */
  readonly output: string;
}

/** Runs a command in the copy, without a terminal, with no settings file and no offline switch of ours. */
function run(command: string, env: NodeJS.ProcessEnv = {}): Result {
  const result = spawnSync(command, {
    cwd: project,
    shell: true,
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", WORKSHOP_CONFIG: "", WORKSHOP_OFFLINE: "", ...env },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Runs one of the project's npm scripts the way package.json says. */
function npmScript(script: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Result {
  const scripts = (JSON.parse(readFileSync(join(project, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  return run(`${scripts[script]} ${args.join(" ")}`, env);
}

/** A fingerprint of every file below `dir`: path and content. */
function fingerprint(dir: string): string {
  const hash = createHash("sha256");
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else hash.update(relative(dir, path)).update(readFileSync(path));
    }
  };
  walk(dir);
  return hash.digest("hex");
}

const stackDir = (stage: string, outdir = "cdktf.out") => join(project, outdir, "stacks", stage);
const stackJson = (stage: string, outdir = "cdktf.out") => readFileSync(join(stackDir(stage, outdir), "cdk.tf.json"), "utf8");
/** The Terraform files (cdk.tf.json, cdk.tf) in each stage folder. */
const terraformFiles = (outdir = "cdktf.out") => STAGE_NAMES.map((stage) => readdirSync(stackDir(stage, outdir)).filter((f) => f.startsWith("cdk.tf")).sort());
const ESCAPE = "\x1b";

/** A settings file in the copy with a subnet outside the VPC. */
function badSettings(): string {
  const file = join(project, "bad.json");
  writeFileSync(file, JSON.stringify({ network: { publicSubnetCidrs: ["10.0.0.0/24", "10.0.1.0/24", "192.168.0.0/24"] } }));
  return file;
}
const BAD_SUBNET = /network\.publicSubnetCidrs\[2\]: "192\.168\.0\.0\/24" lies outside the VPC 10\.0\.0\.0\/16/g;

beforeAll(() => {
  // GIVEN a copy of the project's sources, sharing node_modules, and a first synth
  project = mkdtempSync(join(tmpdir(), "workshop-cli-"));
  for (const entry of ["main.ts", "src", "cdktf.json", "tsconfig.json", "package.json"]) {
    cpSync(join(root, entry), join(project, entry), { recursive: true });
  }
  symlinkSync(join(root, "node_modules"), join(project, "node_modules"), "dir");
  const synth = npmScript("synth");
  if (synth.status !== 0) throw new Error(`npm run synth failed:\n${synth.output}`);
});

afterAll(() => rmSync(project, { recursive: true, force: true }));

test("npm run synth writes every stage into cdktf.out/stacks/<stage>, in plain lines", () => {
  // THEN each stage has its own Terraform JSON, with its lesson in it, and the command said so plainly
  expect(readdirSync(join(project, "cdktf.out", "stacks")).sort()).toEqual([...STAGE_NAMES].sort());
  expect(stackJson("vpc-only")).toContain('"cidr_block": "10.0.0.0/16"');
  expect(stackJson("db")).toContain('"name": "workshop-db-main-private"');
  expect(stackJson("alb")).toContain('"load_balancer_type": "application"');
  const again = npmScript("synth");
  expect(again.output.trim()).toBe("Synthesized vpc-only, db, fargate, alb, autoscaling into cdktf.out/stacks (Terraform JSON, cdk.tf.json)");
});

test("a bad settings file prints one clean block, exits non-zero and leaves cdktf.out untouched", () => {
  // GIVEN the earlier output
  const before = fingerprint(join(project, "cdktf.out"));
  // WHEN synth runs with a settings file that puts a subnet outside the VPC
  const result = npmScript("synth", [], { WORKSHOP_CONFIG: badSettings() });
  // THEN it fails, says which setting and why once, with no stack trace or terminal codes, and the output is as it was
  expect(result.status).toBe(1);
  expect(result.output.match(BAD_SUBNET)).toHaveLength(1);
  expect(result.output).toMatch(/^Invalid settings in .*bad\.json:\n {2}- network/);
  expect(result.output).not.toMatch(/\n\s+at |Error:|\[ERROR\]/);
  expect(result.output).not.toContain(ESCAPE);
  expect(fingerprint(join(project, "cdktf.out"))).toBe(before);
});

test("a bad settings file through the deploy wrappers is the same one block, before anything else runs", () => {
  const result = npmScript("diff", ["alb"], { WORKSHOP_CONFIG: badSettings() });
  expect(result.status).toBe(1);
  expect(result.output.match(BAD_SUBNET)).toHaveLength(1);
  expect(result.output).not.toMatch(/\[ERROR\]|Synth command|cdktf encountered/);
});

test("the offline switch refuses to synthesize where cdktf deploys from", () => {
  const before = fingerprint(join(project, "cdktf.out"));
  const result = npmScript("synth", [], { WORKSHOP_OFFLINE: "1" });
  expect(result.status).not.toBe(0);
  expect(result.output).toMatch(/WORKSHOP_OFFLINE: "1" must not synthesize into cdktf\.out/);
  expect(fingerprint(join(project, "cdktf.out"))).toBe(before);
});

test("a construct change that breaks a policy rule fails npm run synth before anything is written", () => {
  // GIVEN the earlier output and the database construct edited to be publicly accessible
  const before = fingerprint(join(project, "cdktf.out"));
  const file = join(project, "src", "constructs", "database.ts");
  const original = readFileSync(file, "utf8");
  expect(original).toContain("publiclyAccessible: false");
  writeFileSync(file, original.replace("publiclyAccessible: false", "publiclyAccessible: true"));
  try {
    // WHEN synth runs THEN it fails naming stage, address, rule and fix, and the output is as it was
    const result = npmScript("synth");
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/db: aws_db_instance\.database_instance_\w+ \(db\/database\/instance\)\s+RDS-NOT-PUBLIC: .*\s+fix: Set publicly_accessible = false/);
    expect(fingerprint(join(project, "cdktf.out"))).toBe(before);
  } finally {
    writeFileSync(file, original);
  }
});

test("an edit to main.ts takes effect on the next synth: no stale build", () => {
  // GIVEN main.ts edited to override the name prefix
  const main = join(project, "main.ts");
  const original = readFileSync(main, "utf8");
  writeFileSync(main, original.replace("const settings = loadSettings();", 'const settings = { ...loadSettings(), namePrefix: "edited" };'));
  try {
    // WHEN synth runs again THEN the new names are in the output
    expect(npmScript("synth").status).toBe(0);
    expect(stackJson("db")).toContain('"name": "edited-db-main-private"');
  } finally {
    writeFileSync(main, original);
    npmScript("synth");
  }
});

test("a stage name that does not exist is refused with the stages in lesson order", () => {
  for (const [script, args] of [["diff:offline", ["vpc"]], ["deploy", ["vpc-only", "albb"]]] as const) {
    const result = npmScript(script, [...args]);
    expect(result.status).toBe(1);
    expect(result.output).toMatch(/the stacks are, in lesson order: vpc-only, db, fargate, alb, autoscaling/);
  }
  expect(npmScript("diff:offline", ["vpc"]).output).toMatch(/"vpc" is not a stack \(did you mean "vpc-only"\?\)/);
});

test("deploying without AWS credentials says what to do before Terraform or cdktf start", () => {
  // GIVEN no AWS keys, no profile and an empty home folder
  const home = join(project, "empty-home");
  mkdirSync(home, { recursive: true });
  const noAws = Object.fromEntries(Object.keys(process.env).filter((k) => k.startsWith("AWS_")).map((k) => [k, ""]));
  // WHEN a stage is deployed
  const result = npmScript("deploy", ["alb"], { ...noAws, HOME: home, AWS_EC2_METADATA_DISABLED: "true" });
  // THEN it stops at once with the ways to give credentials, and nothing was initialized
  expect(result.status).toBe(1);
  expect(result.output).toMatch(/No AWS credentials found, and deploy needs them/);
  expect(result.output).toMatch(/npm run plan:offline/);
  expect(result.output).not.toMatch(/Initializing|provider/i);
  expect(result.output.split("\n").length).toBeLessThan(15);
});

test("without terraform on the PATH, plan:offline names what is missing and the version needed", () => {
  const result = npmScript("plan:offline", ["vpc-only"], { PATH: dirname(process.execPath) });
  expect(result.status).toBe(1);
  expect(result.output).toMatch(/terraform is not on the PATH\. Install Terraform 1\.11\.0 or newer/);
  expect(result.output).not.toMatch(/ENOENT|\n\s+at /);
});

describeWithTerraform("one format per stack folder, the cdktf CLI, and offline diff", () => {
  const env = () => terraformEnv(project, { offline: true });
  /** Every stage folder validated (through the provider pool, which needs no init). */
  async function validate(outdir = "cdktf.out", tf = env()): Promise<void> {
    const results = await validateEach(STAGE_NAMES.map((stage) => stackDir(stage, outdir)), tf);
    for (const result of results) expect(result).toMatch(/The configuration is valid/);
  }

  /** terraform init in every stage folder, as deploy does it (the provider from the mirror), then each validated. */
  async function initAndValidate(): Promise<void> {
    // One environment for all: terraformEnv rewrites the CLI config file, which a starting init may be reading.
    const tf = env();
    await Promise.all(STAGE_NAMES.map((stage) => terraform(["init", "-input=false", "-backend=false"], { cwd: stackDir(stage), env: tf })));
    await validate("cdktf.out", tf);
  }

  test("synth:hcl after synth, then synth again: exactly one format in each folder, and Terraform takes each", async () => {
    // WHEN HCL follows JSON THEN every folder holds cdk.tf only, and init and validate pass
    expect(npmScript("synth:hcl").status).toBe(0);
    expect(terraformFiles()).toEqual(STAGE_NAMES.map(() => ["cdk.tf"]));
    expect(readFileSync(join(stackDir("alb"), "cdk.tf"), "utf8")).toMatch(/resource "aws_lb" "load-balancer_alb_[0-9A-F]+" \{/);
    await initAndValidate();
    // WHEN JSON follows HCL THEN every folder holds cdk.tf.json only, init (deploy's first step) and validate pass
    expect(npmScript("synth").status).toBe(0);
    expect(terraformFiles()).toEqual(STAGE_NAMES.map(() => ["cdk.tf.json"]));
    expect(existsSync(join(stackDir("alb"), "metadata.json"))).toBe(false);
    expect(existsSync(join(stackDir("alb"), ".terraform"))).toBe(true);
    await initAndValidate();
  });

  test("synth:hcl --output writes HCL elsewhere that terraform validates, for every stage", async () => {
    const result = npmScript("synth:hcl", ["--output", "cdktf.hcl"]);
    expect(result.status).toBe(0);
    expect(terraformFiles("cdktf.hcl")).toEqual(STAGE_NAMES.map(() => ["cdk.tf"]));
    await validate("cdktf.hcl");
  });

  test("validateEach refuses a wrong value with the provider pool and without it; without it, it initializes the folder first", async () => {
    // GIVEN the HCL of vpc-only in a folder never initialized, and one copy with a CIDR the provider refuses
    const plainEnv = { ...env(), [POOL_ENV]: "off" };
    const folder = (name: string, edit = (text: string) => text) => {
      const dir = join(project, "plain-validate", name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "cdk.tf"), edit(readFileSync(join(stackDir("vpc-only", "cdktf.hcl"), "cdk.tf"), "utf8")));
      return dir;
    };
    const good = folder("good");
    const bad = folder("bad", (text) => text.replace(/(cidr_block\s+=\s+)"10\.0\.0\.0\/16"/, '$1"10.0.0.0/33"'));
    expect(readFileSync(join(bad, "cdk.tf"), "utf8")).toContain('"10.0.0.0/33"');
    expect(providersFor(good, plainEnv)).toBeUndefined();
    // WHEN each is validated THEN the good one was initialized plainly and is valid, and the bad one is refused
    expect(await validateEach([good], plainEnv)).toEqual([expect.stringMatching(/The configuration is valid/)]);
    expect(existsSync(join(good, ".terraform", "providers"))).toBe(true);
    await expect(validateEach([bad], plainEnv)).rejects.toThrow(/10\.0\.0\.0\/33/);
    // AND through the pool (a provider sending only the folder's types of schema) it is refused the same way
    expect(providersFor(bad, env())).toBeDefined();
    await expect(validateEach([bad], env())).rejects.toThrow(/10\.0\.0\.0\/33/);
  });

  test("cdktf synth through the cdktf CLI runs the same app, in plain lines without a terminal", () => {
    const result = run("node_modules/.bin/cdktf synth", { CI: "true", TF_CLI_CONFIG_FILE: env().TF_CLI_CONFIG_FILE });
    expect(result.status).toBe(0);
    expect(result.output).toMatch(/Generated Terraform code for the stacks: alb, autoscaling, db, fargate, vpc-only/);
    expect(result.output).not.toContain(ESCAPE);
    expect(terraformFiles()).toEqual(STAGE_NAMES.map(() => ["cdk.tf.json"]));
  });

  test("npm run diff:offline -- vpc-only plans with no AWS account, in plain lines", () => {
    const result = npmScript("diff:offline", ["vpc-only"]);
    expect(result.output).toMatch(/Plan: 20 to add, 0 to change, 0 to destroy/);
    expect(result.output).not.toContain(ESCAPE);
    expect(result.status).toBe(0);
  });
});

describeWithTerraform("no provider process outlives the tools that start them", () => {
  /** A fresh TMPDIR for one child: go-plugin makes the providers' sockets there. */
  const freshTmp = () => mkdtempSync(join(tmpdir(), "p-"));
  const toolEnv = (tmp: string) => ({ ...process.env, CHECKPOINT_DISABLE: "1", WORKSHOP_CONFIG: "", WORKSHOP_OFFLINE: "", TMPDIR: tmp });
  /** THEN every provider the child started has ended within 15 s, and no socket of theirs is left. */
  async function expectNoneLeft(child: NodeChild, tmp: string): Promise<void> {
    expect(child.providers.size).toBeGreaterThan(0);
    expect(await waitUntil(() => [...child.providers].every((pid) => !isRunning(pid)), 15_000)).toBe(true);
    expect(pluginSockets(tmp)).toEqual([]);
  }

  test("plan:offline plans through a lent provider, and stops it when it ends", async () => {
    const tmp = freshTmp();
    const child = startNode(["src/tools/offline-plan.ts", "vpc-only"], project, toolEnv(tmp));
    expect(await child.ended).toEqual({ code: 0, signal: null });
    expect(child.output()).toMatch(/vpc-only: plan OK \(validated\), 20 to add/);
    await expectNoneLeft(child, tmp);
  });

  test("Ctrl-C (SIGINT) while plan:offline plans stops its providers", async () => {
    // GIVEN plan:offline in the middle of a terraform plan
    const tmp = freshTmp();
    const child = startNode(["src/tools/offline-plan.ts", "vpc-only", "db"], project, toolEnv(tmp));
    expect(await waitUntil(() => childrenOf(child.pid, /^terraform plan/).length > 0, 120_000)).toBe(true);
    // WHEN it gets SIGINT THEN it ends by that signal, and its providers with it
    child.kill("SIGINT");
    expect(await child.ended).toEqual({ code: null, signal: "SIGINT" });
    await expectNoneLeft(child, tmp);
  });

  // A process that holds a lent provider in the middle of a run; SIGUSR2 makes it throw.
  const holder = `
    const { boundProviderVersion, providerPool } = require("./src/terraform/provider-pool");
    const { terraformEnv } = require("./src/terraform/config");
    providerPool(terraformEnv(process.cwd(), { offline: true }), boundProviderVersion()).lend(async (reattach) => {
      console.log(reattach);
      process.on("SIGUSR2", () => { throw new Error("uncaught in the middle of a run"); });
      await new Promise(() => setInterval(() => undefined, 1000));
    });`;

  test.each(["throw", "SIGTERM", "SIGKILL"] as const)("a process that ends by %s while it holds a provider leaves none behind", async (end) => {
    // GIVEN a node process with a provider lent to it
    const tmp = freshTmp();
    const child = startNode(["-e", holder], project, toolEnv(tmp));
    expect(await waitUntil(() => /"Pid":\d+/.test(child.output()), 120_000)).toBe(true);
    const { Pid, Addr } = (JSON.parse(child.output().split("\n")[0]) as Record<string, { Pid: number; Addr: { String: string } }>)["registry.terraform.io/hashicorp/aws"];
    expect(childrenOf(child.pid, PROVIDER_PROCESS)).toEqual([Pid]);
    child.providers.add(Pid);
    // (Terraform talks to the provider through its schema proxy, whose socket is given; the provider's is beside it)
    expect(pluginSockets(tmp)).toEqual(expect.arrayContaining([basename(Addr.String), expect.stringMatching(/^plugin\d+$/)]));
    // WHEN it ends by an uncaught error or a signal
    child.kill(end === "throw" ? "SIGUSR2" : end);
    const ended = await child.ended;
    expect(end === "throw" ? ended.code : ended.signal).toBe(end === "throw" ? 1 : end);
    if (end === "throw") expect(child.output()).toMatch(/uncaught in the middle of a run/);
    // THEN the provider has stopped and its socket is gone
    await expectNoneLeft(child, tmp);
    expect(existsSync(Addr.String)).toBe(false);
  });
});
