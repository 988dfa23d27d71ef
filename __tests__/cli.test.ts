/**
 * The commands a learner runs, through the real cdktf CLI, in a throwaway copy of the project:
 * npm run synth, a bad settings file, the offline switch, an edit to main.ts, synth --hcl and diff:offline.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { STAGE_NAMES } from "../src/stages";
import { terraform, terraformEnv } from "../src/terraform";
import { describeWithTerraform } from "./support/terraform";

jest.setTimeout(300_000);

const root = join(__dirname, "..");
let project: string;

/** Runs one of the project's npm scripts the way package.json does, in the copy. */
function npmScript(script: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const scripts = (JSON.parse(readFileSync(join(project, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  const run = spawnSync(`${scripts[script]} ${args.join(" ")}`, {
    cwd: project,
    shell: true,
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", WORKSHOP_CONFIG: "", WORKSHOP_OFFLINE: "", ...env },
  });
  // cdktf colours its output even without a terminal: strip the escape codes before matching
  return { status: run.status, output: `${run.stdout}${run.stderr}`.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "") };
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

const stackJson = (stage: string, outdir = "cdktf.out") =>
  readFileSync(join(project, outdir, "stacks", stage, "cdk.tf.json"), "utf8");

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

test("npm run synth writes every stage into cdktf.out/stacks/<stage>", () => {
  // THEN each stage has its own Terraform JSON, with its lesson in it
  expect(readdirSync(join(project, "cdktf.out", "stacks")).sort()).toEqual([...STAGE_NAMES].sort());
  expect(stackJson("vpc-only")).toContain('"cidr_block": "10.0.0.0/16"');
  expect(stackJson("db")).toContain('"name": "workshop-db-main-private"');
  expect(stackJson("alb")).toContain('"load_balancer_type": "application"');
});

test("a bad settings file exits non-zero, names the setting and leaves cdktf.out untouched", () => {
  // GIVEN the earlier output and a settings file with a CIDR outside the VPC
  const before = fingerprint(join(project, "cdktf.out"));
  const file = join(project, "bad.json");
  writeFileSync(file, JSON.stringify({ network: { publicSubnetCidrs: ["10.0.0.0/24", "10.0.1.0/24", "192.168.0.0/24"] } }));
  // WHEN synth runs with it
  const result = npmScript("synth", [], { WORKSHOP_CONFIG: file });
  // THEN it fails, says which setting and why, and the output is as it was
  expect(result.status).not.toBe(0);
  expect(result.output).toMatch(/network\.publicSubnetCidrs\[2\]: "192\.168\.0\.0\/24" lies outside the VPC 10\.0\.0\.0\/16/);
  expect(fingerprint(join(project, "cdktf.out"))).toBe(before);
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
  const file = join(project, "src", "database.ts");
  const original = readFileSync(file, "utf8");
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
  }
});

describeWithTerraform("the way out and offline diff", () => {
  test("cdktf synth --hcl writes HCL that terraform validates, for every stage", async () => {
    // WHEN the stages are synthesized as HCL
    const result = npmScript("synth:hcl", ["--output", "cdktf.hcl"]);
    expect(result.status).toBe(0);
    // THEN every stage's cdk.tf passes a real init and validate
    const env = terraformEnv(project, { offline: false });
    await Promise.all(
      STAGE_NAMES.map(async (stage) => {
        const cwd = join(project, "cdktf.hcl", "stacks", stage);
        expect(readFileSync(join(cwd, "cdk.tf"), "utf8")).toMatch(/resource "aws_vpc"/);
        await terraform(["init", "-input=false", "-backend=false"], { cwd, env });
        expect(await terraform(["validate"], { cwd, env })).toMatch(/The configuration is valid/);
      }),
    );
  });

  test("npm run diff:offline -- vpc-only plans with no AWS account and no registry", () => {
    const result = npmScript("diff:offline", ["vpc-only"]);
    expect(result.output).toMatch(/Plan: 20 to add, 0 to change, 0 to destroy/);
    expect(result.status).toBe(0);
  });
});
