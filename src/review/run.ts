/**
 * Terraform for a review: synthesize a stage in-process, plan it (online, or offline with the project's
 * offline switch), and build a prior state for a preview from a base that is synthesized the same way, from
 * a settings file, from an earlier lesson, or from a git ref with that ref's own code.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { App } from "cdktf";
import { CONFIG_ENV, type Settings } from "../settings/index";
import { UserError } from "../common/errors";
import { WorkshopStage, type StageName } from "../stages";
import { WORK_DIR } from "../terraform/config";
import { planStack as planStackStream, showPlan } from "../terraform/plan";
import { parsePlanJson, planRegion, type PlanJson } from "./plan";
import { buildPriorState, plansNoChanges, settle, writeState, type StackConfig, type StateFile } from "./prior-state";
import { providerSchema } from "./provider-schema";

/** Where the provider schema is cached, per provider version. */
export const SCHEMA_CACHE_DIR = join(WORK_DIR, "provider-schema");

/** Progress lines go to stderr, so that stdout stays the review. */
export type Progress = (line: string) => void;
const quiet: Progress = () => undefined;

export interface StageSource {
  readonly settings: Settings;
  /** Build this lesson under the stage's names (see WorkshopStageProps.lesson). @default - the stage's own */
  readonly lesson?: StageName;
  /** Adds to the stack after it is built; tests use it for construct changes. @default - nothing */
  readonly customize?: (stack: WorkshopStage) => void;
}

/** Synthesizes one stage in-process into `outdir`; returns its stack folder. */
export function synthesizeStage(outdir: string, stage: StageName, source: StageSource, offline: boolean): string {
  mkdirSync(outdir, { recursive: true });
  const app = new App({ outdir });
  const stack = new WorkshopStage(app, stage, { settings: source.settings, offline, lesson: source.lesson });
  source.customize?.(stack);
  app.synth();
  return join(outdir, "stacks", stage);
}

/** The synthesized Terraform JSON of a stack folder. */
export function stackConfig(stackDir: string): StackConfig & { terraform?: { backend?: Record<string, unknown> } } {
  return JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as StackConfig;
}

/**
 * A preview keeps its state in the stack folder, whatever backend the settings name: the prior state is
 * written there, and a preview never reads or locks a real one. Returns the state file's path.
 */
export function useLocalState(stackDir: string, stage: StageName): string {
  const file = join(stackDir, "cdk.tf.json");
  const json = JSON.parse(readFileSync(file, "utf8")) as { terraform: { backend?: Record<string, unknown> } };
  const path = `terraform.${stage}.tfstate`;
  json.terraform.backend = { local: { path } };
  writeFileSync(file, JSON.stringify(json, null, 2));
  return join(stackDir, path);
}

export interface PlannedStack {
  readonly stackDir: string;
  readonly planFile: string;
  readonly json: PlanJson;
}

/** Plans a synthesized stack folder (init only when it needs one) and reads the whole plan with show -json. */
export async function planStack(stackDir: string, env: NodeJS.ProcessEnv, options: { offline: boolean; progress?: Progress; label?: string }): Promise<PlannedStack> {
  (options.progress ?? quiet)(`${options.label ?? stackDir}: terraform plan`);
  // (a review plans in scratch folders of its own)
  const { planFile } = await planStackStream(stackDir, env, { online: !options.offline, scratch: options.offline });
  const json = parsePlanJson(await showPlan(planFile, env), `terraform show -json in ${stackDir}`);
  return { stackDir, planFile, json };
}

export interface PriorState {
  readonly state: StateFile;
  /** The base's plan against an empty state. */
  readonly basePlan: PlanJson;
  /** Plans of the base against the state until it planned no changes. */
  readonly rounds: number;
}

/**
 * The prior state of a synthesized base stack: plan it from nothing, fill the plan's unknowns, then plan the
 * base against that state and take what it computes, until it plans no changes (at most `maxRounds` plans).
 */
export async function buildBaseState(
  baseDir: string,
  stage: StageName,
  env: NodeJS.ProcessEnv,
  options: { projectDir: string; progress?: Progress; maxRounds?: number },
): Promise<PriorState> {
  const progress = options.progress ?? quiet;
  const statePath = useLocalState(baseDir, stage);
  rmSync(statePath, { force: true });
  const base = await planStack(baseDir, env, { offline: true, progress, label: `${stage} (base)` });
  const schema = await providerSchema(baseDir, env, join(options.projectDir, SCHEMA_CACHE_DIR), (base.json.resource_changes ?? []).map((change) => change.type));
  const config = stackConfig(baseDir);
  const { settled, ...filled } = buildPriorState({ plan: base.json, config, schema, region: planRegion(base.json) });
  let state: StateFile = filled;
  writeState(statePath, state);
  // Only values computed from several references need a plan to settle them.
  const maxRounds = settled ? 0 : (options.maxRounds ?? 3);
  let rounds = 0;
  while (rounds < maxRounds) {
    rounds++;
    const check = await planStack(baseDir, env, { offline: true, progress, label: `${stage} (base, prior state round ${rounds})` });
    if (plansNoChanges(check.json)) break;
    state = settle(state, check.json);
    writeState(statePath, state);
  }
  return { state, basePlan: base.json, rounds };
}

/** Synthesizes a git ref's own code (its main.ts, offline) into `outdir` with this project's node_modules. */
export function synthesizeRef(projectDir: string, ref: string, outdir: string, env: NodeJS.ProcessEnv): void {
  const git = (args: string[], cwd = projectDir) => spawnSync("git", args, { cwd, encoding: "utf8" });
  const commit = git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (commit.status !== 0) throw new UserError(`--base: "${ref}" is not a commit of this repository; give a branch, tag or commit such as origin/main`);
  const dir = mkdtempSync(join(tmpdir(), "workshop-base-"));
  try {
    const archive = spawnSync("sh", ["-c", `git archive "${commit.stdout.trim()}" | tar -x -C "${dir}"`], { cwd: projectDir, encoding: "utf8" });
    if (archive.status !== 0) throw new Error(`git archive ${ref} failed: ${archive.stderr}`);
    if (!existsSync(join(dir, "main.ts"))) throw new UserError(`--base: "${ref}" has no main.ts; it predates the stages`);
    const modules = join(projectDir, "node_modules");
    const synth = spawnSync(process.execPath, ["--require", require.resolve("ts-node/register/transpile-only"), "main.ts"], {
      cwd: dir,
      encoding: "utf8",
      env: {
        ...env,
        NODE_PATH: modules,
        CDKTF_OUTDIR: outdir,
        TS_NODE_PROJECT: join(dir, "tsconfig.json"),
        // The ref runs in another folder: the same settings file, by its absolute path.
        ...(env[CONFIG_ENV] && { [CONFIG_ENV]: resolve(projectDir, env[CONFIG_ENV]) }),
      },
    });
    if (synth.status !== 0) throw new UserError(`--base: synthesizing "${ref}" failed:\n${synth.stderr}${synth.stdout}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
