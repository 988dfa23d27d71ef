/**
 * How settings problems reach a person: one ConfigError listing them (the first ten, then a count), each as
 * "<setting>: <value as given> <what is wrong>; <what is allowed>", with "did you mean" for a mistyped key. Values
 * are shown by `show`: short, with invisible and look-alike characters escaped, and key material never echoed.
 */
import type { z } from "zod";
import { UserError } from "../common/errors";
import { show } from "./blocks";

/** Problems an error message lists; the rest are counted, so that a wrong file gives a short message. */
const SHOWN_PROBLEMS = 10;

export class ConfigError extends UserError {
  constructor(readonly problems: string[], source = "settings") {
    const shown = problems.slice(0, SHOWN_PROBLEMS).map((p) => `  - ${p}`);
    if (problems.length > SHOWN_PROBLEMS) shown.push(`  ... and ${problems.length - SHOWN_PROBLEMS} more; fix these first`);
    super(`Invalid ${source}:\n${shown.join("\n")}`);
  }
}

const KINDS: Record<string, string> = { string: "text", number: "a number", boolean: "true or false", object: "an object" };

/** What kind of JSON value this is, as a user would say it. */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return KINDS[typeof value] ?? typeof value;
}

/** Letters apart, for "did you mean": insertions, deletions and substitutions. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length];
}

/** One schema issue as the lines a person reads; `input` is the settings as given, to show the value at the path. */
export function describeIssue(issue: z.core.$ZodIssue, input: unknown): string[] {
  const where = (path: PropertyKey[]) =>
    path.reduce<string>((acc, key) => {
      if (typeof key === "number") return `${acc}[${key}]`;
      // A key the user typed is shown escaped and short, like a value.
      const name = /^[$\w:-]{1,64}$/.test(String(key)) ? String(key) : `[${show(String(key))}]`;
      return acc && !name.startsWith("[") ? `${acc}.${name}` : `${acc}${name}`;
    }, "");
  if (issue.code === "unrecognized_keys") {
    // The value is never printed: a password or a whole state file put in the wrong place stays unseen.
    const allowed = issue.message.replace(/^allowed here: /, "").split(", ");
    return issue.keys.map((key) => {
      const near = allowed.find((name) => name.toLowerCase() === key.toLowerCase() || distance(name, key) <= 2);
      return `${where([...issue.path, key])}: unknown setting${near ? ` (did you mean ${JSON.stringify(near)}?)` : ""}; ${issue.message}`;
    });
  }
  const message = issue.code === "invalid_key" && issue.issues[0] ? issue.issues[0].message : issue.message;
  const atPath = issue.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k], input);
  const value = atPath !== undefined || !("input" in issue) ? atPath : issue.input;
  const place = where(issue.path) || "(top level)";
  if (issue.code === "invalid_key") {
    return [`${where(issue.path.slice(0, -1))}: the key ${show(issue.path[issue.path.length - 1])} is refused: ${message}`];
  }
  // Key material and other secrets: the check says what it found, and the value is never printed back.
  if (issue.code === "custom" && issue.params?.hideValue === true) return [`${place}: ${message}`];
  if (value === undefined) return [`${place}: missing; ${message}`];
  if (value === null) return [`${place}: null is not a value here (leave the key out for the default); ${message}`];
  if (issue.code === "invalid_type" && typeof value !== "number") {
    const unquoted = typeof value === "string" && /^(-?\d+(\.\d+)?|true|false)$/.test(value.trim());
    const hint = unquoted ? ` (write ${value.trim()} without quotes)` : "";
    return [`${place}: ${show(value)} is ${kindOf(value)}; ${message}${hint}`];
  }
  return [`${place}: ${show(value)} ${message}`];
}

