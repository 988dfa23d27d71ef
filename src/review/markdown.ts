/**
 * Markdown building blocks for the review: values shown short (an id by the name of what it is, a long string
 * by its length), list items wrapped so that no line grows past WIDTH, and folded sections.
 */
import { KNOWN_AFTER_APPLY, MASKED } from "./changes";
import { parseDocument, type KeyChange } from "./json-attributes";

/** The longest line a list item gets before it wraps; tables and headings stay well under it too. */
const WIDTH = 160;

/** What the review calls things: resources by name, ids and ARNs by the resource they point at. */
export interface Names {
  readonly names: Readonly<Record<string, string>>;
  readonly ids: Readonly<Record<string, string>>;
}

export const labelOf = (n: Names, address: string) => n.names[address] ?? address;

/** A text with every address the review names replaced by its name. */
export function withNames(text: string, n: Names): string {
  const addresses = Object.keys(n.names).sort((a, b) => b.length - a.length);
  return addresses.reduce((t, a) => (t.includes(a) ? t.split(a).join(n.names[a]) : t), text);
}

const LONG = 60;

/** A value, short: names for ids, plain words unquoted, long strings and documents by their size. */
function showValue(value: unknown, n: Names): string {
  if (value === MASKED || value === KNOWN_AFTER_APPLY) return value;
  if (typeof value === "string") {
    const owner = n.ids[value];
    if (owner) return labelOf(n, owner);
    if (value.length > LONG) return parseDocument(value) !== undefined ? `(a JSON document, ${value.length} characters)` : `"${value.slice(0, 40)}…" (${value.length} characters)`;
    return /^[\w./:*+@-]+$/.test(value) ? value : JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    const shown = value.slice(0, 4).map((v) => showValue(v, n));
    return `[${shown.join(", ")}${value.length > 4 ? `, … ${value.length} in all` : ""}]`;
  }
  const json = JSON.stringify(value) ?? "null";
  return json.length > LONG ? `{…} (${json.length} characters)` : json;
}

const scalar = (v: unknown) => v === null || typeof v !== "object";

/** "before -> after"; for two lists of plain values, what joins and what leaves. */
export function showChange(before: unknown, after: unknown, n: Names): string {
  if (Array.isArray(before) && Array.isArray(after) && [...before, ...after].every(scalar)) {
    const added = after.filter((v) => !before.includes(v));
    const removed = before.filter((v) => !after.includes(v));
    const parts = [added.length > 0 && `adds ${showValue(added, n)}`, removed.length > 0 && `removes ${showValue(removed, n)}`].filter(Boolean);
    if (parts.length > 0) return parts.join(", ");
  }
  return `${showValue(before, n)} -> ${showValue(after, n)}`;
}

/** An attribute's change, one text per line: a JSON document as the keys inside it that changed. */
export function attributeLines(a: { path: string; before: unknown; after: unknown; keys?: KeyChange[] }, n: Names): string[] {
  if (a.keys === undefined) return [`${a.path}: ${showChange(a.before, a.after, n)}`];
  if (a.keys.length === 0) return [`${a.path}: the same document, written differently`];
  const change = (k: KeyChange) =>
    k.before === null ? `added ${showValue(k.after, n)}` : k.after === null ? `removed (was ${showValue(k.before, n)})` : showChange(k.before, k.after, n);
  return a.keys.map((k) => `${a.path}, ${k.path === "" ? "the document" : k.path}: ${change(k)}`);
}

/** A list item (at `depth`), wrapped at spaces so that no line is longer than WIDTH. */
export function item(text: string, depth = 0): string[] {
  const indent = "  ".repeat(depth);
  const lines: string[] = [];
  let line = `${indent}-`;
  for (const word of text.split(" ")) {
    if (line.length + 1 + word.length > WIDTH && line.length > indent.length + 2) {
      lines.push(line);
      line = `${indent} `;
    }
    line += ` ${word}`;
  }
  return [...lines, line];
}

/** A text cut to `max` characters, with an ellipsis. */
export function clip(text: string, max = WIDTH): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** A folded section: GitHub shows the summary and opens the rest on a click. */
export function details(summary: string, body: readonly string[]): string[] {
  return [`<details><summary>${summary}</summary>`, "", ...body, "", "</details>"];
}

export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  const cell = (c: string) => clip(c.replace(/\|/g, "\\|"), 90);
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)];
}

export const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
