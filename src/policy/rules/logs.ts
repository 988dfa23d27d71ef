/** CloudWatch Logs: log groups. */
// source: checkov resource/aws (CloudWatchLogGroup*), trivy-checks checks/cloud/aws/cloudwatch, AWS Security Hub CloudWatch controls; read 2026-12-06
import type { Rule } from "../types";
import { flagWhere } from "./helpers";

export const LOGS_RULES: Rule[] = [
  {
    id: "LOGS-RETENTION-SET",
    service: "logs",
    severity: "error",
    reason: "A log group without a retention keeps every event forever, and the bill grows with it.",
    fix: "Set retention_in_days to a period CloudWatch Logs offers.",
    checkov: ["CKV_AWS_66"],
    check: (stack) => flagWhere(stack, "aws_cloudwatch_log_group", (group) => !(Number(group.attributes.retention_in_days ?? 0) > 0)),
  },
  {
    id: "LOGS-RETENTION-YEAR",
    service: "logs",
    severity: "warning",
    reason: "Investigations and audits often need a year of logs.",
    fix: "Set retention_in_days to 365 or more (service.logRetentionDays).",
    checkov: ["CKV_AWS_338"],
    securityHub: ["CloudWatch.16"],
    check: (stack) => flagWhere(stack, "aws_cloudwatch_log_group", (group) => Number(group.attributes.retention_in_days ?? 0) > 0 && Number(group.attributes.retention_in_days) < 365),
  },
  {
    id: "LOGS-CUSTOMER-KEY",
    service: "logs",
    severity: "warning",
    reason: "Log groups are encrypted with AWS-owned keys unless a customer key is given.",
    fix: "Set kms_key_id to a customer managed KMS key that CloudWatch Logs may use.",
    checkov: ["CKV_AWS_158"],
    trivy: ["AVD-AWS-0017"],
    check: (stack) => flagWhere(stack, "aws_cloudwatch_log_group", (group) => group.attributes.kms_key_id === undefined),
  },
];
