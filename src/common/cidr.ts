/** IPv4 CIDR arithmetic, just enough to check that subnets fit their VPC and do not overlap. */

/** Every address: the ranges that mean "the whole internet" in a rule. */
export const WORLD_IPV4 = "0.0.0.0/0";
export const WORLD_IPV6 = "::/0";

export interface Cidr {
  /** The block as written, e.g. "10.0.1.0/24". */
  readonly text: string;
  /** First address of the block, as an unsigned 32-bit number. */
  readonly first: number;
  /** Last address of the block. */
  readonly last: number;
  readonly prefixLength: number;
}

/** Canonical form only: no leading zeros, as AWS and Terraform write CIDR blocks. */
const OCTET = "(0|[1-9]\\d{0,2})";
const CIDR_PATTERN = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}\\/(0|[1-9]\\d?)$`);

/** Parses "a.b.c.d/n"; returns undefined for anything else, including host bits set ("10.0.0.1/16"). */
export function parseCidr(text: string): Cidr | undefined {
  const match = CIDR_PATTERN.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if (octets.some((o) => o > 255) || prefixLength > 32) return undefined;
  const first = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefixLength);
  if (first % size !== 0) return undefined;
  return { text, first, last: first + size - 1, prefixLength };
}

export function contains(outer: Cidr, inner: Cidr): boolean {
  return inner.first >= outer.first && inner.last <= outer.last;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/** The first `count` blocks of `prefixLength` inside `outer`, or undefined when they do not fit. */
export function carve(outer: Cidr, prefixLength: number, count: number): string[] | undefined {
  const size = 2 ** (32 - prefixLength);
  if (prefixLength < outer.prefixLength || outer.first + size * count - 1 > outer.last) return undefined;
  return Array.from({ length: count }, (_, i) => {
    const first = outer.first + i * size;
    return `${[24, 16, 8, 0].map((shift) => Math.floor(first / 2 ** shift) % 256).join(".")}/${prefixLength}`;
  });
}
