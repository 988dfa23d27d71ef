/**
 * npm run review -- <stage> [<stage> ...] [--offline] [--base <git ref> | --base-settings <file> | --base-stage <stage>] [--out <dir>] [--accept <kinds>]
 * npm run review -- --plan <plan.json> [<label>] [--region <region>] [--accept <kinds>]
 * Reviews what a change destroys, exposes and costs; writes plan, plan.json, review.md and review.json per
 * stage. Exit code 0: nothing needs a second look; 3: a risk that is blocking or needs an approval, and whose
 * kind --accept does not name; 1: an error (a message, no stack trace).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadSettings } from "../settings/index";
import { TerraformError, UserError } from "../common/errors";
import { policyResults } from "../review/policy";
import { reviewPlan } from "../review";
import { ACCEPTABLE_KINDS, RISK_KINDS, type RiskKind } from "../review/kinds";
import { readPlanFile } from "../review/plan";
import { REVIEW_DIR, planHead, priorStateOf, readBaseSettings, reviewSource, writeReview, type Base } from "../review/stage-review";
import { STAGE_NAMES, type StageName } from "../stages";
import { terraformEnv } from "../terraform/config";
import { boundProviderVersion, closeProviderPools, providerPool } from "../terraform/provider-pool";

export interface ReviewArguments {
  readonly stages: StageName[];
  readonly offline: boolean;
  readonly plan?: string;
  readonly label?: string;
  readonly base?: string;
  readonly baseSettings?: string;
  readonly baseStage?: StageName;
  readonly out?: string;
  /** Price in this region instead of the provider's (a --plan whose region is a variable). */
  readonly region?: string;
  /** Risk kinds the team expects: shown as accepted, they need no second look. */
  readonly accept: RiskKind[];
}

const FLAGS_WITH_VALUE = ["--plan", "--base", "--base-settings", "--base-stage", "--out", "--region", "--accept"];

/** "downtime,cost" -> the kinds; a kind that is unknown or blocking is refused with what --accept takes. */
export function parseAccept(value: string | undefined): RiskKind[] {
  if (value === undefined) return [];
  const kinds = value.split(",").map((k) => k.trim()).filter(Boolean);
  const allowed = `kinds it takes: ${ACCEPTABLE_KINDS.join(", ")}`;
  for (const kind of kinds) {
    const known = RISK_KINDS.find((k) => k.kind === kind);
    if (!known) throw new UserError(`--accept: "${kind}" is not a risk kind; ${allowed}`);
    if (known.severity === "blocking") throw new UserError(`--accept: "${kind}" is blocking (${known.means}) and cannot be accepted; ${allowed}`);
  }
  if (kinds.length === 0) throw new UserError(`--accept needs kinds separated by commas, e.g. downtime,data-loss; ${allowed}`);
  return [...new Set(kinds)] as RiskKind[];
}
const isStage = (s: string): s is StageName => (STAGE_NAMES as readonly string[]).includes(s);

/** Parses the command line; every mistake is a UserError that says what is allowed. */
export function parseReviewArguments(argv: string[]): ReviewArguments {
  const values: Record<string, string> = {};
  const positional: string[] = [];
  let offline = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--offline") offline = true;
    else if (FLAGS_WITH_VALUE.includes(arg)) {
      const value = argv[++i];
      if (value === undefined || value.startsWith("--")) throw new UserError(`${arg} needs a value`);
      values[arg] = value;
    } else if (arg.startsWith("--")) {
      throw new UserError(`${arg}: unknown option; allowed: --offline, ${FLAGS_WITH_VALUE.join(", ")}`);
    } else positional.push(arg);
  }
  const plan = values["--plan"];
  const accept = parseAccept(values["--accept"]);
  if (plan !== undefined) {
    if (positional.length > 1) throw new UserError(`--plan reviews one plan; give at most one label, not ${positional.length} (${positional.join(", ")})`);
    const other = ["--base", "--base-settings", "--base-stage"].find((f) => values[f] !== undefined);
    if (other || offline) throw new UserError(`--plan reviews a finished plan; it does not combine with ${other ?? "--offline"}`);
    return { stages: [], offline, plan, label: positional[0] ?? "plan", out: values["--out"], region: values["--region"], accept };
  }
  if (values["--region"] !== undefined) throw new UserError("--region prices a --plan made elsewhere; a stage's own region comes from its settings");
  const unknown = positional.filter((s) => !isStage(s));
  if (unknown.length > 0) throw new UserError(`stage: ${unknown.join(", ")} is not a stage; allowed: ${STAGE_NAMES.join(", ")}`);
  if (positional.length === 0) throw new UserError(`name at least one stage (${STAGE_NAMES.join(", ")}), or --plan <file>`);
  const bases = ["--base", "--base-settings", "--base-stage"].filter((f) => values[f] !== undefined);
  if (bases.length > 1) throw new UserError(`${bases.join(" and ")}: give one base, not ${bases.length}`);
  const baseStage = values["--base-stage"];
  const stages = positional as StageName[];
  if (baseStage !== undefined) {
    if (!isStage(baseStage)) throw new UserError(`--base-stage: "${baseStage}" is not a stage; allowed: ${STAGE_NAMES.join(", ")}`);
    // An earlier lesson reviews the step forward to the stage; a later one reviews a teardown to it.
    if (stages.includes(baseStage)) {
      throw new UserError(
        `--base-stage: "${baseStage}" is the stage under review; name an earlier lesson (the step forward) or a later one (a teardown); stages in order: ${STAGE_NAMES.join(", ")}`,
      );
    }
  }
  return {
    stages,
    offline,
    base: values["--base"],
    baseSettings: values["--base-settings"],
    baseStage: baseStage as StageName | undefined,
    out: values["--out"],
    accept,
  };
}

async function main(argv: string[]): Promise<number> {
  const args = parseReviewArguments(argv);
  const projectDir = process.cwd();
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const outFor = (stage: string) => resolve(args.out ?? REVIEW_DIR, args.out && args.stages.length <= 1 ? "" : stage);

  if (args.plan) {
    const plan = readPlanFile(args.plan);
    const label = args.label ?? "plan";
    const review = reviewPlan(plan, { stage: label, source: { kind: "plan-file" }, region: args.region, accept: args.accept });
    writeReview(outFor(label), plan, review);
    console.log(`${label}: ${review.verdict}; review in ${outFor(label)}`);
    return review.exitCode;
  }

  const settings = loadSettings();
  const preview = args.base !== undefined || args.baseSettings !== undefined || args.baseStage !== undefined;
  const offline = args.offline || preview;
  const env = terraformEnv(projectDir, { offline });
  // Offline plans use providers lent from the pool: start one while the stages synthesize.
  providerPool(env, boundProviderVersion())?.warm();
  const workDir = mkdtempSync(join(tmpdir(), "workshop-review-"));
  try {
    const ctx = { projectDir, workDir, env, progress };
    const base: Base | undefined =
      args.base !== undefined
        ? { kind: "ref", ref: args.base }
        : args.baseSettings !== undefined
          ? { kind: "source", source: { settings: readBaseSettings(args.baseSettings) }, description: `settings in ${args.baseSettings}` }
          : args.baseStage !== undefined
            ? { kind: "source", source: { settings, lesson: args.baseStage }, description: `stage ${args.baseStage}` }
            : undefined;
    const reviews = await Promise.all(
      args.stages.map(async (stage) => {
        const prior = base ? await priorStateOf(stage, base, ctx) : undefined;
        const planned = await planHead(stage, { settings }, ctx, { offline, prior });
        const review = reviewPlan(planned.json, { stage, source: reviewSource({ offline, base }), policy: policyResults(planned.stackDir, stage), accept: args.accept });
        writeReview(outFor(stage), planned.json, review, planned.planFile);
        return review;
      }),
    );
    for (const review of reviews) {
      const s = review.summary;
      console.log(
        `${review.stage}: ${review.verdict}: ${s.add} to add, ${s.change} to change, ${s.destroy} to destroy, ${s.replace} to replace; ` +
          `${review.risks.length} risk(s); review in ${outFor(review.stage)}/review.md`,
      );
      for (const risk of review.risks) console.log(`  ${risk.kind} (${risk.severity}${risk.accepted ? ", accepted" : ""}): ${risk.address}: ${risk.reason}`);
    }
    return reviews.some((r) => r.exitCode === 3) ? 3 : 0;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  // The offline plans' providers stop before the exit (the exit handlers would stop them too, a moment later).
  const exit = (code: number) => void closeProviderPools().finally(() => process.exit(code));
  main(process.argv.slice(2)).then(exit, (error: unknown) => {
    // A mistake is its message alone; a Terraform failure (a UserError too) is said once, in Terraform's own words.
    if (error instanceof UserError) console.error(error instanceof TerraformError ? `review failed: ${error.message.trim()}` : error.message);
    else console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    exit(1);
  });
}
