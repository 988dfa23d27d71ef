/**
 * Path routing, as the settings decide it: which service is the listener's default, what priority a rule
 * gets, and which path patterns could match the same request.
 *
 * Priorities: patterns that could match the same path are refused, so no two rules compete for a request and
 * the order they are evaluated in does not matter. A rule's priority is therefore only an identifier, derived
 * from the service's name so that it stays the same when the list is reordered or grows; an explicit
 * `priority` wins, and two services whose names hash to the same number are told to set one.
 */
import { createHash } from "node:crypto";
import { MAX_PRIORITY } from "./facts/elb";

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
