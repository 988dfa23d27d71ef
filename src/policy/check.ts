/** Runs the rules over stacks: one stack's JSON (pure, for the plan review) or every stack of an app before synth. */
import { TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { PolicyError } from "../common/errors";
import { renderBlocking } from "./render";
import { RULES } from "./rules";
import { StackView, type StackJson } from "./stack-view";
import type { Finding, PolicyReport, Rule, UnusedWaiver } from "./types";
import { constructPath, waiversOf } from "./waivers";

/** Checks one synthesized stack's Terraform JSON: every finding, with the waiver that accepts it, and unused waivers. */
export function checkStack(json: StackJson, stack: string, rules: readonly Rule[] = RULES): PolicyReport {
  const view = new StackView(json);
  const findings: Finding[] = rules.flatMap((rule) =>
    rule.check(view).map((flag) => {
      const [type, name] = flag.address.split(".");
      const attributes = json.resource?.[type]?.[name] ?? {};
      const waiver = waiversOf(attributes)[rule.id];
      return {
        stack,
        rule: rule.id,
        severity: rule.severity,
        address: flag.address,
        path: constructPath(attributes),
        reason: rule.reason,
        fix: rule.fix,
        ...(flag.detail !== undefined && { detail: flag.detail }),
        ...(waiver !== undefined && { waiver }),
      };
    }),
  );
  const found = new Set(findings.map((f) => `${f.rule} ${f.address}`));
  const unusedWaivers: UnusedWaiver[] = Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName ?? {}).flatMap(([name, attributes]) =>
      Object.entries(waiversOf(attributes))
        .filter(([rule]) => !found.has(`${rule} ${type}.${name}`))
        .map(([rule, reason]) => ({ stack, rule, address: `${type}.${name}`, reason })),
    ),
  );
  return { stack, findings, unusedWaivers };
}

/** Findings that fail a synth: error severity, not waived. */
export function blocking(reports: readonly PolicyReport[]): Finding[] {
  return reports.flatMap((r) => r.findings.filter((f) => f.severity === "error" && f.waiver === undefined));
}

/**
 * Checks every TerraformStack under `scope` (an App: the lesson's stages and any other stack, such as a
 * state bootstrap) before anything is written. Throws PolicyError naming each unwaived error finding;
 * returns the reports for the caller to print warnings and unused waivers.
 */
export function checkPolicies(scope: IConstruct): PolicyReport[] {
  const stacks = scope.node.findAll().filter((c): c is TerraformStack => c instanceof TerraformStack);
  return enforcePolicies(stacks.map((stack) => checkStack(stack.toTerraform() as StackJson, stack.node.id)));
}

/** Throws PolicyError naming each unwaived error finding of the reports; returns them otherwise. */
export function enforcePolicies(reports: PolicyReport[]): PolicyReport[] {
  const errors = blocking(reports);
  if (errors.length > 0) throw new PolicyError(renderBlocking(errors));
  return reports;
}
