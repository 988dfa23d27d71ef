/**
 * checkov and trivy skips generated from our waivers, so that the three tools agree on what is accepted:
 * per resource, the other tools' ids of each waived rule, with our reason. Written into the HCL output
 * (`cdk.tf`) as the inline comments the tools read: `#trivy:ignore:<id>` lines right above the resource
 * block and `#checkov:skip=<id>:<reason>` lines inside it, after a marker line that keeps reruns idempotent.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../common/errors";
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

/**
 * Writes the skips into <dir>/stacks/<stage>/cdk.tf, the output of `cdktf synth --hcl --output <dir>`.
 * Returns the files written.
 */
export function annotateStacks(dir: string, skips: readonly Skip[]): string[] {
  if (!existsSync(join(dir, "stacks"))) {
    throw new UserError(`--annotate: "${dir}" holds no stacks/ folder; run npm run synth:hcl -- --output ${dir} first`);
  }
  return [...new Set(skips.map((s) => s.stack))].map((stage) => {
    const file = join(dir, "stacks", stage, "cdk.tf");
    if (!existsSync(file)) throw new UserError(`--annotate: ${file} is missing; synthesize stage ${stage} with --hcl into ${dir}`);
    writeFileSync(file, annotateHcl(readFileSync(file, "utf8"), skips.filter((s) => s.stack === stage)));
    return file;
  });
}

export type SkipsCommand = { readonly kind: "list" } | { readonly kind: "rules" } | { readonly kind: "annotate"; readonly dir: string };

/** The arguments of `npm run policy:skips`. */
export function parseSkipsCommand(args: readonly string[]): SkipsCommand {
  if (args.length === 0) return { kind: "list" };
  if (args.length === 1 && args[0] === "--rules") return { kind: "rules" };
  if (args.length === 2 && args[0] === "--annotate") return { kind: "annotate", dir: args[1] };
  throw new UserError(`policy:skips: ${JSON.stringify(args)} is not understood; allowed: no arguments, --rules, or --annotate <dir>`);
}
