/**
 * The building blocks every settings section is made of. Each rule carries the sentence that says what is
 * allowed, so that an error names the setting, the value given and what would be accepted. Nothing here knows
 * a section: sections import these, and the composition (index.ts) imports the sections.
 */
import { z } from "zod";
import { MAX_HEALTH_CHECK_PATH_LENGTH } from "./facts/elb";
import { instanceTypeProblem, notOnAmazonLinux2023 } from "./facts/instance-families";

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

/**
 * Key material where a name belongs: an OpenSSH public key ("ssh-ed25519 AAAA...", "ecdsa-sha2-nistp256 ..."),
 * its base64 body, a PEM block ("-----BEGIN OPENSSH PRIVATE KEY-----"), an SSH2 or PuTTY key file.
 */
const KEY_MATERIAL =
  /(^|\s)(ssh-(rsa|dss|ed25519|ed448)|ecdsa-sha2-[a-z0-9-]+|sk-[a-z0-9-]+@openssh\.com)(\s|$)|-----BEGIN |---- BEGIN SSH2|PuTTY-User-Key-File-|(^|[^A-Za-z0-9+/])AAAA[A-Za-z0-9+/]{16,}/;
const PRIVATE_KEY = /PRIVATE KEY|PuTTY-User-Key-File-/;

/** What a message says instead of echoing key material. */
export function keyMaterialKind(text: string): string | undefined {
  if (!KEY_MATERIAL.test(text)) return undefined;
  return PRIVATE_KEY.test(text) ? "a private key" : "an SSH public key";
}

const KEY_PAIR_RULE = "must be the name of an EC2 key pair: 1 to 255 printable ASCII characters";

/** The name of an EC2 key pair; key material pasted instead is refused without being echoed (its zod issue carries hideValue). */
export const keyPairName = () =>
  z.string({ error: KEY_PAIR_RULE }).superRefine((name, context) => {
    const kind = keyMaterialKind(name);
    if (kind) {
      const advice =
        kind === "a private key"
          ? "a private key must never be in settings: treat it as exposed, replace the key pair, and give only its name"
          : "import the public key with aws ec2 import-key-pair and give the name it gets there";
      context.addIssue({
        code: "custom",
        params: { hideValue: true },
        message: `holds ${kind} (not shown here), not the name of a key pair; allowed: the key pair's name in EC2, such as "lesson-key" (aws ec2 describe-key-pairs); ${advice}`,
      });
    } else if (!/^[\x20-\x7e]{1,255}$/.test(name)) context.addIssue({ code: "custom", message: KEY_PAIR_RULE });
  });

/**
 * An EC2 instance type that exists and runs Amazon Linux 2023, the image of the jump host and of the ECS instances:
 * one check for every instance type setting, with `examples` in its message.
 */
export function instanceType(examples: string) {
  const rule = `must be an EC2 instance type such as ${examples}`;
  return z.string({ error: rule }).superRefine((type, context) => {
    const problem = instanceTypeProblem(type);
    const image = problem === undefined ? notOnAmazonLinux2023(type) : undefined;
    if (problem) context.addIssue({ code: "custom", message: `${rule} (${problem})` });
    else if (image) context.addIssue({ code: "custom", message: `cannot run Amazon Linux 2023, the image the stages start it with: ${image}` });
  });
}

/** A health check path. */
export const urlPath = () =>
  pattern(/^\/\S*$/, 'must be a path starting with "/"').max(MAX_HEALTH_CHECK_PATH_LENGTH, {
    error: `must be a path starting with "/" of at most ${MAX_HEALTH_CHECK_PATH_LENGTH} characters (the longest health check path AWS takes)`,
  });

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

/**
 * Characters an echoed value must not hide: controls, invisible and direction-changing ones (zero-width space,
 * bidi overrides, soft hyphen, fillers, spaces other than " "), combining marks, and letters that look like ASCII
 * (Cyrillic, Greek, Armenian and Cherokee letters, compatibility forms such as fullwidth "ａ", dotless "ı").
 */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Z}\p{M}\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Armenian}\p{Script=Cherokee}\p{Script=Coptic}\u115f\u1160\u3164\uffa0\u2800ıȷɑɡɩɪʟʀʏᴀᴄᴅᴇᴊᴋᴍᴏᴘᴛᴜᴠᴡᴢǀǃ]/u;

/** A character as JSON escapes it: "\\u043e", or a surrogate pair for one beyond the first plane. */
const escaped = (char: string) => [...Array(char.length).keys()].map((i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, "0")}`).join("");

/** Quoted like JSON, with every character that could pass for another, or for nothing, escaped: "fr\\u043entend". */
export function quote(text: string): string {
  return Array.from(JSON.stringify(text), (char) =>
    char !== " " && (HIDDEN.test(char) || (char > "\x7e" && /^[\x21-\x7e]+$/.test(char.normalize("NFKC")))) ? escaped(char) : char,
  ).join("");
}

/** A value as an error message shows it: short, so that a long or secret value is not printed back whole, and escaped (quote). */
export function show(value: unknown): string {
  if (typeof value === "string") {
    const kind = keyMaterialKind(value);
    if (kind) return `(${kind}, not shown)`;
    const chars = Array.from(value);
    return shortened(value) ? `${quote(chars.slice(0, 72).join(""))}... (${chars.length} characters)` : quote(value);
  }
  if (Array.isArray(value)) {
    const items = value.map((item) => (item !== null && typeof item === "object" ? JSON.stringify(item) : show(item)));
    const text = `[${items.join(",")}]`;
    return value.length <= 3 && text.length <= 60 && !items.some((item) => item.startsWith("(")) ? text : `a list of ${value.length}`;
  }
  if (value !== null && typeof value === "object") return "an object";
  return String(value);
}

/** True when `show` shortens a string, and then gives its length itself: longer than 80 characters, not key material. */
function shortened(text: string): boolean {
  return keyMaterialKind(text) === undefined && Array.from(text).length > 80;
}

/** A string as `show` gives it, always with its length. */
export const showCounted = (text: string) => (shortened(text) ? show(text) : `${show(text)} (${text.length} characters)`);

/** "<at>: a 1, b 3, c 2 must satisfy a <= b <= c" when the named values, in the given order, do not ascend. */
export function orderProblems(at: string, values: Readonly<Record<string, number>>): string[] {
  const named = Object.entries(values);
  if (named.every(([, value], i) => i === 0 || named[i - 1][1] <= value)) return [];
  return [`${at}: ${named.map(([name, value]) => `${name} ${value}`).join(", ")} must satisfy ${named.map(([name]) => name).join(" <= ")}`];
}
