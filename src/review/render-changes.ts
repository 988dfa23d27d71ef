/**
 * The changes in review.md: the root causes, one line each, and every change grouped by what happens to it
 * (destroyed and replaced, renamed, updated in place, added), each named and with its reason.
 */
import type { RootCause } from "./causes";
import { KNOWN_AFTER_APPLY, type ChangeEntry } from "./changes";
import { attributeLines, clip, details, item, labelOf, plural, showChange, table, type Names } from "./markdown";
import type { Review } from "./review";

/** Subsections longer than this are folded. */
const FOLD_AFTER = 12;
/** Root causes shown in the headline; the rest are counted. */
const HEADLINE_ROOTS = 12;

/** True for an id of another resource that becomes known only after apply: the change follows from that resource. */
function followsReference(a: { before: unknown; after: unknown }, n: Names): boolean {
  const ids = Array.isArray(a.before) ? a.before : [a.before];
  return a.after === KNOWN_AFTER_APPLY && ids.length > 0 && ids.every((id) => typeof id === "string" && n.ids[id] !== undefined);
}

/**
 * The attributes that force a replacement, before -> after: "cidr_block 10.0.0.0/16 -> 10.1.0.0/16". For a change
 * that follows others, the ids of what it follows are left out ("vpc_id VPC main -> (known after apply)").
 */
export function replaceCause(c: ChangeEntry, n: Names): string {
  const forced = (c.replacePaths ?? []).filter((p) => p.length > 0);
  const parts = forced.flatMap((path) => {
    const changed = (c.attributes ?? []).filter((a) => a.path === path || a.path.startsWith(`${path}.`));
    if (changed.length === 0) return [path];
    if (c.causedBy?.length && changed.every((a) => followsReference(a, n))) return [];
    const [first] = changed;
    const more = changed.length > 1 ? ` (+${changed.length - 1} more)` : "";
    if (!first.keys?.length) return [`${first.path} ${showChange(first.before, first.after, n)}${more}`];
    if (first.keys.length === 1) return [`${attributeLines(first, n)[0]}${more}`];
    const names = first.keys.slice(0, 2).map((k) => k.path);
    return [`${first.path}: ${first.keys.length} keys change (${names.join(", ")}${first.keys.length > 2 ? ", …" : ""})${more}`];
  });
  if (parts.length === 0 && c.causedBy?.length) return "";
  if (parts.length === 0) return c.reason === "replace_by_request" ? "replacement requested" : "a value that cannot change in place";
  return parts.join(", ");
}

/** The keys inside JSON documents whose change forces a replacement, one per line. */
function forcedKeyLines(c: ChangeEntry, n: Names): string[] {
  const forced = c.replacePaths ?? [];
  return (c.attributes ?? []).filter((a) => a.keys?.length && forced.includes(a.path)).flatMap((a) => attributeLines(a, n));
}

/** The changed attributes of an update, short: "desired_count 1 -> 3, +4 more". */
function updateSummary(c: ChangeEntry, n: Names): string {
  const lines = (c.attributes ?? []).flatMap((a) => attributeLines(a, n)).map((l) => l.replace(/: /, " "));
  if (lines.length === 0) return "";
  return lines.slice(0, 2).join(", ") + (lines.length > 2 ? `, +${lines.length - 2} more` : "");
}

/** What renamed resources are: "service backend" when the rename moves an ECS service. */
function renameSubject(review: Review, root: RootCause): string {
  const rename = review.renames.find((r) => r.from === root.rename?.from && r.to === root.rename?.to);
  return rename?.resources.some((p) => p.type === "aws_ecs_service") ? "service " : "";
}

/** One line of the headline. */
function rootLine(root: RootCause, review: Review, n: Names): string {
  const change = review.changes.find((c) => c.address === root.address);
  const follow = root.follow.length > 0 ? `: ${plural(root.follow.length, "resource")} ${root.follow.length === 1 ? "follows" : "follow"}` : "";
  if (root.kind === "rename" && root.rename) {
    const count = root.follow.length / 2;
    return `${renameSubject(review, root)}${root.rename.from} renamed to ${root.rename.to}: ${plural(count, "resource")} destroyed and created under the new name`;
  }
  const label = labelOf(n, root.address ?? "");
  if (!change) return label;
  if (change.kind === "replace") return clip(`${label} replaced (${replaceCause(change, n)})`, 175) + follow;
  if (change.kind === "delete") return `${label} destroyed${follow}`;
  const summary = updateSummary(change, n);
  return clip(`${label} updated in place${summary ? ` (${summary})` : ""}`, 175) + follow;
}

export function headline(review: Review, n: Names): string[] {
  const renamed = new Set(review.renames.flatMap((r) => r.resources.map((p) => p.after)));
  const added = review.changes.filter((c) => c.kind === "create" && !renamed.has(c.address));
  const lines = review.causes.slice(0, HEADLINE_ROOTS).map((root) => `- ${rootLine(root, review, n)}`);
  if (review.causes.length > HEADLINE_ROOTS) lines.push(`- and ${plural(review.causes.length - HEADLINE_ROOTS, "more root cause")}, below under Changes`);
  if (added.length > 0) lines.push(`- ${clip(`${added.length} added: ${added.map((c) => labelOf(n, c.address)).join(", ")}`, 180)}`);
  return lines.length === 0 ? [] : ["### Root causes", "", ...lines];
}

/** "follows VPC main" for a change that follows from a replacement. */
function follows(c: ChangeEntry, n: Names): string {
  const roots = c.causedBy ?? [];
  if (roots.length === 0) return "";
  const names = roots.slice(0, 2).map((a) => labelOf(n, a));
  return `follows ${names.join(" and ")}${roots.length > 2 ? ` and ${roots.length - 2} more` : ""}`;
}

/** A folded list when it is long. */
function maybeFolded(title: string, summary: string, lines: string[], count: number): string[] {
  if (lines.length === 0) return [];
  if (count > FOLD_AFTER) return ["", `#### ${title}`, "", ...details(summary, lines)];
  return ["", `#### ${title}`, "", ...lines];
}

export function changesSection(review: Review, n: Names): string[] {
  const renamed = new Set(review.renames.flatMap((r) => r.resources.flatMap((p) => [p.before, p.after])));
  const named = (c: ChangeEntry) => `**${labelOf(n, c.address)}** \`${c.address}\``;

  const gone = review.changes.filter((c) => (c.kind === "replace" || c.kind === "delete") && !renamed.has(c.address));
  const goneLines = gone.flatMap((c) => {
    if (c.kind === "delete") return item(`${named(c)}: destroyed`);
    const why = [c.order, follows(c, n), replaceCause(c, n)].filter(Boolean).join(", ");
    // The head names a document's first changed key; when there are more, each gets a line below.
    const keys = forcedKeyLines(c, n);
    return [...item(`${named(c)}: replaced, ${why}`), ...(keys.length > 1 ? keys.flatMap((k) => item(k, 1)) : [])];
  });

  const renameLines = review.renames.flatMap((r) => [
    ...item(`**${r.from} renamed to ${r.to}**: ${plural(r.resources.length, "resource")} destroyed and created anew under the new name (new AWS names and ids)`),
    "",
    ...details(
      `The ${plural(r.resources.length, "pair")}`,
      table(["before", "after"], r.resources.map((p) => [labelOf(n, p.before), labelOf(n, p.after)])),
    ),
  ]);

  const updates = review.changes.filter((c) => c.kind === "update");
  const updateLines = updates.flatMap((c) => [
    ...item(`${named(c)}${c.causedBy?.length ? ` (${follows(c, n)})` : ""}`),
    ...(c.attributes ?? []).flatMap((a) => attributeLines(a, n)).flatMap((line) => item(line, 1)),
  ]);

  const added = review.changes.filter((c) => c.kind === "create" && !renamed.has(c.address));
  const lines: string[] = [];
  lines.push(...maybeFolded("Destroyed and replaced", `${gone.length} destroyed or replaced`, goneLines, gone.length));
  if (renameLines.length > 0) lines.push("", "#### Renamed", "", ...renameLines);
  lines.push(...maybeFolded("Updated in place", `${updates.length} updated in place`, updateLines, updates.length));
  if (added.length > 0) lines.push("", ...details(`${added.length} added`, added.flatMap((c) => item(named(c)))));
  return lines.length === 0 ? [] : ["### Changes", ...lines];
}
