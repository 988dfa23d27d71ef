/**
 * The building blocks every settings section is made of. Each rule carries the sentence that says what is
 * allowed, so that an error names the setting, the value given and what would be accepted. Nothing here knows
 * a section: sections import these, and the composition (index.ts) imports the sections.
 */
import { z } from "zod";

export function wholeRange(min: number, max: number) {
  const allowed = `must be a whole number from ${min} to ${max}`;
  return z.int({ error: allowed }).min(min, { error: allowed }).max(max, { error: allowed });
}

export function wholeNumber(min: number, max: number, defaultValue: number, description: string) {
  return wholeRange(min, max).default(defaultValue).describe(description);
}

/** A setting a list entry may leave out (it then takes a section's value). */
export function optionalWholeNumber(min: number, max: number, description: string) {
  return wholeRange(min, max).optional().describe(description);
}

export function choice<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of ${values.map((v) => JSON.stringify(v)).join(", ")}` });
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T, defaultValue: T[number], description: string) {
  return choice(values).default(defaultValue).describe(description);
}

export function pattern(regex: RegExp, allowed: string) {
  return z.string({ error: allowed }).regex(regex, { error: allowed });
}

export const keyPairName = () => pattern(/^[\x20-\x7e]{1,255}$/, "must be the name of an EC2 key pair: 1 to 255 printable ASCII characters");
export const urlPath = () => pattern(/^\/\S*$/, 'must be a path starting with "/"');

export function flag(defaultValue: boolean, description: string) {
  return z.boolean({ error: "must be true or false" }).default(defaultValue).describe(description);
}

/** An object whose unknown keys are errors that list the keys allowed there. */
export function strictGroup<S extends z.ZodRawShape>(shape: S) {
  const allowed = `allowed here: ${Object.keys(shape).join(", ")}`;
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? allowed : issue.code === "invalid_type" ? `must be an object of settings; ${allowed}` : undefined,
  });
}

/** A group of settings: unknown keys are errors that list the keys allowed here. */
export function section<S extends z.ZodRawShape>(shape: S, description: string) {
  const group = strictGroup(shape);
  // Every field of a section has a default, so an absent section is an empty one.
  const empty = {} as z.input<typeof group>;
  return group.prefault(empty).describe(description);
}

/** The lesson's values of a section: what it holds when the settings file leaves it out. Frozen. */
export function sectionDefaults<T>(schema: z.ZodType<T>): Readonly<T> {
  return deepFreeze(schema.parse(undefined));
}

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** `defaults` with every override that is not undefined: what constructs do with their optional settings. */
export function withDefaults<T extends object>(defaults: T, overrides: Partial<T> = {}): T {
  const given = Object.entries(overrides).filter(([, value]) => value !== undefined);
  return { ...defaults, ...(Object.fromEntries(given) as Partial<T>) };
}

/** A value as an error message shows it: short, so that a long or secret value is not printed back whole. */
export function show(value: unknown): string {
  if (typeof value === "string") return value.length > 80 ? `${JSON.stringify(value.slice(0, 72))}... (${value.length} characters)` : JSON.stringify(value);
  if (Array.isArray(value)) return value.length <= 3 && JSON.stringify(value).length <= 60 ? JSON.stringify(value) : `a list of ${value.length}`;
  if (value !== null && typeof value === "object") return "an object";
  return String(value);
}

/** "<at>: a 1, b 3, c 2 must satisfy a <= b <= c" when the named values, in the given order, do not ascend. */
export function orderProblems(at: string, values: Readonly<Record<string, number>>): string[] {
  const named = Object.entries(values);
  if (named.every(([, value], i) => i === 0 || named[i - 1][1] <= value)) return [];
  return [`${at}: ${named.map(([name, value]) => `${name} ${value}`).join(", ")} must satisfy ${named.map(([name]) => name).join(" <= ")}`];
}
