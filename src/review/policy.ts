/** The stage's policy checks (src/policy) as the review shows them: open findings, and waivers with their reasons. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { checkStack } from "../policy";
import type { StackJson } from "../policy/stack-view";
import type { PolicyResults } from "./review";

/** Checks the synthesized stack in `stackDir` (its cdk.tf.json carries the waivers). */
export function policyResults(stackDir: string, stack: string): PolicyResults {
  const report = checkStack(JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as StackJson, stack);
  return {
    findings: report.findings
      .filter((f) => f.waiver === undefined)
      .map((f) => ({ ruleId: f.rule, severity: f.severity, address: f.address, message: `${f.reason} Fix: ${f.fix}` })),
    waivers: report.findings.flatMap((f) => (f.waiver === undefined ? [] : [{ ruleId: f.rule, address: f.address, reason: f.waiver }])),
  };
}
