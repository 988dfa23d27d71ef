/** The review as markdown for people (and pull-request comments): one view of review.json, most important first. */
import { MASKED } from "./changes";
import { edgeKey, type Edge } from "./exposure";
import type { Review } from "./review";
import { describeCause, show } from "./risks";

/** The hidden line that finds a stage's pull-request comment again, so that it is updated, not repeated. */
export function commentMarker(stage: string): string {
  return `<!-- workshop-review:${stage} -->`;
}

const money = (n: number | null) => (n === null ? "n/a" : `$${n.toFixed(2)}`);

function edgeTable(edges: readonly Edge[], fresh: Set<string>): string[] {
  if (edges.length === 0) return ["_none_"];
  return [
    "| from | to | port | |",
    "|---|---|---|---|",
    ...edges.map((e) => `| ${e.from} | ${e.to}${e.publicIp ? " (public IP)" : ""} | ${e.port} | ${fresh.has(edgeKey(e)) ? "**new from the internet**" : ""} |`),
  ];
}

export function renderReview(review: Review): string {
  const { summary: s } = review;
  const out: string[] = [commentMarker(review.stage)];
  const source = review.source.kind === "preview" ? `offline preview against ${review.source.base}` : review.source.kind;
  out.push(`## Review of \`${review.stage}\`: ${review.verdict}`, "");
  out.push(`${s.add} to add, ${s.change} to change, ${s.destroy} to destroy, ${s.replace} to replace (${source}).`);
  if (review.source.kind === "preview") {
    out.push("", "> A preview: the prior state is built from the base's own plan, not read from AWS. Real reviews plan against the real state.");
  }
  if (review.risks.length > 0) {
    out.push("", "### Needs a second look", "");
    // A risk of a destroyed or replaced resource is explained with it, below; the others here.
    const explainedBelow = new Set(review.changes.filter((c) => c.kind === "replace" || c.kind === "delete").map((c) => c.address));
    for (const r of review.risks) {
      out.push(`- **${r.kind}** (${r.severity}${r.accepted ? ", accepted" : ""}) \`${r.address}\`${explainedBelow.has(r.address) ? "" : `: ${r.reason}`}`);
    }
  }

  const gone = review.changes.filter((c) => c.kind === "replace" || c.kind === "delete");
  if (gone.length > 0) {
    out.push("", "### Destroyed and replaced", "");
    for (const c of gone) {
      const how = c.kind === "replace" ? `replaced, ${c.order}, because ${describeCause(c)}` : "destroyed";
      out.push(`- \`${c.address}\`: ${how}`);
      // What it means here: the data lost, the downtime, the name that collides.
      for (const r of review.risks.filter((x) => x.address === c.address)) out.push(`  - ${r.kind}: ${r.reason}`);
      const followers = review.changes.filter((f) => f.causedBy?.includes(c.address));
      if (followers.length > 0) out.push(`  - because of it: ${followers.map((f) => `\`${f.address}\` (${f.kind})`).join(", ")}`);
    }
  }

  const updates = review.changes.filter((c) => c.kind === "update");
  if (updates.length > 0) {
    out.push("", "### Updated in place", "");
    for (const c of updates) {
      out.push(`- \`${c.address}\``);
      for (const a of c.attributes ?? []) out.push(`  - ${a.path}: ${a.before === MASKED ? a.before : show(a.before)} -> ${typeof a.after === "string" && a.after.startsWith("(") ? a.after : show(a.after)}`);
    }
  }
  const added = review.changes.filter((c) => c.kind === "create");
  if (added.length > 0) {
    out.push("", `<details><summary>${added.length} added</summary>`, "", ...added.map((c) => `- \`${c.address}\``), "", "</details>");
  }

  const fresh = new Set(review.exposure.newInternetPaths.map(edgeKey));
  out.push("", "### Exposure", "", "After the change:", "", ...edgeTable(review.exposure.after, fresh));
  out.push("", "<details><summary>Before the change</summary>", "", ...edgeTable(review.exposure.before, new Set()), "", "</details>");

  if (review.iam.length > 0) {
    out.push("", "### IAM", "");
    for (const role of review.iam) {
      out.push(`- role \`${role.role}\`${role.existedBefore ? "" : " (new)"}`);
      if (role.unknownAfter) out.push("  - its policy is computed during apply; grants are known after apply");
      for (const g of role.granted) out.push(`  - granted: ${g}`);
      for (const w of role.withdrawn) out.push(`  - withdrawn: ${w}`);
    }
  }

  const c = review.cost;
  out.push("", "### Cost (estimate)", "");
  if (c.monthly === null) out.push(`No prices for region ${c.region ?? "(unknown)"}.`);
  else {
    const delta = c.monthly - (c.monthlyBefore ?? 0);
    out.push(`${money(c.monthly)} a month after the change, ${money(c.monthlyBefore)} before (${delta >= 0 ? "+" : "-"}${money(Math.abs(delta))}), in ${c.region}${c.regionBefore ? ` (before: in ${c.regionBefore})` : ""}.`);
    out.push("", "| item | monthly |", "|---|---|", ...c.lines.map((l) => `| ${l.item} | ${money(l.monthly)} |`));
  }
  if (c.unpriced.length > 0) out.push("", `Not priced: ${c.unpriced.join("; ")}.`);
  out.push("", `Assumptions: ${c.assumptions.join("; ")}. Prices: ${c.priceSource}, ${c.priceDate}.`);

  out.push("", "### Policy", "");
  if (review.policy.findings.length === 0 && review.policy.waivers.length === 0) out.push("_no findings_");
  for (const f of review.policy.findings) out.push(`- ${f.severity} ${f.ruleId} \`${f.address}\`: ${f.message}`);
  for (const w of review.policy.waivers) out.push(`- waived ${w.ruleId} \`${w.address}\`: ${w.reason}`);

  out.push("", "### Diagram", "", "```mermaid", review.diagram, "```", "");
  return out.join("\n");
}
