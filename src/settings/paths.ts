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
import { MAX_CONDITION_VALUES_PER_RULE, MAX_PRIORITY, MAX_WILDCARDS_PER_RULE } from "./facts/elb";
import { show } from "./blocks";

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
  // A path that matches both starts with the literal text of each before its first wildcard, and ends with
  // the literal text of each after its last: where those disagree (most pairs of services), nothing does.
  if (!literalEndsAgree(a, b) || !literalEndsAgree(reversed(a), reversed(b))) return false;
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

const reversed = (text: string) => [...text].reverse().join("");

/** True when the literal starts of two patterns (up to the first "*" or "?") agree as far as both go. */
function literalEndsAgree(a: string, b: string): boolean {
  for (let i = 0; i < a.length && i < b.length; i++) {
    if (a[i] === "*" || a[i] === "?" || b[i] === "*" || b[i] === "?") return true;
    if (a[i] !== b[i]) return false;
  }
  return true;
}

/** The path patterns of each entry of the services list, with where they stand in the settings. */
interface PathEntry {
  readonly paths?: readonly string[];
}

/**
 * Every problem of the path patterns: "/" mixed with patterns, more values or wildcards than one listener rule takes,
 * a pattern listed twice, and patterns of two services that one request could match. Patterns of one service may
 * overlap ("/api/*" and "/api/v1/*"): they are values of one rule, which sends both to the same place.
 */
export function pathListProblems(entries: readonly PathEntry[]): string[] {
  const problems: string[] = [];
  const seen: Array<{ path: string; where: string; service: number }> = [];
  entries.forEach((entry, i) => {
    const paths = entry.paths ?? [];
    const patterns = paths.filter((path) => path !== DEFAULT_PATH);
    if (paths.includes(DEFAULT_PATH) && patterns.length > 0) {
      problems.push(`services[${i}].paths: ${show(paths)} mixes "/" (every request no rule takes) with patterns; the default service takes only "/"`);
    }
    if (patterns.length > MAX_CONDITION_VALUES_PER_RULE) {
      problems.push(
        `services[${i}].paths: ${patterns.length} patterns; a listener rule holds at most ${MAX_CONDITION_VALUES_PER_RULE}, so use wildcards ("/api/*") or fewer patterns`,
      );
    }
    const wildcards = patterns.join("").replace(/[^*?]/g, "").length;
    if (wildcards > MAX_WILDCARDS_PER_RULE) {
      problems.push(
        `services[${i}].paths: ${show(patterns)} holds ${wildcards} wildcards ("*" and "?") in all; ` +
          `allowed: at most ${MAX_WILDCARDS_PER_RULE} in one listener rule (an ALB quota AWS does not raise), so use fewer or broader patterns`,
      );
    }
    patterns.forEach((path, j) => {
      const where = `services[${i}].paths[${j}]`;
      const clash = seen.find((other) => (other.service === i ? other.path === path : patternsOverlap(other.path, path)));
      if (clash) {
        problems.push(
          `${where}: ${show(path)} ${clash.path === path ? "repeats" : "overlaps"} ${clash.where} ${show(clash.path)}: a request could match both; ` +
            `give each path to one service, once (patterns of different services must not overlap, so that rule order never matters)`,
        );
      } else seen.push({ path, where, service: i });
    });
  });
  return problems;
}
