/**
 * Waivers: a finding accepted on purpose, declared in code next to the resource it covers, with the
 * reason, like cdk-nag's suppressions. A waiver travels inside the resource's Terraform JSON under the
 * comment key "//" (Terraform ignores it; the HCL output drops it), so a check of the synthesized JSON
 * alone, such as the plan review's, sees the same waivers as the synth.
 */
import type { TerraformResource } from "cdktf";
import { ruleById } from "./rules";
import type { Attributes } from "./stack-view";

const KEY = "policy_waivers";

/**
 * Accepts the findings of `rule` on `resource`, for `reason`. Declare it only under the conditions that
 * make the finding happen: a waiver that matches no finding is reported.
 */
export function waive(resource: TerraformResource, rule: string, reason: string): void {
  if (!ruleById(rule)) throw new Error(`waive: "${rule}" is not a policy rule id (see src/policy/rules)`);
  if (reason.trim() === "") throw new Error(`waive: the waiver of ${rule} on ${resource.node.path} needs a reason`);
  resource.addOverride(`//.${KEY}.${rule}`, reason);
}

/** The waivers a synthesized resource carries: rule id -> reason. */
export function waiversOf(attributes: Attributes): Record<string, string> {
  const comment = attributes["//"] as { [KEY]?: Record<string, unknown> } | undefined;
  return Object.fromEntries(Object.entries(comment?.[KEY] ?? {}).map(([rule, reason]) => [rule, String(reason)]));
}

/** The construct path cdktf records for a synthesized resource. */
export function constructPath(attributes: Attributes): string | undefined {
  const comment = attributes["//"] as { metadata?: { path?: unknown } } | undefined;
  return typeof comment?.metadata?.path === "string" ? comment.metadata.path : undefined;
}
