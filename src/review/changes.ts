/**
 * What a plan does to each resource: the counts (a replacement is one replacement, never also an addition
 * and a destruction), the attributes that change (sensitive values masked), why a resource is replaced
 * (the plan's replace_paths and action_reason), and which changes follow from a replacement.
 */
import {
  changeKind,
  managedChanges,
  replaceOrder,
  unknownAt,
  valueAt,
  type Action,
  type AttributePath,
  type ChangeKind,
  type PlanJson,
  type ResourceChange,
} from "./plan";
import { jsonKeyChanges, type KeyChange } from "./json-attributes";

export const MASKED = "(sensitive)";
export const KNOWN_AFTER_APPLY = "(known after apply)";

export interface AttributeChange {
  /** Dotted path: "instance_class", "network_configuration.0.subnets". */
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
  /** For a JSON document held in a string (container_definitions, a policy): the keys inside it that changed. */
  readonly keys?: KeyChange[];
}

export interface ChangeEntry {
  readonly address: string;
  readonly type: string;
  readonly actions: Action[];
  readonly kind: ChangeKind;
  /** For a replacement: the attributes that force it, as paths. */
  readonly replacePaths?: string[];
  /** For a replacement: whether the old one goes first. */
  readonly order?: "destroy-before-create" | "create-before-destroy";
  /** Terraform's action_reason, when it gives one (e.g. "replace_because_cannot_update"). */
  readonly reason?: string;
  /** Changed attributes, before -> after (updates and replacements). */
  readonly attributes?: AttributeChange[];
  /** Addresses of replaced resources this change follows from (it referred to their old id or ARN). */
  readonly causedBy?: string[];
}

export interface Summary {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  readonly replace: number;
}

export function pathText(path: AttributePath): string {
  return path.map(String).join(".");
}

function isSensitive(marks: unknown, path: AttributePath): boolean {
  return unknownAt(marks, path);
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return value !== null && typeof value === "object";
}

/** Leaf paths where `before` and `after` differ; tags_all repeats tags and the provider's default tags, so it is left out. */
function differences(before: unknown, after: unknown, unknown: unknown, path: AttributePath = []): AttributePath[] {
  if (unknownAt(unknown, path) && path.length > 0) return [path];
  // A block or list that appears or goes is compared with an empty one, so each of its values shows.
  if (isContainer(after) && (before === null || before === undefined)) before = Array.isArray(after) ? [] : {};
  if (isContainer(before) && (after === null || after === undefined) && !unknownAt(unknown, path)) after = Array.isArray(before) ? [] : {};
  if (isContainer(before) && isContainer(after) && Array.isArray(before) === Array.isArray(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    const unknownHere = valueAt(unknown, path);
    if (isContainer(unknownHere)) for (const k of Object.keys(unknownHere)) keys.add(k);
    return [...keys].flatMap((k) => {
      const key = Array.isArray(before) ? Number(k) : k;
      return differences((before as Record<string, unknown>)[k], (after as Record<string, unknown>)[k], unknown, [...path, key]);
    });
  }
  return JSON.stringify(before ?? null) === JSON.stringify(after ?? null) ? [] : [path];
}

/** The changed attributes of an update or replacement, sensitive values masked. */
export function attributeChanges(change: ResourceChange): AttributeChange[] {
  const { before, after, after_unknown: unknown, before_sensitive, after_sensitive } = change.change;
  if (!before || !after) return [];
  return differences(before, after, unknown)
    .filter((path) => path[0] !== "tags_all")
    .map((path) => {
      const change = {
        path: pathText(path),
        before: isSensitive(before_sensitive, path) ? MASKED : valueAt(before, path) ?? null,
        after: unknownAt(unknown, path) ? KNOWN_AFTER_APPLY : isSensitive(after_sensitive, path) ? MASKED : valueAt(after, path) ?? null,
      };
      const keys = jsonKeyChanges(change.before, change.after);
      return keys ? { ...change, keys } : change;
    });
}

/** Strings that identify a resource to others: its id and ARN. */
export function identities(values: Record<string, unknown> | null): string[] {
  return ["id", "arn"].map((k) => values?.[k]).filter((v): v is string => typeof v === "string" && v.length > 0);
}

/** True when `value` holds one of `ids`, or an ARN under one of them. */
export function mentions(value: unknown, ids: Set<string>): boolean {
  if (typeof value === "string") return ids.has(value) || [...ids].some((id) => id.startsWith("arn:") && value.startsWith(`${id}:`));
  if (isContainer(value)) return Object.values(value).some((v) => mentions(v, ids));
  return false;
}

/** One entry per managed resource that changes, in plan order. */
export function resourceChanges(plan: PlanJson): ChangeEntry[] {
  const changing = managedChanges(plan).filter((c) => !["no-op", "read"].includes(changeKind(c.change.actions)));
  const replaced = changing.filter((c) => changeKind(c.change.actions) === "replace");
  return changing.map((c) => {
    const kind = changeKind(c.change.actions);
    const attributes = kind === "update" || kind === "replace" ? attributeChanges(c) : undefined;
    // A change follows from a replacement when an attribute it changes held the replaced resource's id or ARN.
    const changedPaths = (attributes ?? []).map((a) => a.path);
    const causedBy = replaced
      .filter((r) => r.address !== c.address)
      .filter((r) => {
        const ids = new Set(identities(r.change.before));
        return changedPaths.some((p) => mentions(valueAt(c.change.before, p.split(".").map((k) => (/^\d+$/.test(k) ? Number(k) : k))), ids));
      })
      .map((r) => r.address);
    return {
      address: c.address,
      type: c.type,
      actions: c.change.actions,
      kind,
      ...(kind === "replace" && {
        replacePaths: (c.change.replace_paths ?? []).map(pathText),
        order: replaceOrder(c.change.actions),
      }),
      ...(c.action_reason && { reason: c.action_reason }),
      ...(attributes && { attributes }),
      ...(causedBy.length > 0 && { causedBy }),
    };
  });
}

export function summarize(changes: readonly ChangeEntry[]): Summary {
  const count = (kind: ChangeKind) => changes.filter((c) => c.kind === kind).length;
  return { add: count("create"), change: count("update"), destroy: count("delete"), replace: count("replace") };
}
