/**
 * The review object: the contract review.json holds and every view (render.ts) reads. Fields are only ever
 * added; index.ts says what each one holds.
 */
import type { RootCause } from "./causes";
import type { ChangeEntry, Summary } from "./changes";
import type { Cost } from "./cost";
import type { Exposure } from "./exposure";
import type { RoleChange } from "./iam";
import type { Risk, RiskKind, RiskSeverity } from "./kinds";
import type { Rename } from "./renames";

export type Severity = "error" | "warning" | "info";

/** A finding of the policy checks (issue 8), as the review shows it. */
export interface PolicyFinding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly address: string;
  readonly message: string;
}

/** A finding the project accepts on purpose, and why. */
export interface PolicyWaiver {
  readonly ruleId: string;
  readonly address: string;
  readonly reason: string;
}

export interface PolicyResults {
  readonly findings: PolicyFinding[];
  readonly waivers: PolicyWaiver[];
}

export type ReviewSource =
  | { readonly kind: "online" | "offline" | "plan-file" }
  | { readonly kind: "preview"; readonly base: string };

export type Verdict = "no changes" | "ok" | "needs a second look";

export interface Review {
  readonly version: 1;
  readonly stage: string;
  readonly source: ReviewSource;
  readonly verdict: Verdict;
  readonly summary: Summary;
  readonly changes: ChangeEntry[];
  /** Destroyed and created resources paired: a service renamed moves every resource of it to a new address. */
  readonly renames: Rename[];
  /** The changes every other change follows from, the most severe first. */
  readonly causes: RootCause[];
  /** What to call each resource of the plan, by address ("VPC main"). */
  readonly names: Record<string, string>;
  /** The ids and ARNs in the changed attributes, each with the address of the resource it is. */
  readonly ids: Record<string, string>;
  readonly risks: Risk[];
  /** Every risk kind the review knows and its severity, most serious first. */
  readonly riskKinds: ReadonlyArray<{ readonly kind: RiskKind; readonly severity: RiskSeverity }>;
  /** The kinds accepted with --accept: their risks are shown, marked accepted, and need no second look. */
  readonly accepted: RiskKind[];
  readonly exposure: Exposure;
  readonly iam: RoleChange[];
  readonly cost: Cost;
  readonly policy: PolicyResults;
  readonly diagram: string;
  readonly exitCode: 0 | 3;
}
