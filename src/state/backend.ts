/**
 * Where a stack keeps its Terraform state: a local file, or its own key in the S3 state bucket, encrypted
 * and locked as the backend settings say.
 */
import { LocalBackend, S3Backend, type TerraformStack } from "cdktf";
import { usesLockTable, usesLockfile, type BackendSettings, type S3BackendSettings } from "../settings/backend";

/** The S3 key of a stack's state. */
export function stateKey(backend: S3BackendSettings, stack: string): string {
  return `${backend.keyPrefix}/${stack}.tfstate`;
}

/** The local state file of a stack, relative to the project folder (cdktf's default place). */
export function localStateFile(stack: string): string {
  return `terraform.${stack}.tfstate`;
}

export interface StateBackendProps {
  /** The backend section and the stage's region (the bucket's, unless the backend names another). */
  readonly settings: { readonly backend: BackendSettings; readonly region: string };
  /** The stack's name: the stage, or "state". */
  readonly stack: string;
  /** Offline planning: skip the AWS account checks, keep local state in the stack's folder. @default false */
  readonly offline?: boolean;
}

/** Gives `stack` the state backend the settings choose; returns nothing for cdktf's default local state. */
export function configureStateBackend(stack: TerraformStack, props: StateBackendProps): LocalBackend | S3Backend | undefined {
  const { settings } = props;
  const offline = props.offline ?? false;
  const backend = settings.backend;
  if (backend.type === "local") {
    // Online, cdktf's default: terraform.<stack>.tfstate in the project folder. Offline plans keep theirs apart.
    return offline ? new LocalBackend(stack, { path: localStateFile(props.stack) }) : undefined;
  }
  const testEndpoints = backend.s3Endpoint !== undefined || backend.dynamodbEndpoint !== undefined;
  const s3 = new S3Backend(stack, {
    bucket: backend.bucket,
    key: stateKey(backend, props.stack),
    region: backend.region ?? settings.region,
    encrypt: true,
    ...(backend.encryption === "SSE-KMS" && { kmsKeyId: backend.kmsKeyArn }),
    ...(usesLockTable(backend) && { dynamodbTable: backend.lockTable }),
    ...(testEndpoints && {
      endpoints: { s3: backend.s3Endpoint, dynamodb: backend.dynamodbEndpoint },
      usePathStyle: true,
      skipS3Checksum: true,
    }),
    ...(offline && { skipCredentialsValidation: true, skipRequestingAccountId: true, skipMetadataApiCheck: true }),
  });
  // cdktf 0.21 has no typed use_lockfile (Terraform 1.10+), so it goes in as an override of the backend block.
  if (usesLockfile(backend)) stack.addOverride("terraform.backend.s3.use_lockfile", true);
  return s3;
}
