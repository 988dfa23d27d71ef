/** Terraform state: the S3 backend settings, and the bucket and lock table when a stack creates them. */
// source: checkov graph_checks/aws (S3*), resource/aws (DynamoDB*), trivy-checks checks/cloud/aws/s3 and dynamodb, AWS Security Hub S3 and DynamoDB controls; read 2026-12-06
import type { Rule } from "../types";
import { asList, type Attributes, type Resource, type StackView } from "../stack-view";
import { block, blocks, flagWhere, isTrue } from "./helpers";

export const BACKEND_ADDRESS = "terraform.backend.s3";

const s3Backend = (stack: StackView) => stack.backend?.s3;

/** The configuration resources (versioning, public access block, ...) of one bucket, of one type. */
const configOf = (stack: StackView, bucket: Resource, type: string) =>
  stack.all(type).filter((config) => stack.target(config.attributes.bucket)?.address === bucket.address);


/** The default encryption a bucket declares: each rule's algorithm and key, inline or in its SSE configuration resource. */
function defaultEncryption(stack: StackView, bucket: Resource): Attributes[] {
  const inline = blocks(bucket.attributes.server_side_encryption_configuration).flatMap((config) => blocks(config.rule));
  const separate = configOf(stack, bucket, "aws_s3_bucket_server_side_encryption_configuration").flatMap((config) => blocks(config.attributes.rule));
  return [...inline, ...separate].flatMap((rule) => blocks(rule.apply_server_side_encryption_by_default));
}

/** The algorithms S3 accepts as default encryption: SSE-S3, SSE-KMS and DSSE-KMS. */
// source: Amazon S3 API Reference, ServerSideEncryptionByDefault.SSEAlgorithm, read 2026-12-06
const SSE_ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];
const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

/** True when server access logs of other buckets go into this one (S3 does not log a log bucket into itself). */
const isLogTarget = (stack: StackView, bucket: Resource) =>
  stack.all("aws_s3_bucket_logging").some((logging) => stack.target(logging.attributes.target_bucket)?.address === bucket.address);

/** Which object-level events ("read", "write") no CloudTrail trail of the stack records for the bucket. */
function unrecordedDataEvents(stack: StackView, bucket: Resource): string[] {
  const selectors = stack.all("aws_cloudtrail").flatMap((trail) => blocks(trail.attributes.event_selector));
  const covering = selectors.filter((selector) =>
    blocks(selector.data_resource).some(
      (data) => data.type === "AWS::S3::Object" && asList(data.values).some((value) => ["arn:aws:s3", "arn:aws:s3:::"].includes(String(value)) || stack.mentions(value, bucket)),
    ),
  );
  const types = covering.map((selector) => String(selector.read_write_type ?? "All"));
  return [
    ...(types.some((t) => t !== "WriteOnly") ? [] : ["read"]),
    ...(types.some((t) => t !== "ReadOnly") ? [] : ["write"]),
  ];
}

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
    fix: 'Add aws_s3_bucket_server_side_encryption_configuration for the bucket, with sse_algorithm "AES256" or "aws:kms".',
    checkov: ["CKV_AWS_19"],
    check: (stack) =>
      flagWhere(stack, "aws_s3_bucket", (bucket) => {
        const rules = defaultEncryption(stack, bucket);
        if (rules.length === 0) return true;
        const other = rules.map((rule) => String(rule.sse_algorithm)).filter((algorithm) => !SSE_ALGORITHMS.includes(algorithm));
        return other.length > 0 && `sse_algorithm ${other.join(", ")} is none of ${SSE_ALGORITHMS.join(", ")}`;
      }),
  },
  {
    id: "STATE-BUCKET-CUSTOMER-KEY",
    service: "state",
    severity: "warning",
    reason: "With S3-managed keys (SSE-S3) the key policy, its audit trail and rotation are not yours to control.",
    fix: 'Encrypt with sse_algorithm "aws:kms" and kms_master_key_id set to a customer managed key (backend.encryption "SSE-KMS", backend.kmsKeyArn).',
    checkov: ["CKV_AWS_145"],
    trivy: ["AVD-AWS-0132"],
    securityHub: ["S3.17"],
    check: (stack) =>
      flagWhere(stack, "aws_s3_bucket", (bucket) => {
        const rules = defaultEncryption(stack, bucket);
        const customerKeyed = rules.length > 0 && rules.every((rule) => KMS_ALGORITHMS.includes(String(rule.sse_algorithm)) && Boolean(rule.kms_master_key_id));
        return !customerKeyed && !isLogTarget(stack, bucket);
      }),
  },
  {
    id: "STATE-BUCKET-ACCESS-LOGS",
    service: "state",
    severity: "warning",
    reason: "Without server access logs there is no record of who read or wrote the state, and from where.",
    fix: "Add aws_s3_bucket_logging for the bucket, into a log bucket of its own.",
    checkov: ["CKV_AWS_18"],
    trivy: ["AVD-AWS-0089"],
    securityHub: ["S3.9"],
    check: (stack) =>
      flagWhere(stack, "aws_s3_bucket", (bucket) =>
        !isLogTarget(stack, bucket) && bucket.attributes.logging === undefined && !configOf(stack, bucket, "aws_s3_bucket_logging").some((l) => l.attributes.target_bucket)),
  },
  {
    id: "STATE-BUCKET-DATA-EVENTS",
    service: "state",
    severity: "warning",
    reason: "Without CloudTrail data events, reads and writes of the state objects leave no audit record.",
    fix: 'Log the bucket\'s object-level events in a trail: event_selector { data_resource { type = "AWS::S3::Object", values = ["<bucket ARN>/"] } }.',
    trivy: ["AVD-AWS-0171", "AVD-AWS-0172"],
    check: (stack) =>
      flagWhere(stack, "aws_s3_bucket", (bucket) => {
        const missing = unrecordedDataEvents(stack, bucket);
        return missing.length > 0 && `no trail records its object ${missing.join(" and ")} events`;
      }),
  },
  {
    id: "STATE-BUCKET-REPLICATION",
    service: "state",
    severity: "warning",
    reason: "A bucket in one region loses its state with that region.",
    fix: 'Add aws_s3_bucket_replication_configuration with a rule of status "Enabled" into a bucket in another region.',
    checkov: ["CKV_AWS_144"],
    securityHub: ["S3.7"],
    check: (stack) =>
      flagWhere(stack, "aws_s3_bucket", (bucket) => {
        const inline = blocks(bucket.attributes.replication_configuration).flatMap((config) => blocks(config.rules));
        const separate = configOf(stack, bucket, "aws_s3_bucket_replication_configuration").flatMap((config) => blocks(config.attributes.rule));
        return ![...inline, ...separate].some((rule) => rule.status === "Enabled");
      }),
  },
  {
    id: "STATE-BUCKET-EVENT-NOTIFICATIONS",
    service: "state",
    severity: "warning",
    reason: "Without event notifications nobody hears of a state object overwritten or deleted outside Terraform.",
    fix: "Add aws_s3_bucket_notification for the bucket, to a topic, queue or function that someone watches.",
    checkov: ["CKV2_AWS_62"],
    securityHub: ["S3.11"],
    check: (stack) => flagWhere(stack, "aws_s3_bucket", (bucket) => configOf(stack, bucket, "aws_s3_bucket_notification").length === 0),
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
  {
    id: "STATE-LOCK-TABLE-CUSTOMER-KEY",
    service: "state",
    severity: "warning",
    reason: "Without a customer managed key, DynamoDB encrypts the table with a key whose policy and rotation are not yours to control.",
    fix: "Set server_side_encryption { enabled = true, kms_key_arn = <customer managed key> } on the table.",
    checkov: ["CKV_AWS_119"],
    trivy: ["AVD-AWS-0025"],
    check: (stack) =>
      flagWhere(stack, "aws_dynamodb_table", (table) => {
        const encryption = block(table.attributes.server_side_encryption);
        const key = encryption?.kms_key_arn;
        return !isTrue(encryption?.enabled) || typeof key !== "string" || key === "" || key === "alias/aws/dynamodb";
      }),
  },
];
