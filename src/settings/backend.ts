/**
 * The choices of the S3 backend that depend on each other: how state is locked and how the bucket is
 * encrypted. src/config.ts holds the settings themselves; this file says which combinations make sense.
 */

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
