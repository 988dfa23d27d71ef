/** The vocabulary of the policy checks: rules, the findings they make, and the waivers that accept them. */
import type { StackView } from "./stack-view";

/** "error" fails the synth unless waived; "warning" is printed. */
export type Severity = "error" | "warning";

/** One place a rule flags: a resource address ("aws_lb.x") or "terraform.backend" for the state settings. */
export interface Flag {
  readonly address: string;
  /** What exactly is wrong there, when the rule's reason alone does not say it. */
  readonly detail?: string;
}

export interface Rule {
  /** Our id, stable: waivers and skip lists name it. */
  readonly id: string;
  /** The AWS service, which is also the file the rule lives in. */
  readonly service: string;
  readonly severity: Severity;
  /** One line: why it matters. */
  readonly reason: string;
  /** One line: what to change. */
  readonly fix: string;
  /** The matching checks of other tools, where they exist. */
  readonly checkov?: readonly string[];
  readonly trivy?: readonly string[];
  readonly securityHub?: readonly string[];
  /** Every place in the stack that breaks the rule. */
  check(stack: StackView): Flag[];
}

/** A rule broken at one place of one stack, and the waiver that accepts it, if any. */
export interface Finding {
  readonly stack: string;
  readonly rule: string;
  readonly severity: Severity;
  readonly address: string;
  /** The construct path, from cdktf's metadata, when the address is a resource. */
  readonly path?: string;
  readonly reason: string;
  readonly fix: string;
  readonly detail?: string;
  /** Why this finding is accepted; absent when it is not. */
  readonly waiver?: string;
}

/** A waiver declared on a resource for a rule that finds nothing there: it must go. */
export interface UnusedWaiver {
  readonly stack: string;
  readonly rule: string;
  readonly address: string;
  readonly reason: string;
}

/** The policy result of one stack: what the plan review shows and the synth acts on. */
export interface PolicyReport {
  readonly stack: string;
  /** Every finding, waived or not, in rule order. */
  readonly findings: Finding[];
  readonly unusedWaivers: UnusedWaiver[];
}
