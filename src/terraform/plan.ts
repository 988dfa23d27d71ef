/** init, validate and plan of synthesized stack folders, one by one or several as modules of one root. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { TerraformError } from "../common/errors";
import { providersFor, runWithProviders } from "./provider-pool";
import { runTerraform, terraform } from "./run";

/** One line of `terraform plan -json` (the machine-readable UI) that this project reads. */
interface PlanStreamLine {
  type?: string;
  change?: { action: string; resource: { addr: string; resource_type: string } };
  outputs?: Record<string, unknown>;
  "@level"?: string;
  "@message"?: string;
  diagnostic?: { summary?: string; detail?: string; address?: string; range?: { filename?: string; start?: { line?: number } } };
}

/** The errors of a failed `terraform plan -json`, one per line: summary, detail, and the resource they are about. */
export function planFailure(stackDir: string, stdout: string, output: string): TerraformError {
  const lines = stdout.split("\n").flatMap((line) => {
    try {
      return [JSON.parse(line) as PlanStreamLine];
    } catch {
      return [];
    }
  });
  const errors = lines
    .filter((line) => line["@level"] === "error")
    .map(({ diagnostic, "@message": message }) => {
      if (!diagnostic) return `  - ${message ?? "error"}`;
      const where = [diagnostic.address, diagnostic.range?.filename && `${diagnostic.range.filename}:${diagnostic.range.start?.line ?? "?"}`].filter(Boolean);
      const detail = (diagnostic.detail ?? "").replace(/\s+/g, " ").trim();
      return `  - ${diagnostic.summary ?? message}${detail ? `: ${detail}` : ""}${where.length > 0 ? ` (${where.join(", ")})` : ""}`;
    });
  return new TerraformError(`terraform plan failed in ${stackDir}:\n${errors.join("\n") || output.trim()}`);
}

export interface StagePlan {
  /** Planned creations per resource type. */
  readonly counts: Record<string, number>;
  /** Addresses of every resource with a planned change. */
  readonly addresses: string[];
  /** The planned action per address: "create", "update", "delete", "replace" or "read". */
  readonly actions: Readonly<Record<string, string>>;
  /** Names of the planned outputs. */
  readonly outputs: string[];
  /** The plan file, for terraform show. */
  readonly planFile: string;
}

/**
 * Plans one synthesized stack folder: `terraform plan -json` (which validates too), with `init` only when the
 * folder needs it; offline unless `online` is set (then it refreshes and locks the stack's real state).
 * Offline, the plan uses a provider lent from the pool (provider-pool.ts) where one serves the folder.
 */
export async function planStack(stackDir: string, env: NodeJS.ProcessEnv, options: { online?: boolean; scratch?: boolean } = {}): Promise<StagePlan> {
  // Offline, nothing is refreshed or locked, and a changed backend is simply re-initialized (its state is throwaway).
  const offline = !options.online;
  const planArgs = ["plan", "-input=false", ...(offline ? ["-lock=false", "-refresh=false"] : []), "-json", "-out=plan.tfplan"];
  // A scratch folder (a review's, deleted after it) is initialized through the pool too: that installs no
  // provider (0.15 CPU-s instead of 0.7), so only runs through the pool work in it afterwards.
  const initRunner = offline && options.scratch ? runWithProviders : runTerraform;
  const init = () => terraform(["init", "-input=false", ...(offline ? ["-reconfigure"] : [])], { cwd: stackDir, env }, initRunner);
  // A new folder needs init before anything; a plan that fails asking for it later means a changed backend or
  // provider: init once, then plan again.
  if (!existsSync(join(stackDir, ".terraform"))) await init();
  let run = await runWithProviders(planArgs, { cwd: stackDir, env });
  if (run.status !== 0 && /terraform init/.test(run.stdout)) {
    await init();
    run = await runWithProviders(planArgs, { cwd: stackDir, env });
  }
  if (run.status !== 0) throw planFailure(stackDir, run.stdout, run.output);
  const lines = run.stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line) as PlanStreamLine);
  const changes = lines.flatMap((l) => (l.type === "planned_change" && l.change ? [l.change] : []));
  const outputs = Object.keys(lines.find((l) => l.type === "outputs")?.outputs ?? {});
  return stagePlan(changes, outputs, join(stackDir, "plan.tfplan"));
}

type PlannedChange = NonNullable<PlanStreamLine["change"]>;

function stagePlan(changes: PlannedChange[], outputs: string[], planFile: string): StagePlan {
  const counts: Record<string, number> = {};
  const actions: Record<string, string> = {};
  for (const { action, resource } of changes) {
    actions[resource.addr] = action;
    if (action === "create" || action === "replace") counts[resource.resource_type] = (counts[resource.resource_type] ?? 0) + 1;
  }
  return { counts, addresses: Object.keys(actions), actions, outputs, planFile };
}

/**
 * A root configuration in `rootDir` whose modules are the stack folders (JSON or HCL), with each stack's
 * outputs passed up as "<stack>__<output>" (JSON stacks only: an HCL stack's outputs stay in it).
 */
function writeModuleRoot(stacks: Readonly<Record<string, string>>, rootDir: string): void {
  mkdirSync(rootDir, { recursive: true });
  const module: Record<string, { source: string }> = {};
  const output: Record<string, { value: string; sensitive?: boolean }> = {};
  for (const [name, dir] of Object.entries(stacks)) {
    module[name] = { source: `./${relative(rootDir, dir)}` };
    if (!existsSync(join(dir, "cdk.tf.json"))) continue;
    const json = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as { output?: Record<string, { sensitive?: boolean }> };
    for (const [id, { sensitive }] of Object.entries(json.output ?? {})) {
      output[`${name}__${id}`] = { value: `\${module.${name}.${id}}`, ...(sensitive && { sensitive }) };
    }
  }
  writeFileSync(join(rootDir, "main.tf.json"), JSON.stringify({ module, output }, null, 2));
}

/**
 * `terraform validate` of each stack folder (JSON or HCL). Where the provider pool serves, validate needs no
 * init (a reattached provider is not installed); elsewhere a folder never initialized gets `init -backend=false`.
 */
export function validateEach(stackDirs: readonly string[], env: NodeJS.ProcessEnv): Promise<string[]> {
  return Promise.all(
    stackDirs.map(async (dir) => {
      if (!providersFor(dir, env) && !existsSync(join(dir, ".terraform"))) await terraform(["init", "-input=false", "-backend=false"], { cwd: dir, env });
      return terraform(["validate"], { cwd: dir, env }, runWithProviders);
    }),
  );
}

/**
 * Plans several synthesized stack folders in one Terraform run, each as a module of a scratch root in
 * `rootDir`: one Terraform process and one provider schema instead of one per stack, which makes it the
 * cheap way to check many stacks offline (the tests do). The stacks' backends are ignored (Terraform warns),
 * so this is for checking, never for a stack's real state. Addresses and outputs come back per stack, as
 * planStack gives them.
 */
export async function planTogether(stacks: Readonly<Record<string, string>>, rootDir: string, env: NodeJS.ProcessEnv): Promise<Record<string, StagePlan>> {
  writeModuleRoot(stacks, rootDir);
  const together = await planStack(rootDir, env);
  return Object.fromEntries(
    Object.keys(stacks).map((name) => {
      const prefix = `module.${name}.`;
      const changes = Object.entries(together.actions)
        .filter(([addr]) => addr.startsWith(prefix))
        .map(([addr, action]) => ({ action, resource: { addr: addr.slice(prefix.length), resource_type: addr.slice(prefix.length).split(".")[0] } }));
      const outputs = together.outputs.filter((o) => o.startsWith(`${name}__`)).map((o) => o.slice(name.length + 2));
      return [name, stagePlan(changes, outputs, together.planFile)];
    }),
  );
}

/** Replaces a stack folder's backend with local state in the folder (a Terraform override file), for a plan that only checks. */
const LOCAL_STATE_OVERRIDE = { name: "workshop_override.tf.json", json: { terraform: { backend: { local: { path: "terraform.tfstate" } } } } };

/**
 * Plans several synthesized stack folders offline, each in a Terraform run of its own, and reads each plan
 * whole (`show -json`). Where the provider pool serves (offline, with the mirror), every run borrows a provider
 * that sends only its folder's types of schema, and the folders are initialized through it: cheaper than
 * planTogether, whose root starts a provider per stack and reads the whole schema. Each folder's backend is
 * replaced by local state, as planTogether ignores it, so this is for checking, never for a stack's real state.
 */
export async function planEach(stacks: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv): Promise<Record<string, StagePlan & { shown: string }>> {
  const planned = await Promise.all(
    Object.entries(stacks).map(async ([name, dir]) => {
      writeFileSync(join(dir, LOCAL_STATE_OVERRIDE.name), JSON.stringify(LOCAL_STATE_OVERRIDE.json));
      const plan = await planStack(dir, env, { scratch: true });
      return [name, { ...plan, shown: await showPlan(plan.planFile, env) }] as const;
    }),
  );
  return Object.fromEntries(planned);
}

/**
 * `terraform show -json` of a plan file, as text: the full plan, values included (one more provider start, or
 * offline a provider lent from the pool).
 */
export function showPlan(planFile: string, env: NodeJS.ProcessEnv): Promise<string> {
  return terraform(["show", "-json", planFile], { cwd: dirname(planFile), env }, runWithProviders);
}
