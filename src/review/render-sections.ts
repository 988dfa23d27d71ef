/**
 * The sections of review.md after the headline: the risks grouped per resource, exposure, IAM, cost and policy.
 * A section the change does not touch is folded to one line (exposure, cost, waivers) or left out (IAM).
 */
import { causeOf, riskRank } from "./causes";
import type { ChangeEntry } from "./changes";
import type { Risk } from "./kinds";
import { edgeKey, type Edge } from "./exposure";
import { clip, details, item, labelOf, plural, table, withNames, type Names } from "./markdown";
import { replaceCause } from "./render-changes";
import type { Review } from "./review";

/** What happens to a resource, short, for the head of its risks. */
function whatHappens(c: ChangeEntry | undefined, review: Review, n: Names): string {
  if (!c) return "";
  const follows = c.causedBy?.length ? `, follows ${labelOf(n, c.causedBy[0])}` : "";
  if (c.kind === "replace") return `replaced, ${c.order}${follows || `, because ${replaceCause(c, n)}`}`;
  if (c.kind === "delete") {
    const rename = review.renames.find((r) => r.resources.some((p) => p.before === c.address));
    return rename ? `destroyed (${rename.from} renamed to ${rename.to})` : "destroyed";
  }
  if (c.kind === "create") {
    const rename = review.renames.find((r) => r.resources.some((p) => p.after === c.address));
    return rename ? `created (${rename.from} renamed to ${rename.to})` : "created";
  }
  return c.kind === "update" ? `updated in place${follows}` : "";
}

/** A risk's reason without the words the head of its entry already says ("replaced (...): ", "destroyed: "). */
function reasonText(reason: string, n: Names): string {
  const rest = reason.replace(/^(replaced \((?:[^()]|\([^()]*\))*\)|replaced destroy-before-create|destroyed): /, "");
  return withNames(rest, n);
}

/** One entry per resource with every reason, by severity, then by root cause, then as the risks are listed. */
export function risksSection(review: Review, n: Names): string[] {
  if (review.risks.length === 0) return [];
  const risks = review.risks;
  const cause = causeOf(review.causes);
  const entries = new Map<string, { risks: Risk[]; first: number }>();
  risks.forEach((r, i) => {
    const entry = entries.get(r.address) ?? { risks: [], first: i };
    entry.risks.push(r);
    entries.set(r.address, entry);
  });
  const rank = (e: { risks: Risk[] }) => Math.min(...e.risks.map(riskRank));
  // Within a root cause, the root itself first.
  const roots = new Set(review.causes.map((c) => c.address));
  const sorted = [...entries.entries()].sort(
    ([a, x], [b, y]) =>
      rank(x) - rank(y) ||
      (cause.get(a) ?? Infinity) - (cause.get(b) ?? Infinity) ||
      Number(roots.has(b)) - Number(roots.has(a)) ||
      x.first - y.first,
  );
  const lines = sorted.flatMap(([address, entry]) => {
    const change = review.changes.find((c) => c.address === address);
    const name = n.names[address] ? `**${labelOf(n, address)}** \`${address}\`` : `**${address}**`;
    const what = whatHappens(change, review, n);
    return [
      ...item(`${name}${what ? `: ${what}` : ""}`),
      ...entry.risks.flatMap((r) => {
        const marks = [r.severity, r.accepted === true && "accepted"].filter(Boolean).join(", ");
        return item(`**${r.kind}**${marks ? ` (${marks})` : ""}: ${reasonText(r.reason, n)}`, 1);
      }),
    ];
  });
  return ["### Needs a second look", "", ...lines];
}

function fromText(e: Edge): string {
  if (!e.sources) return e.from;
  return `internet (${e.sources.map((s) => (s === "internet" ? "listener" : s)).join(", ")})`;
}

const toText = (e: Edge) => `${e.to}${e.publicIp ? " (public IP)" : ""}`;

function edgeRows(edges: readonly Edge[], status: (e: Edge) => string): string[] {
  return table(["from", "to", "port", ""], edges.map((e) => [fromText(e), toText(e), String(e.port), status(e)]));
}

export function exposureSection(review: Review): string[] {
  const { before, after, newInternetPaths } = review.exposure;
  const fresh = new Set(newInternetPaths.map(edgeKey));
  const had = new Map(before.map((e) => [edgeKey(e), e]));
  const has = new Set(after.map(edgeKey));
  const changed = [
    ...after.filter((e) => fresh.has(edgeKey(e)) || !had.has(edgeKey(e)) || had.get(edgeKey(e))?.publicIp !== e.publicIp),
    ...before.filter((e) => !has.has(edgeKey(e))),
  ];
  const status = (e: Edge) =>
    fresh.has(edgeKey(e)) ? "**new from the internet**" : !has.has(edgeKey(e)) ? "removed" : !had.has(edgeKey(e)) ? "new" : e.publicIp ? "gains a public IP" : "loses its public IP";
  const all = after.length === 0 ? ["_none_"] : edgeRows(after, () => "");
  if (changed.length === 0) return details(`Exposure: unchanged, ${plural(after.length, "path")}`, all);
  return [
    "### Exposure",
    "",
    "What the change opens and closes:",
    "",
    ...edgeRows(changed, status),
    "",
    ...details(`Every path after the change (${after.length})`, all),
  ];
}

export function iamSection(review: Review): string[] {
  if (review.iam.length === 0) return [];
  const lines = review.iam.flatMap((role) => {
    if (role.deleted) return item(`IAM role \`${role.role}\`: deleted, with what it could do`);
    const head = item(`IAM role \`${role.role}\`${role.existedBefore ? "" : " (new)"}`);
    const grants = [
      ...(role.unknownAfter ? ["its policy is computed during apply; grants are known after apply"] : []),
      ...role.granted.map((g) => `granted: ${g}`),
      ...role.withdrawn.map((w) => `withdrawn: ${w}`),
    ];
    const shown = grants.slice(0, 10).flatMap((g) => item(g, 1));
    return [...head, ...shown, ...(grants.length > 10 ? item(`and ${grants.length - 10} more`, 1) : [])];
  });
  return ["### IAM", "", ...lines];
}

const money = (x: number | null) => (x === null ? "n/a" : `$${x.toFixed(2)}`);

/** The monthly sum per item, for comparing before and after. */
function byItem(lines: ReadonlyArray<{ item: string; monthly: number }>): Map<string, number> {
  const sums = new Map<string, number>();
  for (const l of lines) sums.set(l.item, (sums.get(l.item) ?? 0) + l.monthly);
  return sums;
}

export function costSection(review: Review): string[] {
  const c = review.cost;
  const facts = [
    ...(c.unpriced.length > 0 ? [`Not priced: ${c.unpriced.join("; ")}.`] : []),
    ...c.assumptions.map((a) => `Assumed: ${a}.`),
    `Prices: ${c.priceSource}, ${c.priceDate}.`,
  ].flatMap((f) => item(f));
  if (c.monthly === null) return ["### Cost (estimate)", "", `No prices for region ${c.region ?? "(unknown)"}.`, "", ...details("Assumptions and prices", facts)];
  const after = byItem(c.lines);
  const before = byItem(c.linesBefore ?? []);
  const items = [...new Set([...before.keys(), ...after.keys()])].filter((i) => Math.abs((after.get(i) ?? 0) - (before.get(i) ?? 0)) >= 0.005);
  const all = c.lines.length === 0 ? ["_nothing priced_"] : table(["item", "monthly"], c.lines.map((l) => [l.item, money(l.monthly)]));
  if (items.length === 0 && c.monthly === c.monthlyBefore) {
    return details(`Cost (estimate): ${money(c.monthly)} a month in ${c.region}, unchanged`, [...all, "", ...facts]);
  }
  const delta = c.monthly - (c.monthlyBefore ?? 0);
  return [
    "### Cost (estimate)",
    "",
    `${money(c.monthly)} a month after the change, ${money(c.monthlyBefore)} before (${delta >= 0 ? "+" : "-"}${money(Math.abs(delta))}), in ${c.region}${c.regionBefore ? ` (before: in ${c.regionBefore})` : ""}.`,
    "",
    ...table(["item", "before", "after"], items.map((i) => [i, money(before.get(i) ?? 0), money(after.get(i) ?? 0)])),
    "",
    ...details("Every item after the change, and the assumptions", [...all, "", ...facts]),
  ];
}

/** Findings, and the waivers on resources the change touches; waivers the change leaves alone are folded. */
export function policySection(review: Review, n: Names): string[] {
  const { findings, waivers } = review.policy;
  const touched = new Set(review.changes.map((c) => c.address));
  const label = (address: string) => (n.names[address] ? labelOf(n, address) : `\`${address}\``);
  // One line per rule and reason: three log groups waived for the same reason are one line.
  const grouped = (list: typeof waivers) => {
    const groups = new Map<string, { ruleId: string; reason: string; addresses: string[] }>();
    for (const w of list) {
      const key = `${w.ruleId}\u0000${w.reason}`;
      const group = groups.get(key) ?? { ruleId: w.ruleId, reason: w.reason, addresses: [] };
      group.addresses.push(w.address);
      groups.set(key, group);
    }
    return [...groups.values()].flatMap((g) => item(`waived ${g.ruleId} on ${clip(g.addresses.map(label).join(", "), 100)}: ${g.reason}`));
  };
  const open = findings.flatMap((f) => item(`${f.severity} ${f.ruleId} on ${label(f.address)}: ${f.message}`));
  const near = grouped(waivers.filter((w) => touched.has(w.address)));
  const far = waivers.filter((w) => !touched.has(w.address));
  const folded = far.length > 0 ? details(`${plural(far.length, "waiver")} on resources the change leaves alone`, grouped(far)) : [];
  if (open.length === 0 && near.length === 0) {
    return far.length > 0 ? details(`Policy: no findings; ${plural(far.length, "waiver")}, none on a changed resource`, grouped(far)) : ["Policy: no findings."];
  }
  return ["### Policy", "", ...open, ...near, ...(folded.length > 0 ? ["", ...folded] : [])];
}
