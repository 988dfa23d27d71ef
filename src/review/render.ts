/**
 * The review as markdown for people (and pull-request comments): one view of review.json, most important first.
 *
 *   title, counts      the verdict; add, change, destroy, replace
 *   Root causes        one line per change the others follow from ("VPC main replaced (...): 25 resources follow")
 *   Needs a second look  one entry per resource with every risk, by severity, then by root cause
 *   Exposure           the paths the change opens and closes (one row per source, target and port)
 *   IAM                roles whose permissions change
 *   Cost               after and before, the items that change
 *   Changes            destroyed and replaced, renamed, updated in place (JSON documents as their changed keys), added
 *   Policy             findings, and waivers on what the change touches
 *   Diagram            folded
 * Sections the change does not touch are folded to one line; no line is longer than about 200 characters.
 * Resources are named by their AWS names where the plan knows them (review.names), ids by what they point at.
 */
import { details, type Names } from "./markdown";
import { changesSection, headline } from "./render-changes";
import { costSection, exposureSection, iamSection, policySection, risksSection } from "./render-sections";
import type { Review } from "./review";

/** The hidden line that finds a stage's pull-request comment again, so that it is updated, not repeated. */
export function commentMarker(stage: string): string {
  return `<!-- workshop-review:${stage} -->`;
}

/** Sections, each separated from the next by one empty line; empty ones left out. */
function join(sections: ReadonlyArray<readonly string[]>): string[] {
  return sections.filter((s) => s.length > 0).flatMap((s, i) => (i === 0 ? [...s] : ["", ...s]));
}

export function renderReview(review: Review): string {
  const { summary: s } = review;
  const n: Names = { names: review.names, ids: review.ids };
  const source = review.source.kind === "preview" ? `offline preview against ${review.source.base}` : review.source.kind;
  const head = [
    commentMarker(review.stage),
    `## Review of \`${review.stage}\`: ${review.verdict}`,
    "",
    `${s.add} to add, ${s.change} to change, ${s.destroy} to destroy, ${s.replace} to replace (${source}).`,
    ...(review.source.kind === "preview"
      ? ["", "> A preview: the prior state is built from the base's own plan, not read from AWS. Real reviews plan against the real state."]
      : []),
  ];
  const diagram = details("Diagram", ["```mermaid", review.diagram, "```"]);
  const body = join([
    head,
    headline(review, n),
    risksSection(review, n),
    exposureSection(review),
    iamSection(review),
    costSection(review),
    changesSection(review, n),
    policySection(review, n),
    diagram,
  ]);
  return `${body.join("\n")}\n`;
}
