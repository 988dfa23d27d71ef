/** One policy rule on an in-memory Terraform JSON fixture, for the rule tests. */
import { ruleById } from "../../src/policy";
import { StackView, type Attributes, type StackJson } from "../../src/policy/stack-view";

export type Resources = Record<string, Record<string, Attributes>>;

/** A stack of these resources, with the backend given if any. */
export const json = (resource: Resources, backend?: Record<string, Attributes>): StackJson => ({ resource, ...(backend && { terraform: { backend } }) });

/** Addresses the rule flags in the fixture, sorted; an unknown rule id is an error, not an empty list. */
export function flagged(ruleId: string, fixture: StackJson): string[] {
  const rule = ruleById(ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  return rule.check(new StackView(fixture)).map((flag) => flag.address).sort();
}
