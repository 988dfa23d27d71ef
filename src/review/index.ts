/**
 * Plan review: what a change destroys, exposes and costs.
 *
 *   plan JSON (terraform show -json)  ->  Review (review.ts: the review.json contract)  ->  markdown (render.ts)
 *
 * plan.ts reads the plan; changes.ts counts and explains each resource's change (json-attributes.ts: the keys
 * that change inside a JSON document); renames.ts pairs what a rename destroys and creates; causes.ts finds the
 * root causes; names.ts names resources; exposure.ts finds the paths from the internet and between security
 * groups; iam.ts diffs role permissions; risks.ts names the risks (their kinds and severities in kinds.ts;
 * in-place.ts, moves.ts and blocked.ts read the AWS facts in aws-facts.ts); cost.ts prices the stage before
 * and after; diagram.ts draws it; render*.ts and markdown.ts write review.md; run.ts runs Terraform for it,
 * and prior-state.ts builds the state a preview plans against.
 *
 * review.json is read by CI and other tools, and stays stable: fields are only ever added. Version 1 holds
 *   stage            the stage (or the label given with --plan)
 *   source           "online" | "offline" | "preview" | "plan-file", and for a preview what the base was
 *   verdict          "no changes" | "ok" | "needs a second look"
 *   summary          { add, change, destroy, replace }: a replacement counts once, as a replacement
 *   changes[]        { address, type, actions, kind, replacePaths?, order?, reason?, attributes?, causedBy? }; an attribute
 *                    holding a JSON document (container_definitions, a policy) also has keys[]: { path, before, after }
 *   renames[]        { from, to, resources: [{ type, before, after }] }: destroyed and created resources paired by name
 *   causes[]         { kind: replace | delete | update | rename, address?, rename?: { from, to }, follow[] }, most severe first
 *   names            { address: "VPC main" }: what to call each resource (its AWS name, else the lesson's)
 *   ids              { id or ARN: address }: the resources the ids in changed attributes point at
 *   risks[]          { kind, severity, address, reason, accepted? }, most serious first: severity "blocking" (the apply
 *                    fails or leaves the stage broken), "needs-approval" or "info"; accepted: true when --accept named its kind
 *   riskKinds[]      { kind, severity } for every kind (kinds.ts): orphaned-stack, blocked-apply, refused and
 *                    name-collision are blocking; data-loss, new-internet-path, downtime, needs-companion,
 *                    iam-broadened and cost need an approval; deferred is info
 *   accepted[]       the kinds accepted with --accept (never a blocking one)
 *   exposure         { before, after, newInternetPaths }, each a list of { from, to, port, via, publicIp?, sources?, vias? }:
 *                    one per (from, to, port); the ways of one path from the internet (0.0.0.0/0, ::/0, a listener) in sources
 *   iam[]            { role, granted, withdrawn, unknownAfter, existedBefore, deleted? }
 *   cost             { currency, region, regionBefore?, monthly, monthlyBefore, priceDate, priceSource, assumptions, lines, linesBefore, unpriced }
 *                    (regionBefore: where the prior state's resources run, when that is another region; "before" is priced there)
 *   policy           { findings: [{ ruleId, severity, address, message }], waivers: [{ ruleId, address, reason }] }
 *   diagram          Mermaid source
 *   exitCode         3 when the verdict is "needs a second look" (a risk that is not info and not accepted), else 0
 */
import { rootCauses } from "./causes";
import { resourceChanges, summarize } from "./changes";
import { cost } from "./cost";
import { diagram } from "./diagram";
import { exposure } from "./exposure";
import { iamChanges } from "./iam";
import { idAddresses, resourceNames } from "./names";
import type { PlanJson } from "./plan";
import { renames } from "./renames";
import type { PolicyResults, Review, ReviewSource, Verdict } from "./review";
import { markAccepted, needsALook, RISK_KINDS, type RiskKind } from "./kinds";
import { priorRegion } from "./moves";
import { risks } from "./risks";

export type * from "./review";

export interface ReviewOptions {
  readonly stage: string;
  readonly source: ReviewSource;
  /** Price the stage in this region. @default - the AWS provider's region in the plan */
  readonly region?: string;
  /** The stage's policy results (src/review/policy.ts). @default - none checked */
  readonly policy?: PolicyResults;
  /** Risk kinds the team expects (--accept): shown as accepted, they need no second look. Blocking kinds never are. @default - none */
  readonly accept?: readonly RiskKind[];
}

/** The review of one plan: pure, no Terraform, no files. */
export function reviewPlan(plan: PlanJson, options: ReviewOptions): Review {
  const changes = resourceChanges(plan);
  const summary = summarize(changes);
  const paths = exposure(plan);
  const iam = iamChanges(plan);
  const accept = options.accept ?? [];
  const estimate = cost(plan, options.region, priorRegion(plan));
  const found = markAccepted(risks({ plan, changes, newInternetPaths: paths.newInternetPaths, iam, cost: estimate }), accept);
  const renamed = renames(plan, changes);
  const verdict: Verdict = changes.length === 0 && found.length === 0 ? "no changes" : found.some(needsALook) ? "needs a second look" : "ok";
  return {
    version: 1,
    stage: options.stage,
    source: options.source,
    verdict,
    summary,
    changes,
    renames: renamed,
    causes: rootCauses(changes, renamed, found),
    names: resourceNames(plan),
    ids: idAddresses(plan, changes),
    risks: found,
    riskKinds: RISK_KINDS.map(({ kind, severity }) => ({ kind, severity })),
    accepted: [...accept],
    exposure: paths,
    iam,
    cost: estimate,
    policy: options.policy ?? { findings: [], waivers: [] },
    diagram: diagram(plan, paths.after),
    exitCode: verdict === "needs a second look" ? 3 : 0,
  };
}

