/**
 * Every rule, grouped by AWS service. Ids of other tools are what their rule sources say:
 * // source: checkov checkov/terraform/checks (resource/aws, graph_checks/aws), trivy-checks checks/cloud/aws
 * //         (custom.id / aliases), AWS Security Hub controls reference; read 2026-11-22
 */
import type { Rule } from "../types";
import { AUTOSCALING_RULES } from "./autoscaling";
import { ECR_RULES } from "./ecr";
import { EC2_RULES } from "./ec2";
import { ECS_RULES } from "./ecs";
import { ELB_RULES } from "./elb";
import { IAM_RULES } from "./iam";
import { LOGS_RULES } from "./logs";
import { RDS_RULES } from "./rds";
import { SECURITY_GROUP_RULES } from "./security-group";
import { STATE_RULES } from "./state";
import { VPC_RULES } from "./vpc";

export const RULES: readonly Rule[] = [
  ...VPC_RULES,
  ...SECURITY_GROUP_RULES,
  ...RDS_RULES,
  ...ECR_RULES,
  ...ECS_RULES,
  ...EC2_RULES,
  ...IAM_RULES,
  ...LOGS_RULES,
  ...ELB_RULES,
  ...AUTOSCALING_RULES,
  ...STATE_RULES,
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((rule) => rule.id === id);
}
