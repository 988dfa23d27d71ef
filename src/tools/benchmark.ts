/**
 * npm run bench -- [--runs N] [--only app,synth,plan,review,test,import]
 *
 * Measures each speed budget of the project against the floor it is judged by, side by side in one run, so
 * that the noise of a shared machine falls on both: every command runs in a fresh process, once to warm up,
 * then N times (5 by default) alternating with its floor. The table gives median, minimum and maximum of the
 * wall time, the median CPU seconds (user and system, the command and every process it waited for), the
 * ratios of the medians and the peak memory from the operating system's accounting (GNU time's maximum RSS).
 * On a busy machine the CPU seconds are the steadier figure; the load average is printed with the table.
 *
 * A missed budget is a figure to read, never a failure: the command exits non-zero only when it cannot
 * measure (a command failed, or GNU time is missing).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { CONFIG_ENV } from "../settings/index";
import { UserError } from "../common/errors";
import { OFFLINE_ENV, terraformEnv } from "../terraform/config";
import { POOL_ENV } from "../terraform/provider-pool";
import { requireTerraform, terraform } from "../terraform/run";

const PROJECT_DIR = resolve(__dirname, "..", "..");
const GNU_TIME = "/usr/bin/time";
const GROUPS = ["import", "app", "synth", "plan", "review", "test"] as const;
type Group = (typeof GROUPS)[number];

interface Options {
  readonly runs: number;
  readonly only: readonly Group[];
}

function parseBenchArgs(args: readonly string[]): Options {
  let runs = 5;
  let only: Group[] = [...GROUPS];
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split("=", 2);
    const value = inline ?? args[++i];
    if (flag === "--runs" && /^[1-9]\d*$/.test(value ?? "")) runs = Number(value);
    else if (flag === "--only" && value && value.split(",").every((g) => (GROUPS as readonly string[]).includes(g))) only = value.split(",") as Group[];
    else throw new UserError(`bench: "${args[i - (inline === undefined ? 1 : 0)]}" is not an option; allowed: --runs N (1 or more), --only ${GROUPS.join(",")}`);
  }
  return { runs, only };
}

// ---------------------------------------------------------------------------------------------------------
// Measuring one command

interface Sample {
  readonly seconds: number;
  /** User and system CPU seconds of the command and the processes it waited for. */
  readonly cpuSeconds: number;
  readonly peakMiB: number;
}

interface Command {
  readonly label: string;
  readonly run: string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Exit codes that mean the command worked. @default [0] */
  readonly ok?: readonly number[];
}

/** The environment of every measured command: the lesson's settings, never the caller's overrides. */
function benchEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1", ...extra };
  delete env[CONFIG_ENV];
  delete env[OFFLINE_ENV];
  delete env[POOL_ENV];
  return env;
}

/** Runs a command under GNU time: wall and CPU seconds, and the peak resident memory of the largest process. */
function measure(command: Command, scratch: string): Sample {
  const report = join(scratch, "time.txt");
  const [program, ...args] = command.run;
  const run = spawnSync(GNU_TIME, ["-o", report, "-f", "%e %M %U %S", program, ...args], {
    cwd: command.cwd ?? PROJECT_DIR,
    env: command.env ?? benchEnv(),
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.error) throw new UserError(`bench: cannot run ${GNU_TIME} (${run.error.message}); install GNU time (apt-get install time)`);
  if (!(command.ok ?? [0]).includes(run.status ?? -1)) {
    throw new UserError(`bench: "${command.label}" failed (exit ${run.status}):\n${`${run.stderr}\n${run.stdout}`.trim().split("\n").slice(-15).join("\n")}`);
  }
  const [seconds, kib, user, system] = readFileSync(report, "utf8").trim().split(/\s+/).slice(-4).map(Number);
  return { seconds, cpuSeconds: user + system, peakMiB: kib / 1024 };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

interface Budget {
  readonly name: string;
  readonly measured: Command;
  /** What the measured command is compared with, run alternately with it. @default - an absolute budget only */
  readonly floor?: Command;
  /** Largest ratio of the medians allowed. */
  readonly maxRatio?: number;
  readonly maxSeconds?: number;
  readonly maxPeakMiB?: number;
  /** Prepares each run (a fresh folder, for example); returns commands to use. @default - the commands as they are */
  readonly fresh?: () => { measured: Command; floor?: Command };
}

interface Result {
  readonly budget: Budget;
  readonly measured: Sample[];
  readonly floor: Sample[];
  /** Why it could not be measured. */
  readonly failure?: string;
}

function runBudget(budget: Budget, runs: number, scratch: string): Result {
  const measured: Sample[] = [];
  const floor: Sample[] = [];
  for (let i = 0; i <= runs; i++) {
    const commands = budget.fresh?.() ?? budget;
    process.stderr.write(`  ${budget.name}: ${i === 0 ? "warm-up" : `run ${i}/${runs}`}\n`);
    // Alternate, so that a slow spell of the machine falls on both.
    const pair = i % 2 ? [commands.floor, commands.measured] : [commands.measured, commands.floor];
    for (const command of pair) {
      if (!command) continue;
      const sample = measure(command, scratch);
      if (i > 0) (command === commands.measured ? measured : floor).push(sample);
    }
  }
  return { budget, measured, floor };
}

// ---------------------------------------------------------------------------------------------------------
// The budgets

const node = (...args: string[]) => [process.execPath, ...args];
const app = (...args: string[]) => node("--require", "./src/register.js", "main.ts", ...args);

function importBudget(): Budget {
  const requireOnly = (specifier: string) => node("-e", `require(${JSON.stringify(specifier)})`);
  return {
    name: "import: deep provider path vs the package root (why the code never imports the root)",
    measured: { label: "require @cdktf/provider-aws/lib/vpc", run: requireOnly("@cdktf/provider-aws/lib/vpc") },
    floor: { label: "require @cdktf/provider-aws", run: requireOnly("@cdktf/provider-aws") },
  };
}

function appBudget(scratch: string): Budget {
  const out = join(scratch, "app-out");
  return {
    name: "app: the cdktf.json app command, five stages, vs ts-node with type-checking",
    measured: { label: "node --require ./src/register.js main.ts", run: app("--output", out) },
    floor: { label: "node --require ts-node/register main.ts", run: node("--require", "ts-node/register", "main.ts", "--output", out) },
    maxRatio: 0.15,
    maxPeakMiB: 150,
  };
}

function synthBudget(scratch: string): Budget {
  return {
    name: "synth: npm run synth vs npx cdktf synth",
    measured: { label: "npm run synth", run: ["npm", "run", "--silent", "synth", "--", "--output", join(scratch, "npm-out")] },
    floor: { label: "npx cdktf synth", run: ["npx", "cdktf", "synth", "--output", join(scratch, "cli-out")], env: benchEnv({ CI: "true" }) },
    maxRatio: 0.25,
    maxSeconds: 1.5,
  };
}

/** Five folders, each an initialized configuration with only the AWS provider (offline flags): the floor of planning. */
async function emptyPlans(scratch: string): Promise<Command> {
  const env = terraformEnv(scratch, { offline: true }, benchEnv());
  const dirs = await Promise.all(
    ["1", "2", "3", "4", "5"].map(async (n) => {
      const dir = join(scratch, `empty-${n}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, "main.tf.json"),
        JSON.stringify({
          terraform: { required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } } },
          provider: { aws: { region: "eu-west-1", skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: "true" } },
        }),
      );
      await terraform(["init", "-input=false"], { cwd: dir, env });
      return dir;
    }),
  );
  const plans = dirs.map((dir) => `terraform -chdir=${dir} plan -input=false -lock=false -refresh=false -no-color > /dev/null`).join(" & ");
  return { label: "5 concurrent terraform plans of an empty configuration", run: ["bash", "-c", `${plans} & wait`], env };
}

async function planBudget(scratch: string): Promise<Budget> {
  return {
    name: "plan: npm run plan:offline (five stages) vs five concurrent empty plans",
    measured: { label: "npm run plan:offline", run: ["npm", "run", "--silent", "plan:offline"] },
    floor: await emptyPlans(scratch),
    maxRatio: 0.8,
  };
}

/** The reviews of alb: offline, and previews against a base (a settings file, an earlier stage), each vs a plain offline plan of alb. */
function reviewBudgets(scratch: string): Budget[] {
  const baseSettings = join(scratch, "base-settings.json");
  writeFileSync(baseSettings, JSON.stringify({ database: { instanceClass: "db.t3.micro" } }));
  const floor: Command = { label: "npm run plan:offline -- alb", run: ["npm", "run", "--silent", "plan:offline", "--", "alb"] };
  // Exit 3 is a verdict (alb opens a new path from the internet), not a failure.
  const review = (label: string, ...args: string[]): Command => ({ label, run: ["npm", "run", "--silent", "review", "--", "alb", ...args], ok: [0, 3] });
  return [
    { name: "review: npm run review -- alb --offline vs a plain offline plan of alb", measured: review("npm run review -- alb --offline", "--offline"), floor, maxRatio: 1.2 },
    {
      name: "review: a preview against --base-settings vs a plain offline plan of alb",
      measured: review("npm run review -- alb --base-settings <file>", "--base-settings", baseSettings),
      floor,
      maxRatio: 2,
    },
    {
      name: "review: a preview against --base-stage fargate vs a plain offline plan of alb",
      measured: review("npm run review -- alb --base-stage fargate", "--base-stage", "fargate"),
      floor,
      maxRatio: 2,
    },
  ];
}

/** npm test and the construct level in a fresh clone of HEAD each run, with node_modules as npm ci leaves it. */
function testBudgets(scratch: string): Budget[] {
  const clone = () => {
    const dir = mkdtempSync(join(scratch, "clone-"));
    const git = spawnSync("git", ["clone", "--quiet", "--no-hardlinks", PROJECT_DIR, dir], { encoding: "utf8" });
    if (git.status !== 0) throw new UserError(`bench: git clone failed: ${git.stderr}`);
    symlinkSync(join(PROJECT_DIR, "node_modules"), join(dir, "node_modules"), "dir");
    return dir;
  };
  const inClone = (label: string, run: string[], maxSeconds: number, name: string): Budget => {
    const command = { label, run, env: benchEnv({ CI: "true" }) };
    return { name, measured: command, maxSeconds, fresh: () => ({ measured: { ...command, cwd: clone() } }) };
  };
  return [
    inClone("npm test", ["npm", "test", "--silent"], 150, "test: npm test on a fresh clone"),
    inClone("jest --selectProjects constructs", ["npx", "jest", "--selectProjects", "constructs"], 15, "test: the construct level on a fresh clone"),
  ];
}

// ---------------------------------------------------------------------------------------------------------
// Printing

function verdict(result: Result): string {
  const { budget } = result;
  const mid = median(result.measured.map((s) => s.seconds));
  const peak = Math.max(...result.measured.map((s) => s.peakMiB));
  const checks: string[] = [];
  if (result.floor.length > 0) {
    const ratio = mid / median(result.floor.map((s) => s.seconds));
    const cpuRatio = median(result.measured.map((s) => s.cpuSeconds)) / median(result.floor.map((s) => s.cpuSeconds));
    const judged = budget.maxRatio === undefined ? "" : ` (budget ${budget.maxRatio}): ${ratio <= budget.maxRatio ? "met" : `MISSED by ${(ratio / budget.maxRatio).toFixed(2)}x`}`;
    checks.push(`ratio ${ratio.toFixed(2)}${judged}; in CPU seconds ${cpuRatio.toFixed(2)}`);
  }
  if (budget.maxSeconds !== undefined) checks.push(`${mid.toFixed(2)} s (budget ${budget.maxSeconds} s): ${mid <= budget.maxSeconds ? "met" : "MISSED"}`);
  if (budget.maxPeakMiB !== undefined) checks.push(`peak ${Math.round(peak)} MiB (budget ${budget.maxPeakMiB}): ${peak <= budget.maxPeakMiB ? "met" : "MISSED"}`);
  return checks.join("; ");
}

function row(label: string, samples: Sample[]): string {
  const seconds = samples.map((s) => s.seconds);
  const fmt = (s: number) => s.toFixed(2).padStart(7);
  const peak = String(Math.round(Math.max(...samples.map((s) => s.peakMiB)))).padStart(8);
  return `  ${label.padEnd(58)} ${fmt(median(seconds))} ${fmt(Math.min(...seconds))} ${fmt(Math.max(...seconds))} ${fmt(median(samples.map((s) => s.cpuSeconds)))} ${peak}`;
}

const load = () => loadavg().map((l) => l.toFixed(1)).join(", ");

function print(results: Result[], runs: number, started: string): void {
  console.log(`\nBenchmark: ${runs} run(s) after a warm-up, measured and floor alternating; ${cpus().length} CPU(s), node ${process.version}`);
  console.log(`Load average (1, 5, 15 min) at the start: ${started}; at the end: ${load()}`);
  console.log(`  ${"command".padEnd(58)} ${"median".padStart(7)} ${"min".padStart(7)} ${"max".padStart(7)} ${"CPU s".padStart(7)} ${"peak MiB".padStart(8)}`);
  for (const result of results) {
    console.log(`\n${result.budget.name}`);
    if (result.failure) {
      console.log(`  NOT MEASURED: ${result.failure.replace(/\n/g, "\n  ")}`);
      continue;
    }
    console.log(row(result.budget.measured.label, result.measured));
    if (result.budget.floor && result.floor.length > 0) console.log(row(result.budget.floor.label, result.floor));
    console.log(`  => ${verdict(result)}`);
  }
}

async function main(): Promise<void> {
  const options = parseBenchArgs(process.argv.slice(2));
  if (!existsSync(GNU_TIME)) throw new UserError(`bench: ${GNU_TIME} is missing, so peak memory cannot be measured; install GNU time (apt-get install time)`);
  const scratch = mkdtempSync(join(tmpdir(), "workshop-bench-"));
  const started = load();
  try {
    const budgets: Budget[] = [];
    const wants = (group: Group) => options.only.includes(group);
    if (wants("import")) budgets.push(importBudget());
    if (wants("app")) budgets.push(appBudget(scratch));
    if (wants("synth")) budgets.push(synthBudget(scratch));
    if (wants("plan") || wants("review")) requireTerraform(benchEnv());
    if (wants("plan")) budgets.push(await planBudget(scratch));
    if (wants("review")) budgets.push(...reviewBudgets(scratch));
    if (wants("test")) budgets.push(...testBudgets(scratch));
    const results = budgets.map((budget) => {
      try {
        return runBudget(budget, options.runs, scratch);
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        return { budget, measured: [], floor: [], failure: error.message };
      }
    });
    print(results, options.runs, started);
    if (results.some((r) => r.failure)) process.exitCode = 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof UserError ? error.message : error);
  process.exitCode = 1;
});
