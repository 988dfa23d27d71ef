// CIDR arithmetic behind the subnet checks (IPv4: parsing, containment and overlap) and the rules that admit ranges
// (IPv4 and IPv6 compared as ranges: normal form, host bits, the whole internet however it is written).
import { contains, isWorld, normaliseRange, overlaps, parseCidr, parseRange, rangeContains, rangesOverlap, readRange, type Cidr, type IpRange } from "../src/common/cidr";

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

/** Parses a range the test knows to be valid. */
function range(text: string): IpRange {
  const parsed = parseRange(text);
  if (!parsed) throw new Error(`test setup: ${text} should parse`);
  return parsed;
}

describe("ranges of either family", () => {
  test.each([
    ["0:0:0:0:0:0:0:0/0", "::/0"],
    ["::0/0", "::/0"],
    ["0000:0000:0000:0000:0000:0000:0000:0000/0", "::/0"],
    ["2001:DB8::/32", "2001:db8::/32"],
    ["2001:0db8:0000:0000:0000:0000:0000:0000/32", "2001:db8::/32"],
    ["2001:db8:0:0:1:0:0:0/80", "2001:db8:0:0:1::/80"],
    ["2001:db8:0:0:1:0:0:1/128", "2001:db8::1:0:0:1/128"],
    ["2001:db8::1/128", "2001:db8::1/128"],
    ["fe80:0:0:0:0:0:0:0/10", "fe80::/10"],
    ["1:2:3:4:5:6:7:8/128", "1:2:3:4:5:6:7:8/128"],
    ["203.0.113.7/32", "203.0.113.7/32"],
    ["0.0.0.0/0", "0.0.0.0/0"],
  ])("%s is the range %s", (text, canonical) => {
    expect(normaliseRange(text)).toBe(canonical);
  });

  test.each([
    ["2001:db8::1/64", "2001:db8::/64"],
    ["::1/0", "::/0"],
    ["2001:db8:0:0:0:0:0:1/127", "2001:db8::/127"],
    ["10.0.0.1/16", "10.0.0.0/16"],
    ["10.1.0.0/8", "10.0.0.0/8"],
  ])("%s has host bits set; its network is %s", (text, network) => {
    expect(readRange(text)).toEqual({ kind: "host-bits", network });
    expect(parseRange(text)).toBeUndefined();
  });

  test.each(["2001:db8::/129", "2001:db8:::/64", "2001:db8::1::/64", "1:2:3:4:5:6:7:8:9/128", "1:2:3:4:5:6:7/112", "12345::/16", "::ffff:10.0.0.0/120",
    "g::/16", "2001:db8::", "::/", "::/01", "fe80::1%eth0/64", "10.0.0.0/33", "010.0.0.0/8", "10.0.0/8", "", "/0"])(
    "%s is not a range", (text) => {
      expect(readRange(text)).toEqual({ kind: "invalid" });
      expect(normaliseRange(text)).toBeUndefined();
    },
  );

  test.each(["0.0.0.0/0", "::/0", "0:0:0:0:0:0:0:0/0", "::0/0", "0::0/0", "0000::/0", "::1/0", "1.2.3.4/0"])("%s admits every address", (text) => {
    expect(isWorld(text)).toBe(true);
  });

  test.each(["0.0.0.0/1", "::/1", "203.0.113.7/32", "2001:db8::/32", "::/128", "anywhere", undefined, 0])("%s does not admit every address", (text) => {
    expect(isWorld(text)).toBe(false);
  });

  test("an IPv6 range holds its sub-ranges, written any way, and meets only the ranges it shares addresses with", () => {
    expect(rangeContains(range("2001:db8::/32"), range("2001:DB8:0:1::/64"))).toBe(true);
    expect(rangeContains(range("2001:db8::/64"), range("2001:db8::/32"))).toBe(false);
    expect(rangesOverlap(range("2001:db8::/64"), range("2001:db8:0:1::/64"))).toBe(false);
    expect(rangesOverlap(range("2001:db8::/32"), range("2001:db8:ffff::/48"))).toBe(true);
  });

  test("ranges of different families never contain or overlap each other, not even the two whole internets", () => {
    expect(rangeContains(range("::/0"), range("10.0.0.0/8"))).toBe(false);
    expect(rangesOverlap(range("0.0.0.0/0"), range("::/0"))).toBe(false);
  });

  test("an IPv4 range larger than the VPC overlaps it but is not inside it", () => {
    expect(rangesOverlap(range("10.0.0.0/8"), range("10.0.0.0/16"))).toBe(true);
    expect(rangeContains(range("10.0.0.0/16"), range("10.0.0.0/8"))).toBe(false);
    expect(rangeContains(range("10.0.0.0/16"), range("10.0.128.0/17"))).toBe(true);
  });
});
