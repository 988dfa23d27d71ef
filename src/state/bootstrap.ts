/**
 * The `state` stack: what the S3 backend needs before any stage can use it. It is no lesson stage and not
 * in the stage order; it exists only when backend.type is "s3".
 *
 *   src/state/bucket.ts             StateBucket: versioned, encrypted, private, TLS-only, kept from destroy
 *   src/state/lock-table.ts         StateLockTable: DynamoDB lock table, for locking "dynamodb" or "both"
 *   src/state/backend.ts            each stack's backend block: S3 key per stack, encryption, locking
 *   src/settings/backend.ts         which backend settings go together
 *   src/state/terraform-version.ts  lock files need Terraform 1.11
 *   src/state/migrate.ts            a stage's local state into its S3 key, unchanged
 *
 * Its own state stays local (terraform.state.tfstate in the project folder): it cannot keep its state in,
 * or lock it with, a bucket that it has yet to create.
 */
import { Construct } from "constructs";
import { LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Settings } from "../settings/index";
import type { S3BackendSettings } from "../settings/backend";
import { localStateFile } from "./backend";
import { StateBucket } from "./bucket";
import { StateLockTable } from "./lock-table";
import { usesLockTable } from "../settings/backend";
import { checkTerraformForLocking } from "./terraform-version";

/** The bootstrap stack's name: `cdktf deploy state`. */
export const STATE_STACK = "state";

export interface StateStackProps {
  readonly settings: Settings;
  /** The S3 backend the stages use; the stack creates its bucket (and lock table). */
  readonly backend: S3BackendSettings;
  /** Offline planning: skip the AWS account checks, keep local state in the stack's folder. @default false */
  readonly offline?: boolean;
}

export class StateStack extends TerraformStack {
  readonly bucket: StateBucket;
  readonly lockTable?: StateLockTable;

  constructor(scope: Construct, id: string, props: StateStackProps) {
    super(scope, id);
    const { settings, backend } = props;
    const offline = props.offline ?? false;
    const testEndpoints = backend.s3Endpoint !== undefined || backend.dynamodbEndpoint !== undefined;

    new AwsProvider(this, "aws", {
      // The bucket lives where the backend looks for it.
      region: backend.region ?? settings.region,
      defaultTags: [{ tags: { project: settings.namePrefix, stage: STATE_STACK, "managed-by": "cdktf", ...settings.extraTags } }],
      ...(testEndpoints && { endpoints: [{ s3: backend.s3Endpoint, dynamodb: backend.dynamodbEndpoint }], s3UsePathStyle: true }),
      ...(offline && { skipCredentialsValidation: true, skipRequestingAccountId: true, skipMetadataApiCheck: "true" }),
    });
    // Online: cdktf's default local state in the project folder. Offline plans keep theirs in the stack's folder.
    if (offline) new LocalBackend(this, { path: localStateFile(STATE_STACK) });

    this.bucket = new StateBucket(this, "bucket", {
      bucketName: backend.bucket,
      kmsKeyArn: backend.encryption === "SSE-KMS" ? backend.kmsKeyArn : undefined,
      noncurrentVersionExpiryDays: backend.noncurrentVersionExpiryDays,
    });
    new TerraformOutput(this, "state_bucket", { value: this.bucket.bucket.bucket, description: "Bucket holding every stage's state" });
    if (backend.lockTable !== undefined && usesLockTable(backend)) {
      this.lockTable = new StateLockTable(this, "lock-table", { tableName: backend.lockTable });
      new TerraformOutput(this, "lock_table", { value: this.lockTable.table.name, description: "DynamoDB table that locks the state" });
    }
  }
}

export interface AddStateStackProps {
  readonly settings: Settings;
  /** @default false */
  readonly offline?: boolean;
  /** Where to look for terraform, for the lock-file version check. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * With an S3 backend: checks that the terraform on PATH supports the chosen locking, then adds the `state`
 * stack. With local state: does nothing at all (no stack, no process spawned).
 */
export function addStateStack(scope: Construct, props: AddStateStackProps): StateStack | undefined {
  const backend = props.settings.backend;
  if (backend.type !== "s3") return undefined;
  checkTerraformForLocking(backend, props.env);
  return new StateStack(scope, STATE_STACK, { settings: props.settings, backend, offline: props.offline });
}
