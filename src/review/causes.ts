/**
 * Root causes: the few changes every other change follows from. A replaced VPC takes its subnets, route tables
 * and security groups with it, and they take the database's subnet group; the review names the VPC once, with
 * what forces it, and counts what follows. A change is a root when it follows from no replacement (its
 * causedBy is empty) and is not part of a rename; a rename is one root for all its resources.
 * Roots are ordered by the most severe risk among them and what follows them, then in plan order.
 */
import type { ChangeEntry } from "./changes";
import type { Rename } from "./renames";
import { SEVERITY_ORDER, type Risk } from "./kinds";

export interface RootCause {
  readonly kind: "replace" | "delete" | "update" | "rename";
  /** The change at the root; for a rename, the words renamed. */
  readonly address?: string;
  readonly rename?: { readonly from: string; readonly to: string };
  /** Addresses that change because of it, in plan order (for a rename: its resources, old and new addresses). */
  readonly follow: string[];
}

/**
 * The rank of a risk: by severity first, an accepted risk after the unaccepted ones of its severity. A risk
 * without a severity (a review.json of an older version) comes after all of them.
 */
export function riskRank(risk: Risk): number {
  const severity = SEVERITY_ORDER.indexOf(risk.severity);
  return (severity < 0 ? SEVERITY_ORDER.length : severity) * 2 + (risk.accepted === true ? 1 : 0);
}

/** Every change that follows from `root` through causedBy, however far. */
function followers(root: string, changes: readonly ChangeEntry[]): string[] {
  const reached = new Set([root]);
  let grown = true;
  while (grown) {
    grown = false;
    for (const c of changes) {
      if (!reached.has(c.address) && (c.causedBy ?? []).some((a) => reached.has(a))) {
        reached.add(c.address);
        grown = true;
      }
    }
  }
  reached.delete(root);
  return changes.filter((c) => reached.has(c.address)).map((c) => c.address);
}

export function rootCauses(changes: readonly ChangeEntry[], renamed: readonly Rename[], risks: readonly Risk[]): RootCause[] {
  const inRename = new Set(renamed.flatMap((r) => r.resources.flatMap((p) => [p.before, p.after])));
  const roots: RootCause[] = [
    ...changes
      .filter((c) => (c.kind === "replace" || c.kind === "delete" || c.kind === "update") && !c.causedBy?.length && !inRename.has(c.address))
      .map((c) => ({ kind: c.kind as RootCause["kind"], address: c.address, follow: followers(c.address, changes) })),
    ...renamed.map((r) => ({ kind: "rename" as const, rename: { from: r.from, to: r.to }, follow: r.resources.flatMap((p) => [p.before, p.after]) })),
  ];
  const position = new Map(changes.map((c, i) => [c.address, i]));
  const first = (root: RootCause) => Math.min(...[root.address ?? "", ...root.follow].map((a) => position.get(a) ?? Infinity));
  const worst = (root: RootCause) => {
    const mine = new Set([root.address, ...root.follow]);
    return Math.min(...risks.filter((r) => mine.has(r.address)).map(riskRank), Infinity);
  };
  return roots.sort((a, b) => worst(a) - worst(b) || first(a) - first(b));
}

/** The root each address follows from (the first, when several), as an index into `roots`. */
export function causeOf(roots: readonly RootCause[]): Map<string, number> {
  const of = new Map<string, number>();
  roots.forEach((root, i) => {
    if (root.address && !of.has(root.address)) of.set(root.address, i);
  });
  roots.forEach((root, i) => root.follow.forEach((a) => of.has(a) || of.set(a, i)));
  return of;
}
