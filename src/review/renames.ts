/**
 * Renames: a service renamed in the settings moves every resource of it to a new address (services/backend/...
 * becomes services/api/...), which Terraform plans as one destruction and one creation each. The review pairs
 * them: a destroyed and a created resource of the same type whose addresses differ by the same word. A word
 * counts as a rename when it pairs two resources or more, or when the AWS name changes by the same word.
 * In AWS they are still new resources (new names, new ids): the pairs only say where each one went.
 */
import type { ChangeEntry } from "./changes";
import { managedChanges, type PlanJson, type Values } from "./plan";

export interface RenamedResource {
  readonly type: string;
  /** The destroyed resource's address. */
  readonly before: string;
  /** The created resource's address. */
  readonly after: string;
}

export interface Rename {
  /** The word of the old addresses ("backend"), and the word that takes its place ("api"). */
  readonly from: string;
  readonly to: string;
  readonly resources: RenamedResource[];
}

/** The address without its type and cdktf's hash, cut into words and the separators between them. */
function words(address: string): string[] {
  const local = address.replace(/^((module\.[^.]+\.)*)[^.]+\./, "$1");
  return local.replace(/_[0-9A-F]{8}(?=$|\[)/, "").split(/([_\-/.[\]"])/).filter((w) => w !== "");
}

/** The words in which two addresses differ, when they differ in one run of words: ["backend", "api"]. */
function difference(before: string, after: string): [string, string] | undefined {
  const b = words(before);
  const a = words(after);
  let start = 0;
  while (start < b.length && start < a.length && b[start] === a[start]) start++;
  let end = 0;
  while (end < b.length - start && end < a.length - start && b[b.length - 1 - end] === a[a.length - 1 - end]) end++;
  const from = b.slice(start, b.length - end).join("");
  const to = a.slice(start, a.length - end).join("");
  if (from === "" || to === "" || /[_\-/.]/.test(from[0] + from[from.length - 1] + to[0] + to[to.length - 1])) return undefined;
  return [from, to];
}

const NAME_KEYS = ["name", "identifier", "family"];
function namesFollow(before: Values | null, after: Values | null, from: string, to: string): boolean {
  return NAME_KEYS.some((k) => {
    const b = before?.[k];
    const a = after?.[k];
    return typeof b === "string" && typeof a === "string" && b.includes(from) && b.split(from).join(to) === a;
  });
}

/** The renames in a plan, most resources first; each destroyed and each created resource in one pair at most. */
export function renames(plan: PlanJson, changes: readonly ChangeEntry[]): Rename[] {
  const values = new Map(managedChanges(plan).map((c) => [c.address, c.change]));
  const deleted = changes.filter((c) => c.kind === "delete");
  const created = changes.filter((c) => c.kind === "create");
  const candidates = new Map<string, { from: string; to: string; pairs: RenamedResource[]; named: boolean }>();
  for (const d of deleted) {
    for (const c of created.filter((x) => x.type === d.type)) {
      const diff = difference(d.address, c.address);
      if (!diff) continue;
      const key = diff.join("\u0000");
      const candidate = candidates.get(key) ?? { from: diff[0], to: diff[1], pairs: [], named: false };
      candidate.pairs.push({ type: d.type, before: d.address, after: c.address });
      candidate.named ||= namesFollow(values.get(d.address)?.before ?? null, values.get(c.address)?.after ?? null, diff[0], diff[1]);
      candidates.set(key, candidate);
    }
  }
  const taken = new Set<string>();
  const found: Rename[] = [];
  for (const candidate of [...candidates.values()].sort((x, y) => y.pairs.length - x.pairs.length)) {
    const resources = candidate.pairs.filter((p) => !taken.has(p.before) && !taken.has(p.after));
    if (resources.length === 0 || !(resources.length >= 2 || candidate.named)) continue;
    // One pair per address, in plan order.
    const kept: RenamedResource[] = [];
    for (const p of resources) {
      if (taken.has(p.before) || taken.has(p.after)) continue;
      taken.add(p.before).add(p.after);
      kept.push(p);
    }
    found.push({ from: candidate.from, to: candidate.to, resources: kept });
  }
  return found;
}
