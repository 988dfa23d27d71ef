/**
 * Policy checks at synthesis, keyed to checkov and trivy.
 *
 * Like cdk-nag for the AWS CDK: rules (rules/<service>.ts, one file per AWS service) run over each stack's
 * synthesized Terraform JSON, where container definitions and IAM documents are decoded from jsonencode and
 * checked as the JSON AWS receives. A finding names the stack, the resource address, our rule id and the fix,
 * and carries the matching checkov, trivy and Security Hub ids.
 *
 * - waivers.ts: waive(resource, rule, reason), next to the resource in the construct files; a waiver that
 *   matches no finding is reported.
 * - check.ts: checkStack(json, name) is pure (the plan review calls it on one stack's JSON: cdk.tf.json or
 *   stack.toTerraform(); cdktf's Testing.synth drops the "//" comments that carry the waivers);
 *   checkPolicies(app) checks every TerraformStack of an app, and enforcePolicies throws PolicyError on an
 *   unwaived finding of error severity; src/synth.ts runs the checks on what it synthesized, before it
 *   publishes anything into cdktf.out.
 * - render.ts: the error message, the warning table, the README's rule table.
 * - skips.ts: checkov and trivy skip comments for the HCL output, generated from the waivers.
 */
export { blocking, checkPolicies, checkStack, enforcePolicies } from "./check";
export { renderBlocking, renderNotices, rulesMarkdown } from "./render";
export { RULES, ruleById } from "./rules";
export type { Finding, Flag, PolicyReport, Rule, Severity, UnusedWaiver } from "./types";
export { waive, waiversOf } from "./waivers";
