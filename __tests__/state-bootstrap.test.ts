/**
 * The `state` bootstrap stack and each stage's S3 backend block, synthesized (no Terraform), and the
 * Terraform 1.11 check for lock files against a fake `terraform` on PATH.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { parseSettings, type SettingsInput } from "../src/settings/index";
import { STAGE_NAMES, WorkshopStage } from "../src/stages";
import { addStateStack, STATE_STACK, StateStack } from "../src/state/bootstrap";
import { versionAtLeast } from "../src/terraform/run";
import { decodeJsonencode } from "./support/hcl";
import { ref, stageJson, synthesizedStack, theOne, type Synthesized, type TerraformJson } from "./support/synth";

const KMS_KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const s3 = (extra: Record<string, unknown> = {}): SettingsInput => ({ backend: { type: "s3", bucket: "team-state", ...extra } } as SettingsInput);

/** The state stack for these settings, synthesized; no terraform is asked for its version. */
function stateStack(input: SettingsInput, offline = false): Synthesized & { terraform?: TerraformJson["terraform"] } {
  const settings = parseSettings(input);
  if (settings.backend.type !== "s3") throw new Error("expected an S3 backend");
  return synthesizedStack(new StateStack(Testing.app(), STATE_STACK, { settings, backend: settings.backend, offline })).json;
}

describe("the state stack with the default S3 backend settings", () => {
  const json = stateStack(s3());
  const [bucketId, bucket] = theOne(json, S3Bucket);
  const bucketRef = ref(S3Bucket, bucketId, "id");
  const onBucket = (attributes: Record<string, unknown>) => attributes.bucket === bucketRef;

  test("creates the bucket the backend names, kept from destroy", () => {
    expect(bucket).toEqual(expect.objectContaining({ bucket: "team-state", lifecycle: { prevent_destroy: true } }));
    expect(bucket.force_destroy).toBeUndefined();
  });

  test("turns versioning on", () => {
    expect(theOne(json, S3BucketVersioningA, onBucket)[1].versioning_configuration).toEqual({ status: "Enabled" });
  });

  test("encrypts by default with S3-managed keys (SSE-S3)", () => {
    expect(theOne(json, S3BucketServerSideEncryptionConfigurationA, onBucket)[1].rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
  });

  test("blocks all four kinds of public access", () => {
    expect(theOne(json, S3BucketPublicAccessBlock, onBucket)[1]).toEqual(
      expect.objectContaining({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }),
    );
  });

  test("enforces bucket-owner ownership of every object (ACLs off)", () => {
    expect(theOne(json, S3BucketOwnershipControls, onBucket)[1].rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
  });

  test("denies every request without TLS, on the bucket and its objects", () => {
    // GIVEN the policy, written after the public access block (S3 refuses both at once)
    const [blockId] = theOne(json, S3BucketPublicAccessBlock, onBucket);
    const [, policy] = theOne(json, S3BucketPolicy, (p) => p.bucket === ref(S3BucketPublicAccessBlock, blockId, "bucket"));
    const arn = `\${${S3Bucket.tfResourceType}.${bucketId}.arn}`;
    const document = decodeJsonencode(policy.policy) as { Statement: Array<Record<string, unknown>> };
    // THEN its one statement is a Deny for everyone, on every S3 action, whenever aws:SecureTransport is false
    expect(document.Statement).toHaveLength(1);
    const [deny] = document.Statement;
    expect([deny.Effect, deny.Principal, deny.Action]).toEqual(["Deny", "*", "s3:*"]);
    expect(deny.Resource).toEqual([arn, `${arn}/*`]);
    expect(deny.Condition).toEqual({ Bool: { "aws:SecureTransport": "false" } });
  });

  test("expires noncurrent versions after 90 days and cleans up incomplete uploads after 7", () => {
    // GIVEN the lifecycle, which refers to the bucket through versioning, so it comes after it
    const [versioningId] = theOne(json, S3BucketVersioningA, onBucket);
    const [, lifecycle] = theOne(json, S3BucketLifecycleConfiguration, (l) => l.bucket === ref(S3BucketVersioningA, versioningId, "bucket"));
    expect(lifecycle.rule).toEqual([
      expect.objectContaining({
        status: "Enabled",
        noncurrent_version_expiration: [{ noncurrent_days: 90 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      }),
    ]);
  });

  test("creates no DynamoDB table: lock files need none", () => {
    expect(json.resource?.[DynamodbTable.tfResourceType]).toBeUndefined();
  });

  test("keeps its own state local: no backend block online, the stack's folder offline", () => {
    expect(json.terraform?.backend).toBeUndefined();
    expect(stateStack(s3(), true).terraform?.backend).toEqual({ local: { path: "terraform.state.tfstate" } });
  });
});

describe("the state stack with other settings", () => {
  test("SSE-KMS encrypts with the given key and an S3 bucket key", () => {
    const json = stateStack(s3({ encryption: "SSE-KMS", kmsKeyArn: KMS_KEY }));
    expect(theOne(json, S3BucketServerSideEncryptionConfigurationA)[1].rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: KMS_KEY }, bucket_key_enabled: true },
    ]);
  });

  test("the noncurrent-version lifecycle follows the setting", () => {
    const json = stateStack(s3({ noncurrentVersionExpiryDays: 30 }));
    expect(theOne(json, S3BucketLifecycleConfiguration)[1].rule).toEqual([
      expect.objectContaining({ noncurrent_version_expiration: [{ noncurrent_days: 30 }] }),
    ]);
  });

  test.each(["dynamodb", "both"])("locking %s adds the lock table: on demand, LockID string key, PITR, deletion protection", (locking) => {
    const json = stateStack(s3({ locking, lockTable: "team-locks" }));
    expect(theOne(json, DynamodbTable)[1]).toEqual(
      expect.objectContaining({
        name: "team-locks",
        billing_mode: "PAY_PER_REQUEST",
        hash_key: "LockID",
        attribute: [{ name: "LockID", type: "S" }],
        point_in_time_recovery: { enabled: true },
        deletion_protection_enabled: true,
      }),
    );
  });

  test("the provider points at the test endpoints and the backend's region", () => {
    const json = stateStack(s3({ region: "eu-central-1", s3Endpoint: "http://127.0.0.1:4566" })) as TerraformJson;
    expect(json.provider.aws[0]).toEqual(
      expect.objectContaining({ region: "eu-central-1", endpoints: [{ s3: "http://127.0.0.1:4566" }], s3_use_path_style: true }),
    );
  });
});

describe("each stage's S3 backend block", () => {
  test("every stage gets its own key, encryption and use_lockfile by default, and no lock table", () => {
    const backends = STAGE_NAMES.map((stage) => stageJson(stage, s3()).terraform.backend?.s3);
    for (const [i, stage] of STAGE_NAMES.entries()) {
      expect(backends[i]).toEqual(
        expect.objectContaining({ bucket: "team-state", key: `container-workshop/${stage}.tfstate`, encrypt: true, use_lockfile: true }),
      );
      expect(backends[i]).not.toHaveProperty("dynamodb_table");
    }
    expect(new Set(backends.map((b) => b?.key)).size).toBe(STAGE_NAMES.length);
  });

  test("the HCL of a stage carries use_lockfile too (cdktf synth --hcl)", () => {
    const hcl = Testing.synthHcl(new WorkshopStage(Testing.app(), "vpc-only", { settings: parseSettings(s3()) })) as string;
    const block = /backend "s3" \{([^}]*)\}/.exec(hcl)?.[1] ?? "";
    expect(block).toMatch(/^\s*use_lockfile\s*=\s*true$/m);
    expect(block).toMatch(/^\s*key\s*=\s*"container-workshop\/vpc-only\.tfstate"$/m);
    expect(block).not.toMatch(/dynamodb_table/);
  });

  test.each([
    ["dynamodb", false],
    ["both", true],
  ] as const)("locking %s names the lock table; use_lockfile: %s", (locking, lockfile) => {
    const backend = stageJson("db", s3({ locking, lockTable: "team-locks" })).terraform.backend?.s3;
    expect(backend).toEqual(expect.objectContaining({ dynamodb_table: "team-locks" }));
    expect(backend?.use_lockfile).toBe(lockfile ? true : undefined);
  });

  test("SSE-KMS makes Terraform write state with the same key", () => {
    expect(stageJson("vpc-only", s3({ encryption: "SSE-KMS", kmsKeyArn: KMS_KEY })).terraform.backend?.s3).toEqual(
      expect.objectContaining({ encrypt: true, kms_key_id: KMS_KEY }),
    );
  });
});

describe("addStateStack and the Terraform version lock files need", () => {
  let fakeBin = "";
  const calls = () => (existsSync(join(fakeBin, "calls")) ? readFileSync(join(fakeBin, "calls"), "utf8") : "");
  /** A `terraform` on PATH that records its arguments and reports `version`. */
  function fakeTerraform(version: string): NodeJS.ProcessEnv {
    writeFileSync(join(fakeBin, "calls"), "");
    const script = join(fakeBin, "terraform");
    writeFileSync(script, `#!/bin/sh\necho "$@" >> "${join(fakeBin, "calls")}"\nprintf '{"terraform_version":"${version}"}\\n'\n`);
    chmodSync(script, 0o755);
    return { ...process.env, PATH: `${fakeBin}:/usr/bin:/bin` };
  }

  beforeAll(() => {
    fakeBin = mkdtempSync(join(tmpdir(), "workshop-fake-terraform-"));
  });
  afterAll(() => rmSync(fakeBin, { recursive: true, force: true }));

  test("the default local backend adds no state stack and never runs terraform", () => {
    const env = fakeTerraform("1.10.5");
    const app = Testing.app();
    expect(addStateStack(app, { settings: parseSettings({}), env })).toBeUndefined();
    expect(app.node.tryFindChild(STATE_STACK)).toBeUndefined();
    expect(calls()).toBe("");
  });

  test("lock files (the default) with Terraform 1.10 on PATH are refused, naming both versions", () => {
    const env = fakeTerraform("1.10.5");
    expect(() => addStateStack(Testing.app(), { settings: parseSettings(s3()), env })).toThrow(
      /backend\.locking: "lockfile" \(the default\) needs Terraform 1\.11\.0 or newer for S3 lock files, but the terraform on PATH is 1\.10\.5; .*"dynamodb"/,
    );
    expect(calls()).toBe("version -json\n");
  });

  test("locking both with Terraform 1.10 on PATH is refused too", () => {
    const env = fakeTerraform("1.10.5");
    expect(() => addStateStack(Testing.app(), { settings: parseSettings(s3({ locking: "both", lockTable: "team-locks" })), env })).toThrow(
      /backend\.locking: "both" needs Terraform 1\.11\.0/,
    );
  });

  test("lock files with Terraform 1.11 on PATH add the state stack", () => {
    const env = fakeTerraform("1.11.0");
    const app = Testing.app();
    expect(addStateStack(app, { settings: parseSettings(s3()), env })).toBeInstanceOf(StateStack);
    expect(calls()).toBe("version -json\n");
  });

  test("DynamoDB locking asks terraform nothing, whatever its version", () => {
    const env = fakeTerraform("1.5.7");
    expect(addStateStack(Testing.app(), { settings: parseSettings(s3({ lockTable: "team-locks" })), env })).toBeInstanceOf(StateStack);
    expect(calls()).toBe("");
  });

  test("the state stack is no lesson stage", () => {
    expect(STAGE_NAMES).not.toContain(STATE_STACK);
  });

  test.each([
    ["1.11.0", true],
    ["1.11.4", true],
    ["1.12.0", true],
    ["2.0.0", true],
    ["1.10.5", false],
    ["1.11.0-rc1", false],
    ["0.15.5", false],
  ])("Terraform %s is new enough for lock files: %s", (version, enough) => {
    expect(versionAtLeast(version, "1.11.0")).toBe(enough);
  });
});
