/**
 * One synthesized stack's Terraform JSON, read the way the rules need it: resources by type, references
 * followed to the resource they name, and jsonencode documents decoded back into objects.
 */
import { decodeJsonencode } from "./jsonencode";

export type Attributes = Record<string, unknown>;

/** The parts of a stack's Terraform JSON the checks read; anything else is ignored. */
export interface StackJson {
  readonly resource?: Record<string, Record<string, Attributes> | undefined>;
  readonly terraform?: { readonly backend?: Record<string, Attributes | undefined> };
}

export interface Resource {
  readonly type: string;
  readonly name: string;
  /** "type.name" */
  readonly address: string;
  readonly attributes: Attributes;
}

const REFERENCE = /^\$\{([a-z0-9_]+)\.([^.}\s]+)\.[^}]+\}$/;

export class StackView {
  constructor(readonly json: StackJson) {}

  /** Every resource of the given types, in the order of the JSON. */
  all(...types: string[]): Resource[] {
    return types.flatMap((type) =>
      Object.entries(this.json.resource?.[type] ?? {}).map(([name, attributes]) => ({ type, name, address: `${type}.${name}`, attributes })),
    );
  }

  /** The resource a whole-value reference such as "${aws_vpc.main.id}" points at. */
  target(expression: unknown): Resource | undefined {
    const match = typeof expression === "string" ? REFERENCE.exec(expression) : null;
    if (!match) return undefined;
    const attributes = this.json.resource?.[match[1]]?.[match[2]];
    return attributes && { type: match[1], name: match[2], address: `${match[1]}.${match[2]}`, attributes };
  }

  /** True when `value` mentions `resource` anywhere (an attribute reference, or inside a document or list). */
  mentions(value: unknown, resource: Resource): boolean {
    return JSON.stringify(value ?? null).includes(`\${${resource.address}.`);
  }

  /** Resources of the given types whose configuration mentions `resource`. */
  referrers(resource: Resource, ...types: string[]): Resource[] {
    return this.all(...types).filter((other) => other.address !== resource.address && this.mentions(other.attributes, resource));
  }

  /** A JSON document attribute as an object: jsonencode(...) expressions and plain JSON strings alike. */
  document(value: unknown): unknown {
    if (typeof value !== "string") return value;
    if (value.startsWith("${jsonencode(")) return decodeJsonencode(value);
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return undefined;
    }
  }

  /** The backend block: { s3: {...} }, { local: {...} } or undefined (cdktf's default local state). */
  get backend(): Record<string, Attributes | undefined> | undefined {
    return this.json.terraform?.backend;
  }
}

/** A value as a list: Terraform accepts a single value where a list is allowed (IAM Action, Resource). */
export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** The first element of a nested block, which cdktf writes either as an object or a one-element list. */
export function block(value: unknown): Attributes | undefined {
  const first = Array.isArray(value) ? (value[0] as unknown) : value;
  return first !== null && typeof first === "object" ? (first as Attributes) : undefined;
}

/** Every element of a nested block that may repeat (rules, interfaces, actions), whether written as a list or one object. */
export function blocks(value: unknown): Attributes[] {
  return asList(value).map(block).filter((b): b is Attributes => b !== undefined);
}

/**
 * Terraform takes booleans of nested blocks as true or "true"; cdktf even types some of them as strings
 * (a launch template's associate_public_ip_address and encrypted), so the synthesized JSON holds "true".
 */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}
