/** Terraform state: the S3 backend settings, and the bucket and lock table when a stack creates them. */
// source: checkov graph_checks/aws (S3*), resource/aws (DynamoDB*), trivy-checks checks/cloud/aws/s3 and dynamodb, AWS Security Hub S3 and DynamoDB controls; read 2026-11-22
import type { Rule } from "../types";
import type { Resource, StackView } from "../stack-view";
import { block, flagWhere } from "./helpers";

export const BACKEND_ADDRESS = "terraform.backend.s3";

const s3Backend = (stack: StackView) => stack.backend?.s3;

/** The configuration resources (versioning, public access block, ...) of one bucket, of one type. */
const configOf = (stack: StackView, bucket: Resource, type: string) =>
  stack.all(type).filter((config) => stack.target(config.attributes.bucket)?.address === bucket.address);

export const STATE_RULES: Rule[] = [
  {
    id: "STATE-BACKEND-ENCRYPTED",
    service: "state",
    severity: "error",
    reason: "The state holds every resource's attributes, some sensitive; it must be encrypted at rest.",
    fix: "Set encrypt = true on the S3 backend.",
    check: (stack) => {
      const backend = s3Backend(stack);
      return backend && backend.encrypt !== true ? [{ address: BACKEND_ADDRESS }] : [];
    },
  },
  {
    id: "STATE-BACKEND-LOCKED",
    service: "state",
    severity: "warning",
    reason: "Without a lock, two applies at once can corrupt the state.",
    fix: "Set dynamodb_table (backend.lockTable) or use_lockfile on the S3 backend.",
    check: (stack) => {
      const backend = s3Backend(stack);
      return backend && backend.dynamodb_table === undefined && backend.use_lockfile !== true ? [{ address: BACKEND_ADDRESS }] : [];
    },
  },
  {
    id: "STATE-BUCKET-VERSIONING",
    service: "state",
    severity: "warning",
    reason: "Without versioning a bad write or delete of the state cannot be undone.",
    fix: 'Add aws_s3_bucket_versioning with status "Enabled" for the bucket.',
    checkov: ["CKV_AWS_21"],
    trivy: ["AVD-AWS-0090"],
    securityHub: ["S3.14"],
    check: (stack) =>
      flagWhere(stack, "aws_s3_bucket", (bucket) =>
        !configOf(stack, bucket, "aws_s3_bucket_versioning").some((v) => block(v.attributes.versioning_configuration)?.status === "Enabled")),
  },
  {
    id: "STATE-BUCKET-PUBLIC-ACCESS-BLOCK",
    service: "state",
    severity: "error",
    reason: "A bucket without a full public access block can be made public by one ACL or policy.",
    fix: "Add aws_s3_bucket_public_access_block with all four settings true.",
    checkov: ["CKV2_AWS_6", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"],
    trivy: ["AVD-AWS-0086", "AVD-AWS-0087", "AVD-AWS-0091", "AVD-AWS-0093", "AVD-AWS-0094"],
    securityHub: ["S3.8"],
    check: (stack) =>
      flagWhere(stack, "aws_s3_bucket", (bucket) => {
        const keys = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];
        return !configOf(stack, bucket, "aws_s3_bucket_public_access_block").some((b) => keys.every((key) => b.attributes[key] === true));
      }),
  },
  {
    id: "STATE-BUCKET-ENCRYPTION",
    service: "state",
    severity: "warning",
    reason: "Say how the bucket encrypts, so that the state's protection does not depend on an account default.",
    fix: "Add aws_s3_bucket_server_side_encryption_configuration for the bucket.",
    checkov: ["CKV_AWS_145"],
    trivy: ["AVD-AWS-0088"],
    check: (stack) => flagWhere(stack, "aws_s3_bucket", (bucket) => configOf(stack, bucket, "aws_s3_bucket_server_side_encryption_configuration").length === 0),
  },
  {
    id: "STATE-LOCK-TABLE-RECOVERY",
    service: "state",
    severity: "warning",
    reason: "Point-in-time recovery restores a lock table that was deleted or damaged.",
    fix: "Set point_in_time_recovery { enabled = true } on the table.",
    checkov: ["CKV_AWS_28"],
    trivy: ["AVD-AWS-0024"],
    securityHub: ["DynamoDB.2"],
    check: (stack) => flagWhere(stack, "aws_dynamodb_table", (table) => block(table.attributes.point_in_time_recovery)?.enabled !== true),
  },
];
