/**
 * Path routing on the load balancer's listener: one listener rule per routed service, forwarding its path
 * patterns to its target group. The service at "/" is the listener's default action instead of a rule.
 *
 * Priorities: patterns that could match the same path are refused, so no two rules compete for a request and
 * the order they are evaluated in does not matter. A rule's priority is therefore only an identifier, derived
 * from the service's name so that it stays the same when the list is reordered or grows; an explicit
 * `priority` wins, and two services whose names hash to the same number are told to set one.
 */
import { createHash } from "node:crypto";
import { Construct } from "constructs";
import type { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import type { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";

// source: Elastic Load Balancing quotas and listener rule conditions,
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html and
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html, read 2026-11-22
/** Rules a listener takes besides its default action. */
export const MAX_RULES_PER_LISTENER = 100;
/** Values (path patterns here) one rule's conditions may hold in all. */
export const MAX_CONDITION_VALUES_PER_RULE = 5;
/** Listener rule priorities run from 1 to 50000. */
export const MAX_PRIORITY = 50000;

/** The path that makes a service the listener's default (catch-all) action rather than a rule. */
export const DEFAULT_PATH = "/";

/** The rule priority a service name gets when none is given: a stable hash into 1..50000. */
export function derivedPriority(name: string): number {
  return (createHash("sha256").update(name).digest().readUInt32BE(0) % MAX_PRIORITY) + 1;
}

/**
 * True when some request path matches both ALB path patterns ("*" any run of characters, "?" one character).
 * "/api/*" and "/api/v1/*" overlap; "/api/*" and "/app/*" do not.
 */
export function patternsOverlap(a: string, b: string): boolean {
  const seen = new Map<string, boolean>();
  const meet = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const known = seen.get(key);
    if (known !== undefined) return known;
    seen.set(key, false);
    let result: boolean;
    if (i === a.length && j === b.length) result = true;
    else if (a[i] === "*") result = meet(i + 1, j) || (j < b.length && meet(i, j + 1));
    else if (b[j] === "*") result = meet(i, j + 1) || (i < a.length && meet(i + 1, j));
    else if (i === a.length || j === b.length) result = false;
    else result = (a[i] === "?" || b[j] === "?" || a[i] === b[j]) && meet(i + 1, j + 1);
    seen.set(key, result);
    return result;
  };
  return meet(0, 0);
}

export interface PathRuleProps {
  /** The listener that routes requests: the HTTPS one when there is a certificate. */
  readonly listener: LbListener;
  readonly targetGroup: LbTargetGroup;
  /** Path patterns, at most five. */
  readonly paths: readonly string[];
  readonly priority: number;
}

/** A listener rule forwarding `paths` to the target group. */
export function pathRule(scope: Construct, id: string, props: PathRuleProps): LbListenerRule {
  return new LbListenerRule(scope, id, {
    listenerArn: props.listener.arn,
    priority: props.priority,
    action: [{ type: "forward", targetGroupArn: props.targetGroup.arn }],
    condition: [{ pathPattern: { values: [...props.paths] } }],
  });
}
