/**
 * A prior state without AWS: the state a stage would have after applying the base's plan. Its planned values
 * are known; every value known only after apply is filled in by its type (from the provider schema):
 * a direct reference takes the referenced resource's filled value (lists of references too), a computed
 * nested object gets one element, anything else a stable placeholder named after the resource. Values that
 * Terraform computes from several references (jsonencode(...), "${arn}:*") are then taken from a plan of the
 * base against that state, until the base plans no changes: that fixed point is the prior state.
 */
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { placeholderString } from "./placeholders";
import { AWS_PROVIDER, type CtyType, type ProviderSchema, type SchemaAttribute, type SchemaBlock } from "./provider-schema";
import { managedChanges, valueAt, type AttributePath, type PlanJson, type ResourceChange, type Values } from "./plan";

// ---------------------------------------------------------------------------------------------
// The state file (format version 4).

export interface StateInstance {
  schema_version: number;
  attributes: Values;
  sensitive_attributes: unknown[];
  index_key?: string | number;
}

export interface StateResource {
  mode: "managed";
  type: string;
  name: string;
  each?: "list" | "map";
  provider: string;
  instances: StateInstance[];
}

export interface StateFile {
  version: 4;
  terraform_version: string;
  serial: number;
  lineage: string;
  outputs: Record<string, { value: unknown; type: unknown; sensitive: boolean }>;
  resources: StateResource[];
  check_results: null;
}

/** Synthesized Terraform JSON (cdk.tf.json): where the expressions behind unknown values are read. */
export interface StackConfig {
  readonly resource?: Record<string, Record<string, Values>>;
  readonly output?: Record<string, { value: unknown; sensitive?: boolean }>;
}

const REFERENCE = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)((?:\.[a-z0-9_]+|\[\d+\])+)\}$/;

/** "${aws_vpc.main.id}" -> { address: "aws_vpc.main", path: ["id"] }; anything else (a compound expression) -> undefined. */
export function directReference(expression: unknown): { address: string; path: Array<string | number> } | undefined {
  if (typeof expression !== "string") return undefined;
  const match = REFERENCE.exec(expression);
  if (!match) return undefined;
  const path = [...match[3].matchAll(/\.([a-z0-9_]+)|\[(\d+)\]/g)].map((m) => (m[1] !== undefined ? m[1] : Number(m[2])));
  return { address: `${match[1]}.${match[2]}`, path };
}

/** The cty type of a framework provider's nested attribute. */
function nestedType(attribute: SchemaAttribute): CtyType {
  if (attribute.type !== undefined) return attribute.type;
  const nested = attribute.nested_type;
  if (!nested) return "dynamic";
  const object: CtyType = ["object", Object.fromEntries(Object.entries(nested.attributes).map(([k, a]) => [k, nestedType(a)]))];
  return nested.nesting_mode === "single" ? object : [nested.nesting_mode, object];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The expression of element `i` of a list or block; a single block is synthesized as a bare object. */
function elementExpression(expression: unknown, i: number): unknown {
  if (Array.isArray(expression)) return expression[i];
  return i === 0 ? expression : undefined;
}

interface Filling {
  readonly address: string;
  readonly type: string;
  readonly region: string;
  /** The filled value of another resource's attribute, for a direct reference. */
  readonly resolve: (address: string, path: Array<string | number>) => unknown;
  /** Called for an unknown computed from an expression other than a direct reference: a plan must settle it. */
  readonly compound: () => void;
}

/** A value for an unknown of type `type`: a computed nested object gets one element. */
function placeholder(type: CtyType, attribute: string, f: Filling): unknown {
  if (type === "string") return placeholderString(f.type, f.address, attribute, f.region);
  if (type === "number") return 0;
  if (type === "bool") return false;
  if (!Array.isArray(type)) return null;
  const [kind, inner] = type;
  if (kind === "object") {
    return Object.fromEntries(Object.entries(inner as Record<string, CtyType>).map(([k, t]) => [k, placeholder(t, k, f)]));
  }
  if (kind === "tuple") return (inner as CtyType[]).map((t, i) => placeholder(t, `${attribute}${i}`, f));
  if ((kind === "list" || kind === "set") && Array.isArray(inner) && inner[0] === "object") return [placeholder(inner as CtyType, attribute, f)];
  if (kind === "map") return {};
  return [];
}

/** The value of a direct reference, or of a list of direct references; undefined for anything else. */
function resolveExpression(expression: unknown, f: Filling): unknown {
  if (Array.isArray(expression)) {
    const values = expression.map((e) => resolveExpression(e, f));
    return values.every((v) => v !== undefined) ? values : undefined;
  }
  const reference = directReference(expression);
  return reference ? f.resolve(reference.address, reference.path) : undefined;
}

function fillValue(type: CtyType, value: unknown, unknown: unknown, expression: unknown, attribute: string, f: Filling): unknown {
  if (unknown === true) {
    const resolved = resolveExpression(expression, f);
    if (resolved !== undefined) return resolved;
    if (JSON.stringify(expression ?? null).includes("${")) f.compound();
    return placeholder(type, attribute, f);
  }
  if (!Array.isArray(type) || value === null || value === undefined) return value ?? null;
  const [kind, inner] = type;
  if ((kind === "list" || kind === "set") && Array.isArray(value)) {
    return value.map((v, i) => fillValue(inner as CtyType, v, elementOf(unknown, i), elementExpression(expression, i), attribute, f));
  }
  if (kind === "tuple" && Array.isArray(value)) {
    return value.map((v, i) => fillValue((inner as CtyType[])[i], v, elementOf(unknown, i), elementExpression(expression, i), attribute, f));
  }
  if (kind === "map" && isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillValue(inner as CtyType, v, memberOf(unknown, k), memberOf(expression, k), k, f)]));
  }
  if (kind === "object" && isObject(value)) {
    return Object.fromEntries(
      Object.entries(inner as Record<string, CtyType>).map(([k, t]) => [k, fillValue(t, value[k], memberOf(unknown, k), memberOf(expression, k), k, f)]),
    );
  }
  return value;
}

function elementOf(value: unknown, i: number): unknown {
  return Array.isArray(value) ? value[i] : undefined;
}

function memberOf(value: unknown, key: string): unknown {
  return isObject(value) ? value[key] : undefined;
}

/** Every attribute and nested block of `block`, filled. */
function fillBlock(block: SchemaBlock, value: unknown, unknown: unknown, expression: unknown, f: Filling): Values {
  const result: Values = {};
  const values = isObject(value) ? value : {};
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    result[name] = fillValue(nestedType(attribute), values[name], memberOf(unknown, name), memberOf(expression, name), name, f);
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const v = values[name];
    const u = memberOf(unknown, name);
    const e = memberOf(expression, name);
    if (nested.nesting_mode === "single" || nested.nesting_mode === "group") {
      result[name] = isObject(v) ? fillBlock(nested.block, v, u, e, f) : null;
    } else if (nested.nesting_mode === "map") {
      result[name] = isObject(v) ? Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, fillBlock(nested.block, inner, memberOf(u, k), memberOf(e, k), f)])) : {};
    } else {
      result[name] = Array.isArray(v) ? v.map((inner, i) => fillBlock(nested.block, inner, elementOf(u, i), elementExpression(e, i), f)) : [];
    }
  }
  return result;
}

/** The type of an output value, for the state file. */
function typeOf(value: unknown): unknown {
  if (typeof value === "string") return "string";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "bool";
  if (Array.isArray(value)) return ["tuple", value.map(typeOf)];
  if (isObject(value)) return ["object", Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeOf(v)]))];
  return "dynamic";
}

export interface PriorStateInput {
  /** The base's plan, made against an empty state (every resource created). */
  readonly plan: PlanJson;
  /** The base's synthesized Terraform JSON, for the expressions behind unknown values. */
  readonly config: StackConfig;
  readonly schema: ProviderSchema;
  /** Region for placeholder ARNs. @default "eu-west-1" */
  readonly region?: string;
}

/** The state the base's plan would leave: planned values, unknowns filled, references resolved, outputs included. */
export function buildPriorState(input: PriorStateInput): StateFile & { settled: boolean } {
  const { plan, config, schema } = input;
  let settled = true;
  const compound = () => {
    settled = false;
  };
  const region = input.region ?? "eu-west-1";
  const changes = new Map(managedChanges(plan).filter((c) => c.change.after !== null).map((c) => [c.address, c]));
  const filled = new Map<string, Values>();
  const filling = new Set<string>();

  // A reference's value: the referenced resource's filled values at the path.
  const resolveFilled = (target: string, path: AttributePath): unknown => valueAt(fill(target), path);
  const fill = (address: string): Values | undefined => {
    const done = filled.get(address);
    if (done) return done;
    const change = changes.get(address);
    if (!change || filling.has(address)) return undefined;
    const resourceSchema = schema.resources[change.type];
    if (!resourceSchema) throw new Error(`the provider schema has no resource type ${change.type} (${address})`);
    filling.add(address);
    const expression = config.resource?.[change.type]?.[change.name];
    const values = fillBlock(resourceSchema.block, change.change.after, change.change.after_unknown, expression, {
      address,
      type: change.type,
      region,
      compound,
      resolve: resolveFilled,
    });
    filling.delete(address);
    filled.set(address, values);
    return values;
  };

  const resources = [...changes.values()].map((change): StateResource => {
    const instance: StateInstance = {
      schema_version: schema.resources[change.type]?.version ?? 0,
      attributes: fill(change.address) as Values,
      sensitive_attributes: sensitivePaths(change.change.after_sensitive),
      ...(change.index !== undefined && { index_key: change.index }),
    };
    return {
      mode: "managed",
      type: change.type,
      name: change.name,
      ...(change.index !== undefined && { each: typeof change.index === "number" ? ("list" as const) : ("map" as const) }),
      provider: `provider["${change.provider_name ?? AWS_PROVIDER}"]`,
      instances: [instance],
    };
  });
  const merged = mergeInstances(resources);

  const outputs: StateFile["outputs"] = {};
  for (const [name, output] of Object.entries(plan.planned_values?.outputs ?? {})) {
    const expression = config.output?.[name]?.value;
    const value =
      output.value !== undefined
        ? output.value
        : resolveExpression(expression, {
            address: `output.${name}`,
            type: "output",
            region,
            compound,
            resolve: resolveFilled,
          });
    if (value === undefined) compound();
    outputs[name] = { value: value ?? `${name}-placeholder`, type: output.type ?? typeOf(value ?? ""), sensitive: output.sensitive };
  }
  return {
    version: 4,
    terraform_version: plan.terraform_version ?? "1.11.0",
    serial: 1,
    lineage: randomUUID(),
    outputs,
    resources: merged,
    check_results: null,
    settled,
  };
}

type PathStep = { type: "get_attr"; value: string } | { type: "index"; value: { value: number; type: "number" } };

/**
 * The paths the plan marks sensitive, in the state's form. Terraform plans an update when the state's marks
 * differ from the plan's, even when every value is equal.
 */
export function sensitivePaths(marks: unknown, path: PathStep[] = []): PathStep[][] {
  if (marks === true) return [path];
  if (Array.isArray(marks)) return marks.flatMap((m, i) => sensitivePaths(m, [...path, { type: "index", value: { value: i, type: "number" } }]));
  if (isObject(marks)) return Object.entries(marks).flatMap(([k, m]) => sensitivePaths(m, [...path, { type: "get_attr", value: k }]));
  return [];
}

/** Instances of one counted resource share one state resource. */
function mergeInstances(resources: StateResource[]): StateResource[] {
  const byKey = new Map<string, StateResource>();
  for (const r of resources) {
    const key = `${r.type}.${r.name}`;
    const known = byKey.get(key);
    if (known) known.instances.push(...r.instances);
    else byKey.set(key, r);
  }
  return [...byKey.values()];
}

/** `after`'s known values over `state`'s: what a value known only after apply keeps from the state. */
function mergeKnown(state: unknown, after: unknown, unknown: unknown): unknown {
  if (unknown === true) return state;
  if (Array.isArray(after)) return after.map((v, i) => mergeKnown(elementOf(state, i), v, elementOf(unknown, i)));
  if (isObject(after)) {
    const keys = new Set([...Object.keys(after), ...(isObject(unknown) ? Object.keys(unknown) : [])]);
    return Object.fromEntries([...keys].map((k) => [k, mergeKnown(memberOf(state, k), after[k], memberOf(unknown, k))]));
  }
  return after;
}

/** True when a plan changes no resource and no output. */
export function plansNoChanges(plan: PlanJson): boolean {
  const resources = managedChanges(plan).every((c) => c.change.actions.every((a) => a === "no-op" || a === "read"));
  const outputs = Object.values(plan.output_changes ?? {}).every((o) => o.actions.every((a) => a === "no-op"));
  return resources && outputs;
}

/**
 * The state with what a plan of the base against it computed: values Terraform derives from several
 * references (policy documents, container definitions, commands in outputs) become known.
 */
export function settle(state: StateFile, plan: PlanJson): StateFile {
  const changes = new Map<string, ResourceChange>(managedChanges(plan).map((c) => [`${c.type}.${c.name}#${c.index ?? ""}`, c]));
  const resources = state.resources.map((resource) => ({
    ...resource,
    instances: resource.instances.map((instance) => {
      const change = changes.get(`${resource.type}.${resource.name}#${instance.index_key ?? ""}`);
      if (!change || change.change.after === null || change.change.actions.every((a) => a === "no-op")) return instance;
      return { ...instance, attributes: mergeKnown(instance.attributes, change.change.after, change.change.after_unknown) as Values };
    }),
  }));
  const outputs = { ...state.outputs };
  for (const [name, change] of Object.entries(plan.output_changes ?? {})) {
    if (change.after_unknown === true || change.after === undefined || !outputs[name]) continue;
    const planned = plan.planned_values?.outputs?.[name];
    outputs[name] = { ...outputs[name], value: change.after, type: planned?.type ?? typeOf(change.after) };
  }
  return { ...state, serial: state.serial + 1, outputs, resources };
}

/** Writes a state file where a local backend reads it. */
export function writeState(path: string, state: StateFile): void {
  writeFileSync(path, `${JSON.stringify(state, null, 2)}\n`);
}
