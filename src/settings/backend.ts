/**
 * The backend section: where each stage keeps its Terraform state, locally or in S3, and the choices of the
 * S3 backend that depend on each other (how state is locked, how the bucket is encrypted).
 */
import { z } from "zod";
import { BUCKET_NAME_RULES, RESERVED_BUCKET_PREFIXES, RESERVED_BUCKET_SUFFIXES, bucketNameProblem } from "./facts/s3";
import { choice, oneOf, pattern, strictGroup, wholeNumber } from "./blocks";
import { regionName } from "./stage";

/** "lockfile": S3-native lock objects (Terraform 1.11+); "dynamodb": the lock table; "both": during a move. */
export type StateLocking = "lockfile" | "dynamodb" | "both";

/** The backend settings these checks read. */
export interface LockingChoice {
  readonly locking?: StateLocking;
  readonly lockTable?: string;
}

export interface EncryptionChoice {
  readonly encryption: "SSE-S3" | "SSE-KMS";
  readonly kmsKeyArn?: string;
}

/** A problem with one backend setting: its key in the backend section, the value given, and what to do. */
export interface BackendProblem {
  readonly path: string[];
  readonly input: unknown;
  readonly message: string;
}

/**
 * The locking in effect: the setting when given; otherwise "dynamodb" when a lock table is named (what
 * lockTable meant before `locking` existed, so an upgrade changes nothing), else "lockfile".
 */
export function stateLocking(backend: LockingChoice): StateLocking {
  return backend.locking ?? (backend.lockTable !== undefined ? "dynamodb" : "lockfile");
}

export const usesLockfile = (backend: LockingChoice): boolean => stateLocking(backend) !== "dynamodb";
export const usesLockTable = (backend: LockingChoice): boolean => stateLocking(backend) !== "lockfile";

/** Combinations of backend settings that cannot work, each with what to change. */
export function backendProblems(backend: LockingChoice & EncryptionChoice): BackendProblem[] {
  const problems: BackendProblem[] = [];
  const locking = stateLocking(backend);
  if (locking === "lockfile" && backend.lockTable !== undefined) {
    problems.push({
      path: ["lockTable"],
      input: backend.lockTable,
      message:
        'is set but backend.locking is "lockfile", which locks with S3 lock files and uses no table; ' +
        'set backend.locking to "dynamodb" or "both", or remove backend.lockTable',
    });
  }
  if (locking !== "lockfile" && backend.lockTable === undefined) {
    problems.push({
      path: ["lockTable"],
      input: undefined,
      message: `needed by backend.locking "${locking}": name the DynamoDB table (partition key LockID) that locks the state, or use locking "lockfile"`,
    });
  }
  if (backend.encryption !== "SSE-KMS" && backend.kmsKeyArn !== undefined) {
    problems.push({
      path: ["kmsKeyArn"],
      input: backend.kmsKeyArn,
      message: `needs backend.encryption "SSE-KMS" (it is "${backend.encryption}"); set encryption to "SSE-KMS", or remove kmsKeyArn`,
    });
  }
  if (backend.encryption === "SSE-KMS" && backend.kmsKeyArn === undefined) {
    problems.push({
      path: ["kmsKeyArn"],
      input: undefined,
      message: 'needed by backend.encryption "SSE-KMS": the ARN of the KMS key for the bucket and the state, or use encryption "SSE-S3"',
    });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// The schema.

const LOCKING = ["lockfile", "dynamodb", "both"] as const;
const ENCRYPTION = ["SSE-S3", "SSE-KMS"] as const;
const endpoint = z.url({ protocol: /^https?$/, error: "must be an http or https URL such as http://127.0.0.1:4566" });

const s3Backend = strictGroup({
    type: z.literal("s3"),
    bucket: z
      .string({ error: `must be an S3 bucket name: ${BUCKET_NAME_RULES}` })
      .superRefine((name, ctx) => {
        const problem = bucketNameProblem(name);
        if (problem) ctx.addIssue({ code: "custom", input: name, message: `must be an S3 bucket name: ${problem}; allowed: ${BUCKET_NAME_RULES}, not an IP address, not starting with ${RESERVED_BUCKET_PREFIXES.join(", ")}, not ending with ${RESERVED_BUCKET_SUFFIXES.join(", ")}` });
      })
      .describe("Bucket holding the state; each stage writes <keyPrefix>/<stage>.tfstate. The state stack creates it."),
    keyPrefix: pattern(/^[A-Za-z0-9!_.*'()/-]+$/, "must be an S3 key prefix without spaces").default("container-workshop").describe(
      '@default "container-workshop"',
    ),
    region: regionName.optional().describe("Region of the bucket. @default the region setting"),
    locking: choice(LOCKING)
      .optional()
      .describe(
        'How Terraform locks the state: "lockfile" (S3-native <key>.tflock, Terraform 1.11+), "dynamodb" (the lockTable; deprecated by Terraform 1.11) or "both" (while a team moves from the table to lock files). @default "dynamodb" when lockTable is set (what lockTable meant before), else "lockfile"',
      ),
    lockTable: pattern(/^[A-Za-z0-9_.-]{3,255}$/, "must be a DynamoDB table name: 3 to 255 letters, digits, underscores, periods or hyphens")
      .optional()
      .describe('DynamoDB table (partition key LockID) for locking "dynamodb" or "both". @default - none'),
    encryption: oneOf(ENCRYPTION, "SSE-S3", 'Default encryption of the state bucket: "SSE-S3" (S3-managed keys) or "SSE-KMS" (kmsKeyArn). @default "SSE-S3"'),
    kmsKeyArn: pattern(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/\S+$/, "must be the ARN of a KMS key or alias, such as arn:aws:kms:eu-west-1:111122223333:key/<id>")
      .optional()
      .describe('KMS key for encryption "SSE-KMS": the bucket default and the key Terraform writes state with. @default - none'),
    noncurrentVersionExpiryDays: wholeNumber(1, 36500, 90, "Days the state bucket keeps a replaced state version before deleting it. @default 90"),
    s3Endpoint: endpoint.optional().describe("S3-compatible endpoint, for tests. @default - AWS"),
    dynamodbEndpoint: endpoint.optional().describe("DynamoDB-compatible endpoint, for tests. @default - AWS"),
  })
  .superRefine((backend, ctx) => {
    for (const problem of backendProblems(backend)) ctx.addIssue({ code: "custom", ...problem });
  })
  .describe("State in S3, one key per stage.");

export const backendSettings = z
  .discriminatedUnion("type", [strictGroup({ type: z.literal("local") }).describe("State files in the project folder."), s3Backend], {
    error: 'must be {"type": "local"} or {"type": "s3", "bucket": ...}',
  })
  .default({ type: "local" })
  .describe('Where each stage keeps its Terraform state. @default {"type": "local"}');

export type BackendSettings = z.output<typeof backendSettings>;
export type S3BackendSettings = Extract<BackendSettings, { type: "s3" }>;
