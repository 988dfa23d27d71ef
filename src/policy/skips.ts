/**
 * checkov and trivy skips generated from our waivers, so that the three tools agree on what is accepted:
 * per resource, the other tools' ids of each waived rule, with our reason. Written into the HCL output
 * (`cdk.tf`) as the inline comments the tools read: `#trivy:ignore:<id>` lines right above the resource
 * block and `#checkov:skip=<id>:<reason>` lines inside it, after a marker line that keeps reruns idempotent.
 */
import { ruleById } from "./rules";
import type { PolicyReport } from "./types";

export interface Skip {
  readonly stack: string;
  readonly address: string;
  readonly rule: string;
  readonly checkov: readonly string[];
  readonly trivy: readonly string[];
  readonly reason: string;
}

/** One skip per waived finding whose rule has a checkov or trivy counterpart. */
export function skipsOf(reports: readonly PolicyReport[]): Skip[] {
  return reports.flatMap((report) =>
    report.findings.flatMap((finding) => {
      const rule = ruleById(finding.rule);
      if (finding.waiver === undefined || !rule || (!rule.checkov && !rule.trivy)) return [];
      return [{ stack: report.stack, address: finding.address, rule: rule.id, checkov: rule.checkov ?? [], trivy: rule.trivy ?? [], reason: finding.waiver }];
    }),
  );
}

const MARK = "# policy skips (npm run policy:skips)";

/** The HCL of one stack with the skip comments of `skips` added; running it twice changes nothing. */
export function annotateHcl(hcl: string, skips: readonly Skip[]): string {
  return hcl
    .split("\n")
    .flatMap((line, i, lines) => {
      const block = /^resource "([^"]+)" "([^"]+)" \{$/.exec(line);
      if (!block || lines[i + 1]?.trim() === MARK) return [line];
      const mine = skips.filter((s) => s.address === `${block[1]}.${block[2]}`);
      if (mine.length === 0) return [line];
      const oneLine = (reason: string) => reason.replace(/[\n:]/g, " ");
      const trivy = [...new Set(mine.flatMap((s) => s.trivy))].map((id) => `#trivy:ignore:${id}`);
      const checkov = mine.flatMap((s) => s.checkov.map((id) => `  #checkov:skip=${id}:${s.rule} waived - ${oneLine(s.reason)}`));
      return [...trivy, line, `  ${MARK}`, ...checkov];
    })
    .join("\n");
}
