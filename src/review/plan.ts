/**
 * The plan JSON of `terraform show -json <plan>` (format 1.x), typed as far as the review reads it, and the
 * facts every part of the review shares: which resources a plan creates, changes, destroys or replaces.
 */
import { readFileSync } from "node:fs";
import { UserError } from "../common/errors";

/** Attribute values of one resource, as Terraform's JSON shows them (snake_case). */
export type Values = Record<string, unknown>;

export type Action = "no-op" | "create" | "read" | "update" | "delete";

/** A path into a resource's attributes: names and list indexes. */
export type AttributePath = Array<string | number>;

export interface ResourceChange {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly provider_name?: string;
  readonly action_reason?: string;
  readonly change: {
    readonly actions: Action[];
    readonly before: Values | null;
    readonly after: Values | null;
    /** true where a value is known only after apply; nested like the value. */
    readonly after_unknown?: unknown;
    readonly before_sensitive?: unknown;
    readonly after_sensitive?: unknown;
    readonly replace_paths?: AttributePath[];
  };
}

export interface PlannedOutput {
  readonly sensitive: boolean;
  readonly type?: unknown;
  readonly value?: unknown;
}

export interface OutputChange {
  readonly actions: Action[];
  readonly before?: unknown;
  readonly after?: unknown;
  readonly after_unknown?: unknown;
}

export interface StateModule {
  readonly resources?: Array<{ address: string; mode: string; type: string; name: string; values: Values }>;
  readonly child_modules?: StateModule[];
}

export interface PlanJson {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly planned_values?: { outputs?: Record<string, PlannedOutput>; root_module?: StateModule };
  readonly resource_changes?: ResourceChange[];
  /** What a refresh found changed outside Terraform; a resource it found gone has after null. */
  readonly resource_drift?: ResourceChange[];
  readonly output_changes?: Record<string, OutputChange>;
  readonly prior_state?: { values?: { outputs?: Record<string, PlannedOutput>; root_module?: StateModule } };
  readonly configuration?: {
    readonly provider_config?: Record<string, { name?: string; expressions?: Record<string, { constant_value?: unknown }> }>;
    readonly root_module?: ConfigModule;
  };
}

/** The review's own name for what happens to a resource. */
export type ChangeKind = "create" | "update" | "delete" | "replace" | "no-op" | "read";

/** What happens to a resource: a replace is one change, never also a create and a delete. */
export function changeKind(actions: readonly Action[]): ChangeKind {
  if (actions.includes("create") && actions.includes("delete")) return "replace";
  if (actions.includes("create")) return "create";
  if (actions.includes("delete")) return "delete";
  if (actions.includes("update")) return "update";
  if (actions.includes("read")) return "read";
  return "no-op";
}

/** A resource that stays: updated in place or unchanged (neither destroyed nor replaced). */
export const isKept = (c: ResourceChange) => ["update", "no-op"].includes(changeKind(c.change.actions));

/** destroy-before-create for ["delete","create"], create-before-destroy for ["create","delete"]. */
export function replaceOrder(actions: readonly Action[]): "destroy-before-create" | "create-before-destroy" | undefined {
  if (changeKind(actions) !== "replace") return undefined;
  return actions[0] === "delete" ? "destroy-before-create" : "create-before-destroy";
}

/** Managed resources only: data sources are read, never changed. */
export function managedChanges(plan: PlanJson): ResourceChange[] {
  return (plan.resource_changes ?? []).filter((c) => c.mode === "managed");
}

/** The region the plan's AWS provider is configured for, when it is a constant. */
export function planRegion(plan: PlanJson): string | undefined {
  const aws = Object.values(plan.configuration?.provider_config ?? {}).find((p) => p.name === "aws");
  const region = aws?.expressions?.region?.constant_value;
  return typeof region === "string" ? region : undefined;
}

/** Reads a `terraform show -json` plan; a file that is not one is an error the user can fix. */
export function readPlanFile(path: string): PlanJson {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UserError(`--plan: "${path}" cannot be read (${(e as NodeJS.ErrnoException).code}); give the output of terraform show -json <planfile>`);
  }
  return parsePlanJson(text, `--plan: "${path}"`);
}

/** Parses plan JSON text; `what` names its source in errors. */
export function parsePlanJson(text: string, what: string): PlanJson {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${what} is not JSON (${(e as Error).message}); give the output of terraform show -json <planfile>`);
  }
  const plan = json as Partial<PlanJson> | null;
  if (!plan || typeof plan !== "object" || typeof plan.format_version !== "string" || !/^1\./.test(plan.format_version)) {
    throw new UserError(`${what} is not a Terraform plan in JSON (no format_version 1.x); give the output of terraform show -json <planfile>`);
  }
  return plan as PlanJson;
}

/** The value at `path` inside `value`, or undefined. */
export function valueAt(value: unknown, path: Readonly<AttributePath>): unknown {
  return path.reduce<unknown>((v, key) => (v !== null && typeof v === "object" ? (v as Record<string | number, unknown>)[key] : undefined), value);
}

/** True when the plan's unknown-marker says the value at `path` is known only after apply. */
export function unknownAt(afterUnknown: unknown, path: AttributePath): boolean {
  let v: unknown = afterUnknown;
  for (const key of path) {
    if (v === true) return true;
    if (v === null || typeof v !== "object") return false;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v === true;
}

/**
 * The resources an attribute's configuration refers to ("aws_security_group.db"), for values known only
 * after apply. `path` walks nested blocks: ["network_configuration", 0, "security_groups"].
 */
/** A module's configuration: its resources' expressions, and the modules it calls. */
export interface ConfigModule {
  readonly resources?: Array<{ address: string; expressions?: Record<string, unknown> }>;
  readonly module_calls?: Record<string, { module?: ConfigModule }>;
}

export function configReferences(plan: PlanJson, address: string, path: AttributePath): string[] {
  // "module.a.module.b.aws_x.name" is "aws_x.name" in module b's configuration, whose references are relative too.
  const calls = address.match(/^(module\.[^.]+\.)*/)?.[0] ?? "";
  const module = [...calls.matchAll(/module\.([^.]+)\./g)].reduce<ConfigModule | undefined>(
    (m, [, name]) => m?.module_calls?.[name]?.module,
    plan.configuration?.root_module,
  );
  const resource = module?.resources?.find((r) => r.address === address.slice(calls.length));
  const expression = valueAt(resource?.expressions, path) as { references?: string[] } | undefined;
  const references = expression?.references ?? [];
  // Terraform lists "aws_x.name.attr" and "aws_x.name"; keep the resource addresses, once each, in the resource's module.
  return [...new Set(references.map((r) => r.split(".").slice(0, 2).join(".")).filter((r) => /^[a-z0-9_]+\.[^.]+$/.test(r)))].map((r) => calls + r);
}

/** One resource as it stands before or after the plan. */
export interface ResourceState {
  readonly address: string;
  readonly type: string;
  readonly values: Values;
  /** after_unknown of the plan; nothing is unknown before. */
  readonly unknown: unknown;
}

export type Side = "before" | "after";

/** Every managed resource on one side of the plan: what exists before it, or what will exist after it. */
export function resourcesOn(plan: PlanJson, side: Side): ResourceState[] {
  return managedChanges(plan)
    .filter((c) => c.change[side] !== null)
    .map((c) => ({ address: c.address, type: c.type, values: c.change[side] as Values, unknown: side === "after" ? c.change.after_unknown : undefined }));
}
