/** Shared by the review tests: plan heads against prior states built from bases, with real Terraform, offline. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseSettings, type SettingsInput } from "../../src/settings/index";
import { reviewPlan, type Review } from "../../src/review";
import { policyResults } from "../../src/review/policy";
import type { StageSource, PriorState } from "../../src/review/run";
import { planHead, priorStateOf, type ReviewContext } from "../../src/review/stage-review";
import type { StageName } from "../../src/stages";
import { terraformEnv } from "../../src/terraform/config";
import { sharedTextOnce } from "./run-cache";

export const PROJECT_DIR = join(__dirname, "..", "..");

export function reviewContext(): ReviewContext & { dispose: () => Promise<void> } {
  const workDir = mkdtempSync(join(tmpdir(), "workshop-review-test-"));
  return {
    projectDir: PROJECT_DIR,
    workDir,
    env: terraformEnv(workDir, { offline: true }),
    // (the offline plans' providers stop after each terraform-level file: support/terraform-each.js)
    dispose: async () => rmSync(workDir, { recursive: true, force: true }),
  };
}

export function source(input: SettingsInput = {}, extra: Omit<StageSource, "settings"> = {}): StageSource {
  return { settings: parseSettings(input), ...extra };
}

/** A head planned against a prior state, reviewed. */
export async function reviewHead(ctx: ReviewContext, stage: StageName, head: StageSource, prior: PriorState, label: string): Promise<Review> {
  const planned = await planHead(stage, head, ctx, { offline: true, prior, label });
  return reviewPlan(planned.json, { stage, source: { kind: "preview", base: label }, policy: policyResults(planned.stackDir, stage) });
}

export { priorStateOf };

/**
 * The prior state of `stage` from the lesson's own plan. review-preview, review-stages and review-launch-templates
 * start from it for db, fargate and alb: the first file to ask builds it (Terraform plans and show -json) and the other reads it.
 */
export async function lessonPriorOf(stage: StageName, ctx: ReviewContext): Promise<PriorState> {
  const lesson = { kind: "source" as const, source: source(), description: "the lesson" };
  return JSON.parse(await sharedTextOnce(`lesson prior ${stage}`, async () => JSON.stringify(await priorStateOf(stage, lesson, ctx)))) as PriorState;
}

/** The one change at an address prefix, e.g. "aws_db_instance.". */
export function changeOf(review: Review, prefix: string) {
  const found = review.changes.filter((c) => c.address.startsWith(prefix));
  if (found.length !== 1) throw new Error(`expected one change of ${prefix}, found ${found.map((c) => c.address).join(", ") || "none"}`);
  return found[0];
}
