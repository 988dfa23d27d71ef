/**
 * CIDR arithmetic: IPv4 blocks for the subnets (fit in the VPC, no overlap), and address ranges of either family
 * as ranges, not strings, for the rules that admit them: "0:0:0:0:0:0:0:0/0" is "::/0", the whole internet.
 */

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

/** Parses "a.b.c.d/n" in canonical form (no leading zeros); returns undefined for anything else, including host bits set ("10.0.0.1/16"). */
export function parseCidr(text: string): Cidr | undefined {
  const range = parseRange(text);
  if (range?.family !== 4) return undefined;
  return { text, first: Number(range.first), last: Number(range.last), prefixLength: range.prefixLength };
}

/** An IPv4 block as a range of either family, to compare with the range functions below. */
function asRange(cidr: Cidr): IpRange {
  return { family: 4, first: BigInt(cidr.first), last: BigInt(cidr.last), prefixLength: cidr.prefixLength };
}

export function contains(outer: Cidr, inner: Cidr): boolean {
  return rangeContains(asRange(outer), asRange(inner));
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return rangesOverlap(asRange(a), asRange(b));
}

/** The first `count` blocks of `prefixLength` inside `outer`, or undefined when they do not fit. */
export function carve(outer: Cidr, prefixLength: number, count: number): string[] | undefined {
  const size = 2 ** (32 - prefixLength);
  if (prefixLength < outer.prefixLength || outer.first + size * count - 1 > outer.last) return undefined;
  return Array.from({ length: count }, (_, i) => {
    const first = outer.first + i * size;
    return `${ipv4Text(BigInt(first))}/${prefixLength}`;
  });
}

// ---------------------------------------------------------------------------------------------
// Ranges of either family, compared as ranges.

/** An IPv4 or IPv6 range, its addresses as numbers, so that two spellings of one range compare equal. */
export interface IpRange {
  readonly family: 4 | 6;
  /** First and last address of the range. */
  readonly first: bigint;
  readonly last: bigint;
  readonly prefixLength: number;
}

/** What `readRange` makes of a text: a range, a range written with host bits set, or nothing it can read. */
export type RangeReading =
  | { readonly kind: "range"; readonly range: IpRange; readonly canonical: string }
  | { readonly kind: "host-bits"; readonly network: string }
  | { readonly kind: "invalid" };

/** Dotted IPv4 as Terraform and AWS read it: four decimal octets without leading zeros. */
function ipv4Address(text: string): bigint | undefined {
  const octets = text.split(".");
  if (octets.length !== 4 || !octets.every((o) => /^(0|[1-9]\d{0,2})$/.test(o) && Number(o) <= 255)) return undefined;
  return octets.reduce((acc, o) => acc * 256n + BigInt(o), 0n);
}

/** IPv6 in any RFC 4291 text form of hex groups ("2001:db8::", "0:0:0:0:0:0:0:0"); not the dotted-quad tail Terraform refuses. */
function ipv6Address(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(text) || text.includes(":::")) return undefined;
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (half: string) => (half === "" ? [] : half.split(":"));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return all.reduce((acc, g) => acc * 65536n + BigInt(parseInt(g, 16)), 0n);
}

/** The RFC 5952 text of an IPv6 address: lowercase, no leading zeros, the longest run of zero groups as "::". */
function ipv6Text(address: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((address >> BigInt(16 * (7 - i))) & 0xffffn));
  let best = { at: -1, length: 1 };
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { at: i, length: j - i };
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(":");
  return `${hex.slice(0, best.at).join(":")}::${hex.slice(best.at + best.length).join(":")}`;
}

const ipv4Text = (address: bigint) => [24n, 16n, 8n, 0n].map((shift) => String((address >> shift) & 255n)).join(".");

/** Reads "address/prefix" of either family; says when host bits are set, and what the range's network is then. */
export function readRange(text: string): RangeReading {
  const slash = text.lastIndexOf("/");
  const prefix = text.slice(slash + 1);
  if (slash < 0 || !/^(0|[1-9]\d{0,2})$/.test(prefix)) return { kind: "invalid" };
  const address = text.slice(0, slash);
  const family = address.includes(":") ? 6 : 4;
  const value = family === 4 ? ipv4Address(address) : ipv6Address(address);
  const bits = family === 4 ? 32 : 128;
  const prefixLength = Number(prefix);
  if (value === undefined || prefixLength > bits) return { kind: "invalid" };
  const size = 1n << BigInt(bits - prefixLength);
  const first = value - (value % size);
  const canonical = `${family === 4 ? ipv4Text(first) : ipv6Text(first)}/${prefixLength}`;
  if (first !== value) return { kind: "host-bits", network: canonical };
  return { kind: "range", range: { family, first, last: first + size - 1n, prefixLength }, canonical };
}

/** The range a text names, or undefined when it is not one (host bits set included). */
export function parseRange(text: string): IpRange | undefined {
  const reading = readRange(text);
  return reading.kind === "range" ? reading.range : undefined;
}

/** The range in the form AWS returns it ("::/0" for "0:0:0:0:0:0:0:0/0"), or undefined when it is not a range. */
export function normaliseRange(text: string): string | undefined {
  const reading = readRange(text);
  return reading.kind === "range" ? reading.canonical : undefined;
}

/**
 * True when a range admits every address of its family: 0.0.0.0/0, ::/0 and every other spelling of them
 * ("0:0:0:0:0:0:0:0/0", "::0/0"), host bits or not (a rule is judged by what it would admit).
 */
export function isWorld(text: unknown): boolean {
  if (typeof text !== "string") return false;
  const reading = readRange(text);
  return (reading.kind === "range" && reading.range.prefixLength === 0) || (reading.kind === "host-bits" && reading.network.endsWith("/0"));
}

export function rangeContains(outer: IpRange, inner: IpRange): boolean {
  return outer.family === inner.family && inner.first >= outer.first && inner.last <= outer.last;
}

export function rangesOverlap(a: IpRange, b: IpRange): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}
