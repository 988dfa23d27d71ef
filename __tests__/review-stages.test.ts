/**
 * The prior-state builder against every stage, with real Terraform: a stage planned against its own prior
 * state changes nothing (any difference would be a gap in the builder or a perpetual diff in our Terraform),
 * and each stage against the lesson before it shows only that lesson's additions and its named changes.
 * The README's stage table and the committed reviews in docs/reviews/ agree with these reviews.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { renderReview } from "../src/review/render";
import type { Review } from "../src/review";
import { STAGE_NAMES, type StageName } from "../src/stages";
import { addresses, stageJson } from "./support/synth";
import { describeWithTerraform } from "./support/terraform";
import { PROJECT_DIR, lessonPriorOf, priorStateOf, reviewContext, reviewHead, source } from "./support/review";

jest.setTimeout(900_000);

const STEPS = STAGE_NAMES.slice(1).map((stage, i) => [stage, STAGE_NAMES[i]] as const);

/** What a lesson changes, besides what it adds: the lesson's own words, as changes. */
const NAMED_CHANGES: Record<string, Array<[string, RegExp]>> = {
  db: [],
  fargate: [],
  // the service goes behind the load balancer, and the task port is closed to the world
  alb: [
    ["update", /^aws_ecs_service\.service_/],
    ["delete", /^aws_vpc_security_group_ingress_rule\.service_ingress-from-anywhere_/],
  ],
  autoscaling: [],
};

describeWithTerraform("review: the prior-state builder on every stage", () => {
  const ctx = reviewContext();
  const same = new Map<StageName, Review>();
  const steps = new Map<StageName, Review>();

  beforeAll(async () => {
    // GIVEN each stage's prior state from its own plan, and each stage's state from the lesson before it
    const own = STAGE_NAMES.map(async (stage) => {
      const prior = await lessonPriorOf(stage, ctx);
      same.set(stage, await reviewHead(ctx, stage, source(), prior, "same"));
    });
    const step = STEPS.map(async ([stage, before]) => {
      const prior = await priorStateOf(stage, { kind: "source", source: source({}, { lesson: before }), description: `stage ${before}` }, ctx, "step-base");
      steps.set(stage, await reviewHead(ctx, stage, source(), prior, `stage ${before}`));
    });
    // WHEN each head is planned against its prior state, every stage at once
    await Promise.all([...own, ...step]);
  });

  afterAll(() => ctx.dispose());

  test.each([...STAGE_NAMES])("%s against its own prior state: no changes", (stage) => {
    const review = same.get(stage) as Review;
    expect(review.changes).toEqual([]);
    expect(review.verdict).toBe("no changes");
    expect(review.cost.monthly).toBe(review.cost.monthlyBefore);
  });

  test.each(STEPS)("%s against %s: only the lesson's additions and its named changes", (stage, before) => {
    const review = steps.get(stage) as Review;
    const had = new Set(addresses(stageJson(before)));
    const added = addresses(stageJson(stage)).filter((a) => !had.has(a));
    expect(review.changes.filter((c) => c.kind === "create").map((c) => c.address).sort()).toEqual(added.sort());
    const others = review.changes.filter((c) => c.kind !== "create");
    expect(others.map((c) => c.kind)).toEqual(NAMED_CHANGES[stage].map(([kind]) => kind));
    others.forEach((c, i) => expect(c.address).toMatch(NAMED_CHANGES[stage][i][1]));
  });

  test("alb against fargate: the load balancer is the new internet path, and the task port is closed to the world", () => {
    const review = steps.get("alb") as Review;
    expect(review.exposure.before).toEqual(expect.arrayContaining([expect.objectContaining({ from: "0.0.0.0/0", to: "tasks of service my-nginx", port: 80, publicIp: true })]));
    expect(review.exposure.after.filter((e) => e.to.startsWith("tasks"))).toEqual([
      expect.objectContaining({ from: "load balancer workshop-alb", port: 80 }),
    ]);
    expect(new Set(review.exposure.newInternetPaths.map((e) => e.to))).toEqual(new Set(["load balancer workshop-alb"]));
    expect(review.exitCode).toBe(3);
  });

  test("the README's stage table and docs/reviews/ agree with each stage's review against the one before", () => {
    const readme = readFileSync(join(PROJECT_DIR, "README.md"), "utf8");
    for (const [stage] of STEPS) {
      const review = steps.get(stage) as Review;
      const { add, change, destroy, replace } = review.summary;
      const row = readme.split("\n").find((line) => line.startsWith(`| \`${stage}\` |`)) ?? "";
      expect(row).toContain(`[+${add} ~${change} -${destroy} ±${replace}](docs/reviews/${stage}/review.md)`);
      const committed = readFileSync(join(PROJECT_DIR, "docs", "reviews", stage, "review.md"), "utf8");
      expect(committed).toBe(renderReview(review));
    }
  });
});
