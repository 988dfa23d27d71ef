/**
 * Upgrades never surprise a deployed stage: with the default settings, every Terraform address a stage had
 * when this baseline was taken (fixtures/addresses/baseline.json, 2026-11-22, before the rest of the workshop
 * was added) is still there, and the only new addresses are the ones a lesson deliberately adds, listed here.
 * The baseline is never regenerated: a feature that needs an address to move gives Terraform a `moved` block.
 */
import baseline from "./fixtures/addresses/baseline.json";
import { STAGE_NAMES, type StageName } from "../src/stages";
import { addresses, stageJson } from "./support/synth";

/** The jump host (issue 11, "Reach the database"): the lesson has one from stage db on (jumpHost.enable). */
const JUMP_HOST = [
  "aws_iam_instance_profile.jump-host_instance-profile_167D14B2",
  "aws_iam_role.jump-host_role_682DDE72",
  "aws_iam_role_policy_attachment.jump-host_ssm-core_59A4C778",
  "aws_instance.jump-host_instance_B901391C",
  "aws_launch_template.jump-host_launch-template_E7467A60",
  "aws_security_group.jump-host_security-group_81272C0F",
  "aws_vpc_security_group_egress_rule.jump-host_egress-https_21602378",
  // the database admits the jump host's group
  "aws_vpc_security_group_egress_rule.database_jump-host-egress_879679AB",
  "aws_vpc_security_group_ingress_rule.database_jump-host-ingress_5575D341",
];

/** Addresses the lesson's defaults add on top of the baseline, by stage (each stage has those of the ones before). */
const ADDED_SINCE_BASELINE: Record<StageName, string[]> = {
  "vpc-only": [],
  db: JUMP_HOST,
  fargate: JUMP_HOST,
  alb: JUMP_HOST,
  autoscaling: JUMP_HOST,
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
