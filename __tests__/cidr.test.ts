// IPv4 CIDR arithmetic behind the subnet checks: parsing, containment and overlap.
import { contains, overlaps, parseCidr, type Cidr } from "../src/common/cidr";

/** Parses a block the test knows to be valid. */
function block(text: string): Cidr {
  const cidr = parseCidr(text);
  if (!cidr) throw new Error(`test setup: ${text} should parse`);
  return cidr;
}

describe("parseCidr", () => {
  test("parses a /16 into its first and last address", () => {
    // WHEN
    const cidr = parseCidr("10.0.0.0/16");
    // THEN 10.0.0.0 = 10 * 2^24, and a /16 holds 2^16 addresses
    expect(cidr).toEqual({ text: "10.0.0.0/16", first: 10 * 2 ** 24, last: 10 * 2 ** 24 + 2 ** 16 - 1, prefixLength: 16 });
  });

  test("parses the whole address space, 0.0.0.0/0", () => {
    expect(parseCidr("0.0.0.0/0")).toEqual({ text: "0.0.0.0/0", first: 0, last: 2 ** 32 - 1, prefixLength: 0 });
  });

  test("parses a single address, /32, at the top of the space", () => {
    expect(parseCidr("255.255.255.255/32")).toEqual({ text: "255.255.255.255/32", first: 2 ** 32 - 1, last: 2 ** 32 - 1, prefixLength: 32 });
  });

  test("rejects a block with host bits set", () => {
    expect(parseCidr("10.0.0.1/16")).toBeUndefined();
  });

  test("rejects a block whose host bits are set only in the third octet", () => {
    expect(parseCidr("10.0.1.0/16")).toBeUndefined();
  });

  test("rejects an octet above 255", () => {
    expect(parseCidr("256.0.0.0/8")).toBeUndefined();
  });

  test("rejects a prefix length above 32", () => {
    expect(parseCidr("10.0.0.0/33")).toBeUndefined();
  });

  test("rejects an address without a prefix length", () => {
    expect(parseCidr("10.0.0.0")).toBeUndefined();
  });

  test("rejects an address with three octets", () => {
    expect(parseCidr("10.0.0/16")).toBeUndefined();
  });

  test("rejects an address with five octets", () => {
    expect(parseCidr("10.0.0.0.0/16")).toBeUndefined();
  });

  test("rejects surrounding whitespace", () => {
    expect(parseCidr(" 10.0.0.0/16")).toBeUndefined();
  });

  test("rejects the empty string", () => {
    expect(parseCidr("")).toBeUndefined();
  });

  test("rejects an IPv6 block", () => {
    expect(parseCidr("2001:db8::/32")).toBeUndefined();
  });

  test("rejects an octet with a leading zero", () => {
    expect(parseCidr("010.0.0.0/16")).toBeUndefined();
  });
});

describe("contains", () => {
  test("a VPC contains its first subnet", () => {
    expect(contains(block("10.0.0.0/16"), block("10.0.0.0/24"))).toBe(true);
  });

  test("a VPC contains its last subnet", () => {
    expect(contains(block("10.0.0.0/16"), block("10.0.255.0/24"))).toBe(true);
  });

  test("a block contains itself", () => {
    expect(contains(block("10.0.0.0/16"), block("10.0.0.0/16"))).toBe(true);
  });

  test("a VPC does not contain a subnet just past its end", () => {
    expect(contains(block("10.0.0.0/16"), block("10.1.0.0/24"))).toBe(false);
  });

  test("a smaller block does not contain the larger one around it", () => {
    expect(contains(block("10.0.0.0/24"), block("10.0.0.0/16"))).toBe(false);
  });
});

describe("overlaps", () => {
  test("adjacent blocks do not overlap", () => {
    expect(overlaps(block("10.0.0.0/24"), block("10.0.1.0/24"))).toBe(false);
  });

  test("adjacent blocks do not overlap in either order", () => {
    expect(overlaps(block("10.0.1.0/24"), block("10.0.0.0/24"))).toBe(false);
  });

  test("a block overlaps itself", () => {
    expect(overlaps(block("10.0.0.0/24"), block("10.0.0.0/24"))).toBe(true);
  });

  test("a nested block overlaps the block around it, in either order", () => {
    expect(overlaps(block("10.0.0.0/16"), block("10.0.3.0/24"))).toBe(true);
    expect(overlaps(block("10.0.3.0/24"), block("10.0.0.0/16"))).toBe(true);
  });

  test("a single address on the last address of a block overlaps it", () => {
    expect(overlaps(block("10.0.0.0/24"), block("10.0.0.255/32"))).toBe(true);
  });

  test("a single address just past a block does not overlap it", () => {
    expect(overlaps(block("10.0.0.0/24"), block("10.0.1.0/32"))).toBe(false);
  });
});
