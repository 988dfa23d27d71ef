/**
 * Upgrades never surprise a deployed stage: with the default settings, every Terraform address a stage had
 * when this baseline was taken (fixtures/addresses/baseline.json, 2026-11-22, before the rest of the workshop
 * was added) is still there, and the only new addresses are the ones a lesson deliberately adds, listed here.
 * The baseline is never regenerated: a feature that needs an address to move gives Terraform a `moved` block.
 */
import baseline from "./fixtures/addresses/baseline.json";
import { STAGE_NAMES, type StageName } from "../src/stages";
import { addresses, stageJson } from "./support/synth";

/** Addresses the lesson's defaults add on top of the baseline, by stage (each stage has those of the ones before). */
const ADDED_SINCE_BASELINE: Record<StageName, string[]> = {
  "vpc-only": [],
  db: [],
  fargate: [],
  alb: [],
  autoscaling: [],
};

describe("the default settings keep every stage's addresses", () => {
  test.each(STAGE_NAMES)("%s keeps every baseline address", (stage) => {
    // GIVEN the stage with the lesson's settings
    const current = new Set(addresses(stageJson(stage)));
    // THEN no address of the baseline is missing
    expect(baseline[stage].filter((address) => !current.has(address))).toEqual([]);
  });

  test.each(STAGE_NAMES)("%s adds only the addresses its lessons add", (stage) => {
    // GIVEN the stage with the lesson's settings
    const known = new Set(baseline[stage]);
    // WHEN the addresses the baseline does not have are listed
    const added = addresses(stageJson(stage)).filter((address) => !known.has(address));
    // THEN they are exactly the deliberate additions
    expect(added.sort()).toEqual([...ADDED_SINCE_BASELINE[stage]].sort());
  });
});
