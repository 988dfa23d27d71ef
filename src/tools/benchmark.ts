/**
 * npm run bench -- [--runs N] [--plan]
 * Prints how long the project makes people wait and how much memory it needs: importing the AWS provider,
 * synthesizing the five stages in-process and through `cdktf synth`, and with --plan the offline terraform
 * init + validate + plan of every stage. Each measurement runs in a fresh process, so none warms the next,
 * and each figure is the median of N runs (3 unless --runs says otherwise).
 *
 * Speed and memory goals live here, printed next to the figures, never in timed tests. A missed goal never
 * fails the run: it exits non-zero only when a measured command fails.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { arch, cpus, platform, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { STAGE_NAMES } from "../naming";
import { CONFIG_ENV } from "../config";
import { OFFLINE_ENV, hasTerraform, planStack, terraformEnv } from "../terraform";

const USAGE = "usage: npm run bench -- [--runs N] [--plan]";
const PROJECT_DIR = resolve(__dirname, "..", "..");
/** Marks the line a child process reports its figures on. */
const REPORT_MARKER = "BENCH_FIGURES ";
/** A measured command that takes longer than this has hung: it counts as failed. */
const CHILD_TIMEOUT_MS = 10 * 60_000;
const KIB_PER_MIB = 1024;

interface Options {
  /** Runs per measurement; the table shows their median. @default 3 */
  readonly runs: number;
  /** Also time the offline terraform init + validate + plan of every stage. @default false */
  readonly plan: boolean;
}

class UsageError extends Error {}

function parseArgs(args: string[]): Options {
  let runs = 3;
  let plan = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--plan") plan = true;
    else if (arg === "--runs" || arg.startsWith("--runs=")) {
      const given = arg === "--runs" ? args[++i] : arg.slice("--runs=".length);
      if (given === undefined || !/^[1-9]\d*$/.test(given)) {
        throw new UsageError(`--runs: "${given ?? ""}" is not a whole number of runs; allowed: 1 or more`);
      }
      runs = Number(given);
    } else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else throw new UsageError(`"${arg}" is not an option; allowed: --runs N, --plan`);
  }
  return { runs, plan };
}

// ---------------------------------------------------------------------------------------------------------
// Figures and rows

interface Sample {
  readonly ms: number;
  /** Peak resident set size of the measuring process. @default - not measured */
  readonly rssMiB?: number;
}

interface Goal {
  /** What we aim for ("goal: ..."), or a note on the figure. */
  readonly text: string;
  /** Whether a median meets the goal. @default - the goal is a note with no verdict */
  readonly met?: (median: Sample) => boolean;
}

class Row {
  readonly samples: Sample[] = [];
  failure?: string;
  constructor(
    readonly label: string,
    public goal?: Goal,
    /** False for a row whose time means nothing (the baseline): only its memory is printed. */
    readonly timed = true,
  ) {}

  median(): Sample | undefined {
    if (this.samples.length === 0) return undefined;
    const rss = this.samples.map((s) => s.rssMiB).filter((v): v is number => v !== undefined);
    return { ms: median(this.samples.map((s) => s.ms)), rssMiB: rss.length > 0 ? median(rss) : undefined };
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** A measured command failed: what ran, and the end of what it said. */
class MeasureError extends Error {}

/** Runs `measure` and records its figures on `rows`, or the failure on all of them. */
function attempt(rows: Row[], measure: () => Sample[]): void {
  if (rows.some((row) => row.failure)) return;
  try {
    measure().forEach((sample, i) => rows[i].samples.push(sample));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    for (const row of rows) row.failure = message;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Child processes

interface ChildFigures {
  /** Milliseconds the measured step took inside the child. */
  readonly ms: number;
  /** Milliseconds spent loading modules before the measured step. @default - not reported */
  readonly loadMs?: number;
  /** process.resourceUsage().maxRSS at the end, in KiB. */
  readonly maxRssKiB: number;
}

function isChildFigures(value: unknown): value is ChildFigures {
  if (typeof value !== "object" || value === null) return false;
  const figures = value as Record<string, unknown>;
  return (
    typeof figures.ms === "number" &&
    typeof figures.maxRssKiB === "number" &&
    (figures.loadMs === undefined || typeof figures.loadMs === "number")
  );
}

/** The environment of every measured command: the lesson's settings, never the caller's overrides. */
function benchEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1" };
  delete env[CONFIG_ENV];
  delete env[OFFLINE_ENV];
  return env;
}

function tail(text: string, lines = 15): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}

/** Runs a command to completion and returns its stdout; throws MeasureError when it fails. */
function runCommand(command: string, args: string[], description: string): string {
  const run = spawnSync(command, args, {
    cwd: PROJECT_DIR,
    env: benchEnv(),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    timeout: CHILD_TIMEOUT_MS,
  });
  if (run.error) throw new MeasureError(`${description}: ${run.error.message}`);
  if (run.status !== 0) {
    const how = run.signal ? `was killed by ${run.signal}` : `exited with ${run.status}`;
    throw new MeasureError(`${description} ${how}:\n${tail(`${run.stderr}\n${run.stdout}`)}`);
  }
  return run.stdout;
}

/**
 * Runs `script` (plain JavaScript) in a fresh node, optionally with ts-node so it can require the project's
 * TypeScript, and returns the figures it reports with `report(figures)`.
 */
function runChild(script: string, description: string, options: { tsNode: boolean }): ChildFigures {
  const report = `const report = (figures) => process.stdout.write("\\n" + ${JSON.stringify(REPORT_MARKER)} + JSON.stringify({ ...figures, maxRssKiB: process.resourceUsage().maxRSS }) + "\\n");`;
  const args = [...(options.tsNode ? ["--require", "ts-node/register/transpile-only"] : []), "-e", `${report}\n${script}`];
  const stdout = runCommand(process.execPath, args, description);
  const line = stdout.split("\n").reverse().find((l) => l.startsWith(REPORT_MARKER));
  const figures: unknown = line ? JSON.parse(line.slice(REPORT_MARKER.length)) : undefined;
  if (!isChildFigures(figures)) throw new MeasureError(`${description} reported no figures:\n${tail(stdout)}`);
  return figures;
}

const mib = (kib: number) => kib / KIB_PER_MIB;

/** Time and peak memory of requiring `specifier`, in a plain node (no ts-node, nothing else loaded). */
function measureImport(specifier: string | undefined): Sample {
  const script = specifier
    ? `const start = performance.now(); require(${JSON.stringify(specifier)}); report({ ms: performance.now() - start });`
    : "report({ ms: 0 });";
  const figures = runChild(script, specifier ? `node -e 'require("${specifier}")'` : "node -e ''", { tsNode: false });
  return { ms: figures.ms, rssMiB: mib(figures.maxRssKiB) };
}

/** Throws unless `outdir` holds a synthesized stack for every stage. */
function checkStacks(outdir: string, description: string): void {
  const missing = STAGE_NAMES.filter((stage) => !existsSync(join(outdir, "stacks", stage, "cdk.tf.json")));
  if (missing.length > 0) throw new MeasureError(`${description} wrote no stack for ${missing.join(", ")} in ${outdir}`);
}

/**
 * In a fresh ts-node process: load cdktf and the project, then addStages + app.synth() of all five stages
 * into `outdir`. Returns [loading, synthesis]; the peak memory is the whole process's, on the synthesis.
 */
function synthInProcess(outdir: string, offline: boolean): [Sample, Sample] {
  const src = (file: string) => JSON.stringify(join(PROJECT_DIR, "src", file));
  const script = `
const loadStart = performance.now();
const { App } = require("cdktf");
const { parseSettings } = require(${src("config")});
const { addStages } = require(${src("stages")});
const synthStart = performance.now();
const app = new App({ outdir: ${JSON.stringify(outdir)} });
addStages(app, { settings: parseSettings({}), offline: ${offline} });
app.synth();
report({ loadMs: synthStart - loadStart, ms: performance.now() - synthStart });`;
  const description = "in-process synth (new App, addStages, app.synth())";
  const figures = runChild(script, description, { tsNode: true });
  checkStacks(outdir, description);
  return [{ ms: figures.loadMs ?? 0 }, { ms: figures.ms, rssMiB: mib(figures.maxRssKiB) }];
}

/** The real `cdktf synth`, through the app command of cdktf.json, as a learner runs it. */
function cdktfSynth(outdir: string): Sample {
  const description = `cdktf synth --output ${outdir}`;
  const start = performance.now();
  runCommand(join(PROJECT_DIR, "node_modules", ".bin", "cdktf"), ["synth", "--output", outdir], description);
  const ms = performance.now() - start;
  checkStacks(outdir, description);
  return { ms };
}

// ---------------------------------------------------------------------------------------------------------
// Printing

function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function formatMiB(value: number | undefined): string {
  return value === undefined ? "-" : `${Math.round(value)} MiB`;
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 || i >= cells.length - 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join("  ")
      .trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
}

function renderRows(rows: Row[], format: (ms: number) => string): string[][] {
  return rows.map((row) => {
    const mid = row.median();
    if (row.failure || !mid) return [row.label, "FAILED", "", "", "", ""];
    const times = row.samples.map((s) => s.ms);
    const range = row.samples.length > 1 ? `${format(Math.min(...times))} .. ${format(Math.max(...times))}` : "";
    const verdict = row.goal?.met ? (row.goal.met(mid) ? "met" : "MISSED") : "";
    return [row.label, row.timed ? format(mid.ms) : "-", row.timed ? range : "", formatMiB(mid.rssMiB), verdict, row.goal?.text ?? ""];
  });
}

function printFailures(rows: Row[]): void {
  const seen = new Set<string>();
  for (const row of rows) {
    if (!row.failure || seen.has(row.failure)) continue;
    seen.add(row.failure);
    console.log(`\nFAILED ${row.label}:\n${row.failure.replace(/^/gm, "  ")}`);
  }
}

function packageVersion(name: string): string {
  try {
    const json: unknown = JSON.parse(readFileSync(join(PROJECT_DIR, "node_modules", name, "package.json"), "utf8"));
    const version = typeof json === "object" && json !== null ? (json as Record<string, unknown>).version : undefined;
    return typeof version === "string" ? version : "?";
  } catch {
    return "not installed";
  }
}

function terraformVersion(): string {
  const run = spawnSync("terraform", ["version"], { encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  return run.error ? "not on PATH" : (run.stdout.split("\n")[0] ?? "").replace(/^Terraform /, "");
}

function printMachine(options: Options): void {
  const cpuList = cpus();
  const model = cpuList[0]?.model.replace(/\s+/g, " ").trim() ?? "unknown CPU";
  console.log(`Benchmark of ${PROJECT_DIR}: median of ${options.runs} run(s), each measurement in a fresh process`);
  console.log(`  node ${process.version} on ${platform()} ${arch()}, ${cpuList.length} CPU(s) (${model}), ${(totalmem() / 1024 ** 3).toFixed(1)} GiB memory`);
  const tools = [`cdktf ${packageVersion("cdktf")}`, `cdktf-cli ${packageVersion("cdktf-cli")}`, `@cdktf/provider-aws ${packageVersion("@cdktf/provider-aws")}`];
  if (options.plan) tools.push(`terraform ${terraformVersion()}`);
  console.log(`  ${tools.join(", ")}; lesson settings (${CONFIG_ENV} ignored)`);
}

function progress(message: string): void {
  process.stderr.write(`  ... ${message}\n`);
}

// ---------------------------------------------------------------------------------------------------------
// The offline plan

/**
 * Per stage, then the total. Each run synthesizes offline into a fresh folder (so every init is a first one),
 * then plans the stages one after another, so that each stage's figure is its own; npm run plan:offline
 * plans them all at once.
 */
async function measurePlan(options: Options, scratch: string): Promise<Row[]> {
  const stageRows = STAGE_NAMES.map((stage) => new Row(`${stage}: init + validate + plan`));
  const total = new Row("all five stages, one after another", {
    text: "goal: all five stages < 3 min",
    met: (m) => m.ms < 180_000,
  });
  const rows = [...stageRows, total];
  for (let run = 1; run <= options.runs && !rows.some((r) => r.failure); run++) {
    const runDir = mkdtempSync(join(scratch, "plan-"));
    const outdir = join(runDir, "out");
    progress(`run ${run}/${options.runs}: offline synth, then terraform init + validate + plan per stage`);
    try {
      synthInProcess(outdir, true);
      const env = terraformEnv(runDir, { offline: true }, benchEnv());
      let sum = 0;
      for (const [i, stage] of STAGE_NAMES.entries()) {
        progress(`run ${run}/${options.runs}: plan ${stage}`);
        const start = performance.now();
        await planStack(join(outdir, "stacks", stage), env);
        const ms = performance.now() - start;
        stageRows[i].samples.push({ ms });
        sum += ms;
      }
      total.samples.push({ ms: sum });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      for (const row of rows) row.failure = tail(message, 25);
    } finally {
      rmSync(runDir, { recursive: true, force: true });
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------------

async function main(options: Options): Promise<boolean> {
  const scratch = mkdtempSync(join(tmpdir(), "workshop-bench-"));
  const cleanUp = () => rmSync(scratch, { recursive: true, force: true });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      cleanUp();
      process.exit(130);
    });
  }
  try {
    printMachine(options);

    const baseline = new Row("node alone, nothing required", { text: "baseline: the memory of an empty node" }, false);
    const deep = new Row('require("@cdktf/provider-aws/lib/vpc")', {
      text: "goal: deep import < 1 s and < 250 MiB",
      met: (m) => m.ms < 1000 && (m.rssMiB ?? 0) < 250,
    });
    // Only a label: the package root is required in a child process, to show the cost the project avoids.
    const root = new Row("root import of @cdktf/provider-aws (measured, never used)");
    const load = new Row("load cdktf + src/ through ts-node");
    const synth = new Row("new App + addStages + app.synth()", {
      text: "goal: in-process synth < 3 s and < 500 MiB",
      met: (m) => m.ms < 3000 && (m.rssMiB ?? 0) < 500,
    });
    const cli = new Row("cdktf synth (cdktf.json app command)", {
      text: "goal: cdktf synth < 10 s (what a learner waits for)",
      met: (m) => m.ms < 10_000,
    });

    // Round-robin over the measurements, so that a slow spell of the machine spreads over all of them.
    for (let run = 1; run <= options.runs; run++) {
      const step = `run ${run}/${options.runs}`;
      progress(`${step}: imports`);
      attempt([baseline], () => [measureImport(undefined)]);
      attempt([deep], () => [measureImport("@cdktf/provider-aws/lib/vpc")]);
      attempt([root], () => [measureImport("@cdktf/provider-aws")]);
      progress(`${step}: in-process synth`);
      attempt([load, synth], () => synthInProcess(mkdtempSync(join(scratch, "synth-")), false));
      progress(`${step}: cdktf synth`);
      attempt([cli], () => [cdktfSynth(mkdtempSync(join(scratch, "cli-")))]);
    }

    const deepMid = deep.median();
    const rootMid = root.median();
    if (deepMid && rootMid && deepMid.rssMiB && rootMid.rssMiB) {
      root.goal = {
        text: `avoided on purpose: ${(rootMid.ms / deepMid.ms).toFixed(0)}x the time, ${(rootMid.rssMiB / deepMid.rssMiB).toFixed(1)}x the memory of a deep import`,
      };
    }

    const header = ["measurement", "median", "range", "peak RSS", "verdict", "goal / note"];
    console.log("\n1. Importing one provider class (plain node; time of the require alone)");
    printTable(header, renderRows([baseline, deep, root], formatMs));
    console.log("\n2. Synthesizing all five stages in-process (node + ts-node; time of each step; the peak RSS includes ts-node)");
    printTable(header, renderRows([load, synth], formatMs));
    console.log("\n3. The real cdktf synth (whole command, wall clock)");
    printTable(header, renderRows([cli], formatMs));
    const rows = [baseline, deep, root, load, synth, cli];

    console.log("\n4. Offline terraform init + validate + plan (--plan)");
    if (!options.plan) console.log("  not measured; add --plan to time it");
    else if (!hasTerraform()) console.log("  skipped: terraform is not on PATH (install Terraform 1.11 to measure it)");
    else {
      const planRows = await measurePlan(options, scratch);
      printTable(header, renderRows(planRows, formatSeconds));
      rows.push(...planRows);
    }

    printFailures(rows);
    return !rows.some((row) => row.failure);
  } finally {
    cleanUp();
  }
}

let options: Options;
try {
  options = parseArgs(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}

main(options)
  .then((ok) => {
    process.exitCode = ok ? 0 : 1;
  })
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
