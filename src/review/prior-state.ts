/**
 * A prior state without AWS: the state a stage would have after applying the base's plan. Its planned values
 * are known; every value known only after apply is filled in by its type (from the provider schema):
 * a direct reference takes the referenced resource's filled value (lists of references too), a computed
 * nested object gets one element, anything else a stable placeholder named after the resource. Values that
 * Terraform computes from several references (jsonencode(...), "${arn}:*") are then taken from a plan of the
 * base against that state, until the base plans no changes: that fixed point is the prior state.
 */
import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { terraform } from "../terraform/terraform";
import { managedChanges, valueAt, type AttributePath, type PlanJson, type ResourceChange, type Values } from "./plan";

// ---------------------------------------------------------------------------------------------
// Provider schemas, as `terraform providers schema -json` prints them.

/** A cty type in JSON: "string", "number", "bool", "dynamic", ["list", T], ["object", {..}], ["tuple", [..]] ... */
export type CtyType = string | [string, unknown];

interface SchemaAttribute {
  readonly type?: CtyType;
  readonly nested_type?: { attributes: Record<string, SchemaAttribute>; nesting_mode: string };
  readonly computed?: boolean;
}

export interface SchemaBlock {
  readonly attributes?: Record<string, SchemaAttribute>;
  readonly block_types?: Record<string, { nesting_mode: string; block: SchemaBlock }>;
}

export interface ResourceSchema {
  readonly version: number;
  readonly block: SchemaBlock;
}

/** The resource schemas of one provider, by resource type. */
export interface ProviderSchema {
  readonly provider: string;
  readonly version: string;
  readonly resources: Record<string, ResourceSchema>;
}

const AWS = "registry.terraform.io/hashicorp/aws";
const loaded = new Map<string, Promise<ProviderSchema>>();

/** The provider version an initialized stack folder selected, from its lock file. */
export function lockedVersion(stackDir: string, provider = AWS): string {
  const lock = readFileSync(join(stackDir, ".terraform.lock.hcl"), "utf8");
  const block = lock.slice(lock.indexOf(`provider "${provider}"`));
  const version = /version\s*=\s*"([^"]+)"/.exec(block)?.[1];
  if (!version) throw new Error(`${stackDir}/.terraform.lock.hcl selects no version of ${provider}`);
  return version;
}

/**
 * The AWS provider's resource schemas for an initialized stack folder. `terraform providers schema -json`
 * runs once per provider version; its resource schemas are kept in `cacheDir` (under .workshop/).
 */
export function providerSchema(stackDir: string, env: NodeJS.ProcessEnv, cacheDir: string): Promise<ProviderSchema> {
  const version = lockedVersion(stackDir);
  const file = join(cacheDir, `aws-${version}.json`);
  // Concurrent reviews in one process share one computation.
  const known = loaded.get(file) ?? readOrComputeSchema(file, version, stackDir, env, cacheDir);
  loaded.set(file, known);
  known.catch(() => loaded.delete(file));
  return known;
}

async function readOrComputeSchema(file: string, version: string, stackDir: string, env: NodeJS.ProcessEnv, cacheDir: string): Promise<ProviderSchema> {
  let schema: ProviderSchema;
  if (existsSync(file)) {
    schema = JSON.parse(readFileSync(file, "utf8")) as ProviderSchema;
  } else {
    const all = JSON.parse(await terraform(["providers", "schema", "-json"], { cwd: stackDir, env })) as {
      provider_schemas: Record<string, { resource_schemas: Record<string, ResourceSchema> }>;
    };
    schema = { provider: AWS, version, resources: all.provider_schemas[AWS].resource_schemas };
    mkdirSync(cacheDir, { recursive: true });
    // Written whole, then renamed, so concurrent runs never read half a file.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(schema));
    renameSync(partial, file);
  }
  return schema;
}

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

const ID_PREFIXES: Record<string, string> = {
  aws_vpc: "vpc",
  aws_subnet: "subnet",
  aws_security_group: "sg",
  aws_default_security_group: "sg",
  aws_internet_gateway: "igw",
  aws_route_table: "rtb",
  aws_nat_gateway: "nat",
  aws_eip: "eipalloc",
  aws_route_table_association: "rtbassoc",
  aws_vpc_security_group_ingress_rule: "sgr",
  aws_vpc_security_group_egress_rule: "sgr",
  aws_launch_template: "lt",
  aws_instance: "i",
  aws_vpc_endpoint: "vpce",
};

const ARN_SERVICES: Array<[RegExp, string]> = [
  [/^aws_(db|rds)_/, "rds"],
  [/^aws_ecs_/, "ecs"],
  [/^aws_ecr_/, "ecr"],
  [/^aws_(lb|alb)/, "elasticloadbalancing"],
  [/^aws_iam_/, "iam"],
  [/^aws_cloudwatch_log/, "logs"],
  [/^aws_appautoscaling_/, "application-autoscaling"],
  [/^aws_secretsmanager_/, "secretsmanager"],
];

/**
 * Values AWS gives attributes the configuration leaves open, where the provider compares them with what it
 * would set (a placeholder there plans a replacement).
 * source: AWS provider 5.100.0 documentation of each attribute's default, read 2026-11-22
 */
const AWS_DEFAULTS: Readonly<Record<string, unknown>> = {
  "aws_lb_target_group.protocol_version": "HTTP1",
  "aws_lb_target_group.ip_address_type": "ipv4",
  "aws_lb_target_group.load_balancing_algorithm_type": "round_robin",
  "aws_lb_target_group.load_balancing_anomaly_mitigation": "off",
  "aws_lb_target_group.load_balancing_cross_zone_enabled": "use_load_balancer_configuration",
};

/** A stable, plausible value for a string known only after apply. */
function placeholderString(resourceType: string, address: string, attribute: string, region: string): string {
  const known = AWS_DEFAULTS[`${resourceType}.${attribute}`];
  if (typeof known === "string") return known;
  const hash = createHash("sha256").update(`${address}#${attribute}`).digest("hex").slice(0, 17);
  const name = address.split(".")[1] ?? address;
  if (attribute === "arn" || attribute.endsWith("_arn")) {
    const service = ARN_SERVICES.find(([re]) => re.test(resourceType))?.[1] ?? resourceType.replace(/^aws_/, "").split("_")[0];
    return `arn:aws:${service}:${region}:123456789012:${name.toLowerCase()}/${hash}`;
  }
  if (attribute === "id" || attribute.endsWith("_id")) return `${ID_PREFIXES[resourceType] ?? resourceType.replace(/^aws_/, "")}-${hash}`;
  return `${attribute}-${hash}`;
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
      provider: `provider["${change.provider_name ?? AWS}"]`,
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
