/**
 * The backend section: where each stage keeps its Terraform state, locally or in S3, and the choices of the
 * S3 backend that depend on each other (how state is locked, how the bucket is encrypted).
 */
import { z } from "zod";
import { BUCKET_NAME_RULES, MAX_OBJECT_KEY_LENGTH, RESERVED_BUCKET_PREFIXES, RESERVED_BUCKET_SUFFIXES, bucketNameProblem } from "./facts/s3";
import { choice, oneOf, pattern, show, strictGroup, wholeNumber } from "./blocks";
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
// Where the state lives: the key prefix, and a KMS key the bucket's region can use.

/** Path segments of S3 key characters, "/" only between them: Terraform's S3 backend refuses a key that starts or ends with "/" or holds "//". */
const KEY_PREFIX = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/;
const KEY_PREFIX_RULE =
  'must be an S3 key prefix such as "container-workshop" or "team-a/workshop": letters, digits and ! _ . * \' ( ) -, with "/" only between parts ' +
  '(Terraform\'s S3 backend refuses a key that starts or ends with "/" or holds "//")';
/** The longest key the stages write, "<keyPrefix>/autoscaling.tfstate.tflock", must stay within S3's limit. */
const MAX_KEY_PREFIX_LENGTH = MAX_OBJECT_KEY_LENGTH - "/autoscaling.tfstate.tflock".length;

const KMS_ARN_RULE =
  "the ARN of a KMS key or alias in the bucket's region, such as arn:aws:kms:eu-west-1:111122223333:key/<key id> " +
  "(key ids are UUIDs, or mrk- and 32 hex digits for a multi-Region key) or arn:aws:kms:eu-west-1:111122223333:alias/<name>";
const NOT_AN_ARN = "is not a KMS ARN";
const KMS_ARN = /^arn:([^:]*):kms:([^:]*):([^:]*):(.*)$/s;
const KEY_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
const ALIAS_NAME = /^[A-Za-z0-9/_-]{1,250}$/;

/** The parts of a KMS ARN that must match the bucket's place. */
function kmsArnParts(arn: string): { partition: string; region: string } | undefined {
  const [, partition, region] = KMS_ARN.exec(arn) ?? [];
  return partition === undefined ? undefined : { partition, region };
}

/** What is wrong with a KMS key ARN on its own (its place is checked against the bucket's by backendLocationProblems). */
function kmsKeyArnProblem(arn: string): string | undefined {
  const match = KMS_ARN.exec(arn);
  if (!match) return NOT_AN_ARN;
  const [, partition, region, account, resource] = match;
  if (!/^aws(-[a-z]+)*$/.test(partition) || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) return "is not a KMS ARN (its partition or region is not one)";
  if (!/^\d{12}$/.test(account)) return `holds the account ${show(account)}, not a 12-digit account id`;
  const [type, ...rest] = resource.split("/");
  const id = rest.join("/");
  if (type === "key" && !KEY_ID.test(id)) {
    const truncated = /^[0-9a-f-]+$/.test(id) || /^mrk-[0-9a-f]*$/.test(id);
    return `has the key id ${show(id)}, which is ${truncated ? "cut short" : /[A-F]/.test(id) ? "not lowercase" : "not a key id"}`;
  }
  if (type === "alias" && !ALIAS_NAME.test(id)) return `has the alias ${show(id)}, which is not an alias name (1 to 250 letters, digits, / _ -)`;
  if (type !== "key" && type !== "alias") return "names neither a key (key/<id>) nor an alias (alias/<name>)";
  return undefined;
}

/** The KMS key must be where the bucket is: KMS keys serve their own region, and partitions do not mix. */
export function backendLocationProblems(s: { readonly region: string; readonly backend: BackendSettings }): string[] {
  const backend = s.backend;
  if (backend.type !== "s3" || backend.kmsKeyArn === undefined) return [];
  const key = kmsArnParts(backend.kmsKeyArn);
  const bucketRegion = backend.region ?? s.region;
  const where = backend.region === undefined ? "region" : "backend.region";
  if (!key || key.region === bucketRegion && key.partition === "aws") return [];
  return [
    `backend.kmsKeyArn: ${show(backend.kmsKeyArn)} is a key in ${key.partition === "aws" ? key.region : `partition ${key.partition}`}, ` +
      `and the state bucket is in ${bucketRegion} (${where}) of partition aws: S3 encrypts only with keys of its own region; ` +
      `allowed: a key in ${bucketRegion}, such as arn:aws:kms:${bucketRegion}:<account>:key/<key id> (a multi-Region key has a replica there)`,
  ];
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
    keyPrefix: pattern(KEY_PREFIX, KEY_PREFIX_RULE)
      .max(MAX_KEY_PREFIX_LENGTH, { error: `${KEY_PREFIX_RULE}, of at most ${MAX_KEY_PREFIX_LENGTH} characters (S3 keys have at most ${MAX_OBJECT_KEY_LENGTH})` })
      .default("container-workshop")
      .describe('Folder of the state objects in the bucket: <keyPrefix>/<stage>.tfstate. @default "container-workshop"'),
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
    kmsKeyArn: z
      .string({ error: KMS_ARN_RULE })
      .superRefine((arn, context) => {
        const problem = kmsKeyArnProblem(arn);
        if (problem) context.addIssue({ code: "custom", message: problem === NOT_AN_ARN ? `must be ${KMS_ARN_RULE}` : `${problem}; allowed: ${KMS_ARN_RULE}` });
      })
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
