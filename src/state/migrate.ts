/**
 * Moves a stage's local state (terraform.<stage>.tfstate in the project folder) to its key in the S3 state
 * bucket, keeping serial, lineage, outputs and resources exactly, and refusing to overwrite a different state.
 *
 * Why not `terraform init -migrate-state`: writing to an absent key, Terraform 1.11 gives the state a new
 * lineage and serial 1, and every later push adds one to the serial. So the migration works in a folder that
 * holds only the stage's backend block (no providers to load): it pushes an empty placeholder state, then the
 * local state with its serial minus one, which Terraform's own serial bump turns back into the original.
 * Terraform does the writing, so its credentials, encryption, lock and DynamoDB digest all apply.
 */
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { App, TerraformStack } from "cdktf";
import type { Settings } from "../settings/index";
import { UserError } from "../common/errors";
import { STAGE_NAMES, type StageName } from "../common/naming";
import { WORK_DIR } from "../terraform/config";
import { terraform } from "../terraform/run";
import { configureStateBackend, localStateFile, stateKey } from "./backend";
import { STATE_STACK } from "./bootstrap";

/** The parts of a Terraform state file (format version 4) the migration compares. */
export interface StateFile {
  readonly version: number;
  readonly terraform_version?: string;
  readonly serial: number;
  readonly lineage: string;
  readonly outputs?: Record<string, unknown>;
  readonly resources?: unknown[];
}

export interface MigrateStateProps {
  /** The stage whose state moves. */
  readonly stage: string;
  readonly settings: Settings;
  /** The project folder: where the local state is, and where .workshop/migrate is written. */
  readonly projectDir: string;
  /** Environment for terraform (see terraformEnv). */
  readonly env: NodeJS.ProcessEnv;
  /** Offline: the backend skips the AWS account checks (tests against local S3 servers). @default false */
  readonly offline?: boolean;
  /** The local state file. @default <projectDir>/terraform.<stage>.tfstate */
  readonly localStatePath?: string;
}

export interface MigrationResult {
  /** "migrated": written now; "unchanged": the key already held exactly this state. */
  readonly outcome: "migrated" | "unchanged";
  readonly bucket: string;
  readonly key: string;
  readonly serial: number;
  readonly lineage: string;
  readonly resources: number;
}

/** True when the state holds neither resources nor outputs (what Terraform lets any push overwrite). */
export function isEmptyState(state: StateFile): boolean {
  return (state.resources ?? []).length === 0 && Object.keys(state.outputs ?? {}).length === 0;
}

/** JSON with object keys sorted: Terraform may write the keys of resource attributes in another order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Outputs and resources, compared regardless of order: Terraform writes resources sorted by type and name. */
const contentOf = (state: StateFile) => canonical({ outputs: state.outputs ?? {}, resources: (state.resources ?? []).map(canonical).sort() });

/** Why `remote` must not be replaced by `local`, or undefined when they are the same state. */
export function stateConflict(local: StateFile, remote: StateFile): string | undefined {
  if (remote.lineage !== local.lineage) {
    return `it holds a different state (lineage ${remote.lineage}, serial ${remote.serial}; the local state has lineage ${local.lineage})`;
  }
  if (remote.serial !== local.serial) {
    return `it holds serial ${remote.serial} of the same state and the local file has serial ${local.serial}: one of them has changes the other lacks`;
  }
  if (contentOf(remote) !== contentOf(local)) {
    return `it holds serial ${remote.serial} of the same state with different resources or outputs`;
  }
  return undefined;
}

function readLocalState(path: string, stage: string): StateFile {
  if (!existsSync(path)) {
    throw new UserError(`migrate-state ${stage}: there is no local state at ${path}; nothing to migrate (was the stage deployed with local state?)`);
  }
  let state: StateFile;
  try {
    state = JSON.parse(readFileSync(path, "utf8")) as StateFile;
  } catch (e) {
    throw new UserError(`migrate-state ${stage}: ${path} is not a JSON state file: ${(e as Error).message}`);
  }
  if (state.version !== 4 || typeof state.lineage !== "string" || !Number.isInteger(state.serial) || state.serial < 1) {
    throw new UserError(`migrate-state ${stage}: ${path} is not a Terraform state (format 4, with a lineage and a serial of 1 or more)`);
  }
  return state;
}

/** Writes a folder holding only the stage's backend block and returns it. */
function backendOnlyFolder(props: MigrateStateProps, stage: StageName): string {
  const outdir = join(props.projectDir, WORK_DIR, "migrate");
  rmSync(join(outdir, "stacks", stage), { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const app = new App({ outdir, skipValidation: true });
  const stack = new TerraformStack(app, stage);
  configureStateBackend(stack, { settings: props.settings, stack: stage, offline: props.offline });
  app.synth();
  return join(outdir, "stacks", stage);
}

export async function migrateState(props: MigrateStateProps): Promise<MigrationResult> {
  const stage = props.stage;
  if (!(STAGE_NAMES as readonly string[]).includes(stage)) {
    const why = stage === STATE_STACK ? " (the state stack keeps its own state local: it creates the bucket)" : "";
    throw new UserError(`migrate-state: "${stage}" is not a stage${why}; allowed: ${STAGE_NAMES.join(", ")}`);
  }
  const backend = props.settings.backend;
  if (backend.type !== "s3") {
    throw new UserError(
      'backend.type: "local" leaves nothing to migrate to; set backend.type to "s3" and backend.bucket in the settings file (WORKSHOP_CONFIG) first',
    );
  }
  const localPath = resolve(props.localStatePath ?? join(props.projectDir, localStateFile(stage)));
  const local = readLocalState(localPath, stage);
  const key = stateKey(backend, stage);
  const where = `s3://${backend.bucket}/${key}`;

  const cwd = backendOnlyFolder(props, stage as StageName);
  const run = (...args: string[]) => terraform(args, { cwd, env: props.env });
  await run("init", "-input=false", "-reconfigure");
  const pull = async (): Promise<StateFile | undefined> => {
    const text = (await run("state", "pull")).trim();
    return text === "" ? undefined : (JSON.parse(text) as StateFile);
  };
  const result = (outcome: MigrationResult["outcome"]): MigrationResult => ({
    outcome,
    bucket: backend.bucket,
    key,
    serial: local.serial,
    lineage: local.lineage,
    resources: (local.resources ?? []).length,
  });

  const remote = await pull();
  if (remote && !isEmptyState(remote)) {
    const conflict = stateConflict(local, remote);
    if (conflict) throw new UserError(`migrate-state ${stage}: refusing to overwrite ${where}: ${conflict}. Nothing was changed.`);
    return result("unchanged");
  }

  // An empty placeholder first, so that the key holds a state; then the local one, whose serial Terraform bumps back.
  const push = async (name: string, state: StateFile) => {
    const file = join(cwd, name);
    writeFileSync(file, JSON.stringify(state, null, 2) + "\n");
    await run("state", "push", file);
    rmSync(file);
  };
  await push("placeholder.tfstate", { version: 4, terraform_version: local.terraform_version, serial: 1, lineage: randomUUID(), outputs: {}, resources: [] });
  await push("migrating.tfstate", { ...local, serial: local.serial - 1 });

  const stored = await pull();
  if (!stored || stateConflict(local, stored)) {
    throw new Error(`migrate-state ${stage}: ${where} does not hold the local state after the push: ${stored ? stateConflict(local, stored) : "it is empty"}`);
  }
  return result("migrated");
}
