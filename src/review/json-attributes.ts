/**
 * Attributes that hold a JSON document in a string (an ECS task's container_definitions, an IAM policy, a role's
 * assume_role_policy): Terraform shows the whole string before and after, often thousands of characters. The
 * review compares the documents and names the keys that changed, e.g. "my-nginx.environment.DB_PORT".
 * Lists of named entries are compared by name (containers by "name", statements by "Sid", environment variables
 * and secrets by "name" with their "value" or "valueFrom"), other lists by position.
 */

/** One key inside a JSON document that changed; `path` is dotted, entries of named lists by name. */
export interface KeyChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A string that holds a JSON object or array, parsed; undefined for anything else. */
export function parseDocument(value: unknown): Json | undefined {
  if (typeof value !== "string" || !/^\s*[[{]/.test(value)) return undefined;
  try {
    return JSON.parse(value) as Json;
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, Json> => v !== null && typeof v === "object" && !Array.isArray(v);

/** The key that names the entries of a list, when every entry has one of its own. */
const ENTRY_KEYS = ["name", "Sid", "containerName"];
function entryKey(list: Json[]): string | undefined {
  return ENTRY_KEYS.find((k) => list.length > 0 && list.every((e) => isObject(e) && typeof e[k] === "string" && e[k] !== ""));
}

/** A list of named entries as an object keyed by name; a name/value pair as its value alone. */
function byName(list: Json[], key: string): Record<string, Json> {
  const entries = list as Array<Record<string, Json>>;
  const pairs = entries.every((e) => Object.keys(e).length === 2 && ("value" in e || "valueFrom" in e));
  return Object.fromEntries(entries.map((e) => [String(e[key]), pairs ? e.value ?? e.valueFrom : e]));
}

function differences(before: Json | undefined, after: Json | undefined, path: string[]): KeyChange[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (Array.isArray(before) && Array.isArray(after)) {
    const key = entryKey(before) !== undefined && entryKey(before) === entryKey(after) ? entryKey(before) : undefined;
    // One entry on each side under another name (a container renamed): the same entry, compared key by key.
    const [b, a] = [before[0] as Record<string, Json>, after[0] as Record<string, Json>];
    if (key && before.length === 1 && after.length === 1 && b[key] !== a[key]) return differences(b, a, [...path, String(a[key])]);
    if (key) return differences(byName(before, key), byName(after, key), path);
    // Lists of plain values (actions, ports) are one change: the reader sees what joins and what leaves.
    if ([...before, ...after].every((v) => !isObject(v) && !Array.isArray(v))) return [{ path: path.join("."), before, after }];
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => differences(before[i], after[i], [...path, String(i)])).flat();
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => differences(before[k], after[k], [...path, k]));
  }
  // An entry that appears or goes whole reads best as its name: its content follows from the settings.
  return [{ path: path.join("."), before: before ?? null, after: after ?? null }];
}

/** The keys that changed between two JSON documents held in strings; undefined when either is not one. */
export function jsonKeyChanges(before: unknown, after: unknown): KeyChange[] | undefined {
  const b = parseDocument(before);
  const a = parseDocument(after);
  if (b === undefined || a === undefined) return undefined;
  return differences(b, a, []);
}
