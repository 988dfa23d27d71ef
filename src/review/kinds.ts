/**
 * The kinds of risk a review names, and how serious each is. The severity decides the verdict and the exit
 * code: a risk that is blocking or needs an approval makes the review "needs a second look" (exit code 3),
 * unless its kind was accepted (--accept); a blocking risk cannot be accepted, because no approval makes the
 * apply work. Info risks are shown and change nothing.
 */

export type RiskKind =
  | "orphaned-stack"
  | "blocked-apply"
  | "refused"
  | "name-collision"
  | "data-loss"
  | "new-internet-path"
  | "downtime"
  | "needs-companion"
  | "iam-broadened"
  | "cost"
  | "deferred";

export type RiskSeverity = "blocking" | "needs-approval" | "info";

/** A risk as a rule finds it; its severity comes with its kind (risk() below). */
export interface Finding<K extends RiskKind = RiskKind> {
  readonly kind: K;
  readonly address: string;
  readonly reason: string;
}

export interface Risk {
  readonly kind: RiskKind;
  readonly severity: RiskSeverity;
  readonly address: string;
  readonly reason: string;
  /** Present (true) when the kind was accepted with --accept: shown, but it no longer needs a second look. */
  readonly accepted?: true;
}

/** Every kind, its severity and what it means, most serious first: the order risks are listed in. */
export const RISK_KINDS: ReadonlyArray<{ readonly kind: RiskKind; readonly severity: RiskSeverity; readonly means: string }> = [
  { kind: "orphaned-stack", severity: "blocking", means: "the state's resources run in another region, account or partition than the provider now targets: they keep running and billing, and a new, empty stack is created" },
  { kind: "blocked-apply", severity: "blocking", means: "a network resource is destroyed while a resource that is kept still uses it: the apply stalls and fails, leaving the stage half destroyed" },
  { kind: "refused", severity: "blocking", means: "AWS refuses the change (a decrease, a downgrade, a major version without its flag): the apply fails" },
  { kind: "name-collision", severity: "blocking", means: "a replacement created before its predecessor is gone would take the same fixed AWS name: the apply fails" },
  { kind: "data-loss", severity: "needs-approval", means: "data is deleted with a resource (a database, a repository with images, a log group)" },
  { kind: "new-internet-path", severity: "needs-approval", means: "the internet can newly reach something" },
  { kind: "downtime", severity: "needs-approval", means: "something serving stops: destroyed, replaced destroy-before-create, or modified in place with an outage" },
  { kind: "needs-companion", severity: "needs-approval", means: "the change takes effect only with another step or setting (a reboot, a replacement on change)" },
  { kind: "iam-broadened", severity: "needs-approval", means: "an existing role is allowed more" },
  { kind: "cost", severity: "needs-approval", means: "the monthly estimate rises by a dollar or more" },
  { kind: "deferred", severity: "info", means: "AWS applies the change later (the maintenance window); every plan shows it again until then" },
];

/** Severities, most urgent first. */
export const SEVERITY_ORDER: readonly RiskSeverity[] = ["blocking", "needs-approval", "info"];

function severityOf(kind: RiskKind): RiskSeverity {
  return RISK_KINDS.find((k) => k.kind === kind)?.severity ?? "needs-approval";
}

/** The kinds --accept takes: every kind that is not blocking. */
export const ACCEPTABLE_KINDS: readonly RiskKind[] = RISK_KINDS.filter((k) => k.severity !== "blocking").map((k) => k.kind);

/** A risk with its kind's severity. */
export function risk(kind: RiskKind, address: string, reason: string): Risk {
  return { kind, severity: severityOf(kind), address, reason };
}

/** Most serious first: by severity, then by kind, and in the order found within a kind (the sort is stable). */
export function bySeverity(a: Risk, b: Risk): number {
  const rank = (r: Risk) => SEVERITY_ORDER.indexOf(r.severity) * 100 + RISK_KINDS.findIndex((k) => k.kind === r.kind);
  return rank(a) - rank(b);
}

/** The risks with the accepted kinds marked; blocking risks are never accepted. */
export function markAccepted(risks: readonly Risk[], accept: readonly RiskKind[]): Risk[] {
  return risks.map((r) => (accept.includes(r.kind) && r.severity !== "blocking" ? { ...r, accepted: true as const } : r));
}

/** True when a risk still needs someone to look: not info, and not accepted. */
export function needsALook(r: Risk): boolean {
  return r.severity !== "info" && r.accepted !== true;
}
