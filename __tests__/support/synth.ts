/**
 * Helpers shared by the construct and stage tests: synthesize a stage or a stack, and read its Terraform JSON.
 * Resources are found by type and by the values the lesson gives them, and followed through the references
 * between them, never by construct ids.
 */
import { Testing, type TerraformStack } from "cdktf";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { parseSettings, type SettingsInput } from "../../src/settings/index";
import { WorkshopStage, type StageName } from "../../src/stages";
import { sharedText } from "./run-cache";

// ---------------------------------------------------------------------------------------------
// The lesson network: three zones, and the public and private subnet ranges in zone order.

export const ZONES = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
export const PUBLIC_CIDRS = ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"];
export const PRIVATE_CIDRS = ["10.0.3.0/24", "10.0.4.0/24", "10.0.5.0/24"];

// ---------------------------------------------------------------------------------------------
// The shape of the synthesized JSON.

/** The attributes of one resource, as synthesized (snake_case keys). */
export type Attributes = Record<string, unknown>;

/** The synthesized JSON of any stack; a bare stack may have no resources and no outputs. */
export interface Synthesized {
  readonly resource?: Record<string, Record<string, Attributes> | undefined>;
  readonly output?: Record<string, { readonly value: unknown } | undefined>;
}

/** The synthesized JSON of a whole stage, which always has resources, a provider and a terraform block. */
export interface TerraformJson extends Synthesized {
  provider: { aws: Array<Record<string, unknown>> };
  resource: Record<string, Record<string, Attributes>>;
  output?: Record<string, { value: unknown }>;
  terraform: { backend?: Record<string, Record<string, unknown>> };
}

/** A provider class such as `Subnet`: what the tests need of it is its Terraform type. */
export interface ResourceType {
  readonly tfResourceType: string;
}

/** A synthesized stack: the text the Testing matchers read, and the same JSON parsed. */
export interface SynthesizedStack {
  readonly text: string;
  readonly json: Synthesized;
}

/** The base of a test's view of one synthesized stack, to which the test adds finders of its own. */
export class SynthesizedView implements SynthesizedStack {
  readonly text: string;
  readonly json: Synthesized;

  constructor({ text, json }: SynthesizedStack) {
    this.text = text;
    this.json = json;
  }
}

// ---------------------------------------------------------------------------------------------
// Synthesizing.

/**
 * Synthesized stages by stage, settings and switch: a synth is deterministic, so each runs once per jest run,
 * shared by its test files through the run's temporary folder (run-cache.ts) and kept in memory within a file.
 */
const synthesizedStages = new Map<string, string>();

export function synthStage(stage: StageName, input: SettingsInput = {}, offline = false): string {
  const key = JSON.stringify([stage, input, offline]);
  let text = synthesizedStages.get(key);
  if (text === undefined) {
    text = sharedText(`synth ${key}`, () => Testing.synth(new WorkshopStage(Testing.app(), stage, { settings: parseSettings(input), offline })));
    synthesizedStages.set(key, text);
  }
  return text;
}

export function stageJson(stage: StageName, input: SettingsInput = {}, offline = false): TerraformJson {
  return JSON.parse(synthStage(stage, input, offline)) as TerraformJson;
}

/** Synthesized text, with its JSON parsed. */
export function synthesized(text: string): SynthesizedStack {
  return { text, json: JSON.parse(text) as Synthesized };
}

/** One stage of the lesson, with optional setting overrides, as text and JSON. */
export function synthesizedStage(stage: StageName, input: SettingsInput = {}, offline = false): SynthesizedStack {
  return synthesized(synthStage(stage, input, offline));
}

/** A stack the test built itself, as text and JSON. */
export function synthesizedStack(stack: TerraformStack): SynthesizedStack {
  return synthesized(Testing.synth(stack));
}

// ---------------------------------------------------------------------------------------------
// Reading resources, references and outputs.

/** Every resource address ("type.name") in the stack. */
export function addresses(json: Synthesized): string[] {
  return Object.entries(json.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName ?? {}).map((name) => `${type}.${name}`));
}

/** The resources of one Terraform type ("aws_subnet"), by logical name. */
export function resources(json: Synthesized, type: string): Record<string, Attributes> {
  return json.resource?.[type] ?? {};
}

/** Every resource of one type, as [logical id, attributes]. */
export function resourcesOf(json: Synthesized, type: ResourceType): Array<[string, Attributes]> {
  return Object.entries(resources(json, type.tfResourceType));
}

/** The one resource of `type` that satisfies `predicate`; fails the test on none or several. */
export function theOne(
  json: Synthesized,
  type: ResourceType,
  predicate: (attributes: Attributes, logicalId: string) => boolean = () => true,
): [string, Attributes] {
  const found = resourcesOf(json, type).filter(([id, attributes]) => predicate(attributes, id));
  if (found.length !== 1) throw new Error(`expected exactly one ${type.tfResourceType}, found ${found.length}`);
  return found[0];
}

/** The Terraform expression other resources use to point at a resource attribute. */
export function ref(type: ResourceType, logicalId: string, attribute = "id"): string {
  return `\${${type.tfResourceType}.${logicalId}.${attribute}}`;
}

/** "${aws_x.name.attr}" -> "aws_x.name" */
export function referencedAddress(expression: unknown): string | undefined {
  const match = typeof expression === "string" ? /^\$\{([a-z0-9_]+\.[^.}]+)\.[a-z_]+\}$/.exec(expression) : null;
  return match?.[1];
}

/** The reference to the one subnet with the given CIDR block. */
export function subnetRef(json: Synthesized, cidr: string): string {
  return ref(Subnet, theOne(json, Subnet, (subnet) => subnet.cidr_block === cidr)[0]);
}

/** The standalone rules of `type` (ingress or egress) on the security group `groupRef` points at. */
export function rulesOn(json: Synthesized, type: ResourceType, groupRef: string): Attributes[] {
  return resourcesOf(json, type)
    .map(([, rule]) => rule)
    .filter((rule) => rule.security_group_id === groupRef);
}

/** The value of an output; fails the test, listing the outputs there are, when it is missing. */
export function outputValue(json: Synthesized, name: string): unknown {
  const output = json.output?.[name];
  if (!output) throw new Error(`no output "${name}"; outputs: ${Object.keys(json.output ?? {}).join(", ")}`);
  return output.value;
}
