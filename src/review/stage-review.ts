/**
 * One stage's review from end to end: synthesize, plan (online, offline, or as a preview against a prior
 * state built from a base), review, and write plan, plan JSON, review.md and review.json.
 */
import { createHash } from "node:crypto";
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseSettings, type Settings } from "../settings/index";
import { UserError } from "../common/errors";
import { WORK_DIR } from "../terraform/config";
import type { StageName } from "../stages";
import type { Review, ReviewSource } from "./review";
import type { PlanJson } from "./plan";
import { writeState } from "./prior-state";
import { renderReview } from "./render";
import { buildBaseState, planStack, synthesizeRef, synthesizeStage, useLocalState, type PlannedStack, type PriorState, type Progress, type StageSource } from "./run";

/** Where reviews are written by default: .workshop/review/<stage>/ (ignored by git). */
export const REVIEW_DIR = join(WORK_DIR, "review");

/** What a preview compares the head with. */
export type Base =
  | { readonly kind: "source"; readonly source: StageSource; readonly description: string }
  | { readonly kind: "ref"; readonly ref: string };

export interface ReviewContext {
  readonly projectDir: string;
  /** Scratch folder for synthesized stacks; one subfolder per stage and side. */
  readonly workDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly progress?: Progress;
}

/**
 * A git ref's app, synthesized once per review context (all its stacks at once): the folder holding it.
 * Each stage's prior state then starts from a copy of its stack folder.
 */
function refSynthesis(ref: string, ctx: ReviewContext): string {
  const outdir = join(ctx.workDir, `ref-${createHash("sha256").update(ref).digest("hex").slice(0, 12)}`);
  if (!existsSync(outdir)) {
    ctx.progress?.(`synthesizing ${ref} with its own code`);
    mkdirSync(outdir, { recursive: true });
    try {
      synthesizeRef(ctx.projectDir, ref, outdir, ctx.env);
    } catch (error) {
      rmSync(outdir, { recursive: true, force: true });
      throw error;
    }
  }
  return outdir;
}

/** The prior state of `stage` from a base: synthesized from a source, or from a git ref's own code. */
export async function priorStateOf(stage: StageName, base: Base, ctx: ReviewContext, label = "base"): Promise<PriorState> {
  const outdir = join(ctx.workDir, stage, label);
  rmSync(outdir, { recursive: true, force: true });
  if (base.kind === "ref") cpSync(join(refSynthesis(base.ref, ctx), "stacks", stage), join(outdir, "stacks", stage), { recursive: true });
  else synthesizeStage(outdir, stage, base.source, true);
  return buildBaseState(join(outdir, "stacks", stage), stage, ctx.env, { projectDir: ctx.projectDir, progress: ctx.progress, maxRounds: 1 });
}

/** Plans the head of `stage`: offline or online, or against a prior state (offline, without refresh). */
export async function planHead(stage: StageName, head: StageSource, ctx: ReviewContext, options: { offline: boolean; prior?: PriorState; label?: string }): Promise<PlannedStack> {
  const outdir = join(ctx.workDir, stage, options.label ?? "head");
  rmSync(outdir, { recursive: true, force: true });
  const offline = options.offline || options.prior !== undefined;
  const stackDir = synthesizeStage(outdir, stage, head, offline);
  if (options.prior) writeState(useLocalState(stackDir, stage), options.prior.state);
  return planStack(stackDir, ctx.env, { offline, progress: ctx.progress, label: stage });
}

export function describeBase(base: Base): string {
  return base.kind === "ref" ? `git ref ${base.ref}` : base.description;
}

/** Writes plan, plan.json, review.md and review.json into `dir`; returns the review. */
export function writeReview(dir: string, plan: PlanJson, review: Review, planFile?: string): void {
  mkdirSync(dir, { recursive: true });
  if (planFile) copyFileSync(planFile, join(dir, "plan.tfplan"));
  writeFileSync(join(dir, "plan.json"), JSON.stringify(plan));
  writeFileSync(join(dir, "review.json"), `${JSON.stringify(review, null, 2)}\n`);
  writeFileSync(join(dir, "review.md"), renderReview(review));
}

export function reviewSource(options: { offline: boolean; base?: Base }): ReviewSource {
  if (options.base) return { kind: "preview", base: describeBase(options.base) };
  return { kind: options.offline ? "offline" : "online" };
}

/** The settings of --base-settings: a JSON file checked like WORKSHOP_CONFIG's. */
export function readBaseSettings(file: string): Settings {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UserError(`--base-settings: "${file}" cannot be read (${(e as NodeJS.ErrnoException).code}); name a JSON settings file`);
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    throw new UserError(`--base-settings: "${file}" is not valid JSON: ${(e as Error).message}`);
  }
  return parseSettings(input, { source: `base settings in ${file}` });
}
