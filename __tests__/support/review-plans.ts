/**
 * Plans for the review's pure parts, without Terraform: the plans captured from real offline previews
 * (__tests__/fixtures/review/, see its README) and small hand-made ones.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { reviewPlan, type Review } from "../../src/review";
import type { RiskKind } from "../../src/review/kinds";
import type { PlanJson, ResourceChange } from "../../src/review/plan";

/** The folder of the captured plans and schemas. */
export const fixtures = join(__dirname, "..", "fixtures", "review");

/** A captured plan: fixtures/review/<name>.plan.json. */
export const fixture = (name: string): PlanJson => JSON.parse(readFileSync(join(fixtures, `${name}.plan.json`), "utf8")) as PlanJson;

/** The review of a captured plan, as stage `name`. */
export const review = (name: string): Review => reviewPlan(fixture(name), { stage: name, source: { kind: "plan-file" } });

/** The review of a plan, as stage "t", with the risk kinds given accepted. */
export const reviewOf = (plan: PlanJson, accept: RiskKind[] = []): Review => reviewPlan(plan, { stage: "t", source: { kind: "plan-file" }, accept });

/** A plan of these resource changes. */
export const plan = (...changes: ResourceChange[]): PlanJson => ({ format_version: "1.2", resource_changes: changes });

type Change = ResourceChange["change"];

/**
 * A hand-made resource change: the smallest plan JSON a rule needs. `more` adds the rest of the change
 * (after_unknown, before_sensitive, ...).
 */
export function change(
  type: string,
  before: Change["before"],
  after: Change["after"],
  actions: Change["actions"] = ["update"],
  address = `${type}.test`,
  more: Omit<Partial<Change>, "actions" | "before" | "after"> = {},
): ResourceChange {
  return { address, mode: "managed", type, name: address.split(".")[1], change: { actions, before, after, ...more } };
}
