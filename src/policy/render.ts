/** Views of the policy results: the synth's error message, its short warning table, and the README's rule table. */
import type { Finding, PolicyReport, Rule } from "./types";

/** A plain-text table with padded columns. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** The PolicyError message: stage, address, rule and fix of each blocking finding. */
export function renderBlocking(findings: readonly Finding[]): string {
  const lines = findings.flatMap((f) => [
    `  ${f.stack}: ${f.address}${f.path ? ` (${f.path})` : ""}`,
    `    ${f.rule}: ${f.reason}${f.detail ? ` [${f.detail}]` : ""}`,
    `    fix: ${f.fix}`,
  ]);
  return [
    `Policy check failed: ${findings.length} finding(s) of error severity, not waived:`,
    ...lines,
    "If you changed only the settings file: a setting made this resource (the address names its construct, the README's " +
      '"Settings" table what each setting makes); change that setting back or to another value.',
    'If you changed the code: fix the resource, or accept the finding next to it with waive(resource, "<rule>", "<reason>") from src/policy.',
  ].join("\n");
}

/** The short table printed once per synth: unwaived warnings and waivers that match nothing. Undefined when empty. */
export function renderNotices(reports: readonly PolicyReport[]): string | undefined {
  const rows = reports.flatMap((r) => [
    ...r.findings.filter((f) => f.severity === "warning" && f.waiver === undefined).map((f) => [f.stack, f.rule, f.address, f.detail ?? f.fix]),
    ...r.unusedWaivers.map((w) => [w.stack, w.rule, w.address, "waiver matches no finding: remove it"]),
  ]);
  if (rows.length === 0) return undefined;
  return `Policy warnings (${rows.length}):\n${textTable(["stage", "rule", "address", "what to do"], rows)}`;
}

const ids = (list?: readonly string[]) => (list && list.length > 0 ? list.join(", ") : "-");

/** The README's rule table, generated from the rule definitions. */
export function rulesMarkdown(rules: readonly Rule[]): string {
  const escape = (text: string) => text.replace(/\|/g, "\\|");
  return [
    "| rule | service | severity | why | fix | checkov | trivy | Security Hub |",
    "|---|---|---|---|---|---|---|---|",
    ...rules.map((r) =>
      `| \`${r.id}\` | ${r.service} | ${r.severity} | ${escape(r.reason)} | ${escape(r.fix)} | ${ids(r.checkov)} | ${ids(r.trivy)} | ${ids(r.securityHub)} |`,
    ),
  ].join("\n");
}
