/**
 * StateBucket: the S3 bucket every stage keeps its state in, protected so that a mistake cannot lose state
 * history: versioned, encrypted, private, owner-enforced, TLS only, and kept from `terraform destroy`.
 *
 * What a learner's state bucket leaves out, each waived with its reason: access logs, CloudTrail data events,
 * cross-region replication, event notifications, and (with SSE-S3) a customer managed key.
 */
import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { jsonDocument } from "../constructs/iam";
import { REASONS } from "../policy/reasons";
import { waive } from "../policy/waivers";

export interface StateBucketProps {
  /** The bucket name (backend.bucket). */
  readonly bucketName: string;
  /** KMS key ARN for SSE-KMS default encryption. @default - SSE-S3 (AES256, S3-managed keys) */
  readonly kmsKeyArn?: string;
  /** Days a replaced (noncurrent) state version is kept. @default 90 */
  readonly noncurrentVersionExpiryDays?: number;
  /** Days after which an unfinished multipart upload is cleaned up. @default 7 */
  readonly abortIncompleteUploadDays?: number;
}

export class StateBucket extends Construct {
  static readonly DEFAULT_NONCURRENT_VERSION_EXPIRY_DAYS = 90;
  static readonly DEFAULT_ABORT_INCOMPLETE_UPLOAD_DAYS = 7;
  readonly bucket: S3Bucket;
  readonly versioning: S3BucketVersioningA;
  readonly publicAccessBlock: S3BucketPublicAccessBlock;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    const noncurrentDays = props.noncurrentVersionExpiryDays ?? StateBucket.DEFAULT_NONCURRENT_VERSION_EXPIRY_DAYS;
    const abortDays = props.abortIncompleteUploadDays ?? StateBucket.DEFAULT_ABORT_INCOMPLETE_UPLOAD_DAYS;

    // Every stage's history lives here: `cdktf destroy state` must fail rather than delete it.
    this.bucket = new S3Bucket(this, "bucket", { bucket: props.bucketName, lifecycle: { preventDestroy: true } });
    const oneWriter = "a learner's state bucket has one writer, and versioning keeps every state it wrote";
    waive(this.bucket, "STATE-BUCKET-ACCESS-LOGS", `Server access logs need a second bucket and record every plan's reads; ${oneWriter}`);
    waive(this.bucket, "STATE-BUCKET-DATA-EVENTS", `CloudTrail data events are paid per request and belong to the account's trail, not to the lesson; ${oneWriter}`);
    waive(this.bucket, "STATE-BUCKET-REPLICATION", "A second bucket in another region doubles storage for state that applying the stages again rebuilds; versioning and prevent_destroy guard this one");
    waive(this.bucket, "STATE-BUCKET-EVENT-NOTIFICATIONS", "Nothing needs to react to a state write: Terraform reads and writes the state itself, and versioning records each write");
    if (!props.kmsKeyArn) waive(this.bucket, "STATE-BUCKET-CUSTOMER-KEY", `${REASONS.awsOwnedKeys} (backend.encryption "SSE-S3")`);
    const bucket = this.bucket.id;

    // Versioning keeps every earlier state, so a bad apply or a wrong push can be rolled back.
    this.versioning = new S3BucketVersioningA(this, "versioning", { bucket, versioningConfiguration: { status: "Enabled" } });

    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket,
      rule: [
        props.kmsKeyArn
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
    });

    // State holds secrets and resource ids: nothing in it is ever public.
    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });

    // ACLs off: the bucket owner owns every object, whoever wrote it.
    new S3BucketOwnershipControls(this, "ownership", { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });

    new S3BucketPolicy(this, "policy", {
      // Through the public access block: S3 refuses a policy change while that block is being written, and
      // a reference orders the two without a depends_on (which `synth --hcl` writes as a deprecated quoted string).
      bucket: this.publicAccessBlock.bucket,
      policy: jsonDocument({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DenyRequestsWithoutTls",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
    });

    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      // Through versioning, so that it comes after it: noncurrent versions only exist once versioning is on.
      bucket: this.versioning.bucket,
      rule: [
        {
          id: "expire-noncurrent-state-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: abortDays }],
        },
      ],
    });
  }
}
