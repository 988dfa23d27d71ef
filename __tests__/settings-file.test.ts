/**
 * The settings file as users write it: encodings editors and shells produce, JSON that JSON.parse would
 * accept while losing something, values that must not be printed back, and AWS facts the loader now knows
 * (Regions, their zones, tag rules).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CONFIG_ENV, ConfigError, loadSettings, parseSettings, type Settings } from "../src/settings/index";
import { MAX_SETTINGS_DEPTH, decodeSettingsFile, parseStrictJson } from "../src/settings/file";

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "workshop-settings-"))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `bytes` to a settings file and loads it as WORKSHOP_CONFIG would. */
function load(bytes: Buffer | string): Settings {
  const file = join(dir, "workshop.json");
  writeFileSync(file, bytes);
  return loadSettings({ [CONFIG_ENV]: file });
}

/** The message a load fails with. */
function failure(bytes: Buffer | string): string {
  try {
    load(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("the settings were accepted");
}

const NAT = '{ "network": { "nat": "single" } }';
const utf16be = (text: string) => Buffer.from(text, "utf16le").swap16();

describe("encodings", () => {
  test("UTF-8 with a byte-order mark is accepted", () => {
    expect(load(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(NAT)])).network.nat).toBe("single");
  });

  test("UTF-16 little-endian with a byte-order mark (Windows PowerShell 5.1's echo > file) is decoded", () => {
    expect(load(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(NAT, "utf16le")])).network.nat).toBe("single");
  });

  test("UTF-16 big-endian, and UTF-16 without a byte-order mark, are decoded", () => {
    expect(load(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(NAT)])).network.nat).toBe("single");
    expect(load(Buffer.from(NAT, "utf16le")).network.nat).toBe("single");
    expect(load(utf16be(NAT)).network.nat).toBe("single");
  });

  test("UTF-32 is refused by name", () => {
    expect(failure(Buffer.from([0xff, 0xfe, 0, 0, 0x7b, 0, 0, 0, 0x7d, 0, 0, 0]))).toMatch(/WORKSHOP_CONFIG: ".*workshop\.json" is UTF-32; save it as UTF-8/);
  });

  test("a Latin-1 file is refused as neither UTF-8 nor UTF-16", () => {
    expect(failure(Buffer.from('{ "namePrefix": "caf\xe9" }', "latin1"))).toMatch(/is not valid UTF-8: it is neither UTF-8 nor UTF-16/);
  });

  test("decoding does not touch plain UTF-8 with non-ASCII text", () => {
    expect(decodeSettingsFile(Buffer.from('{"extraTags":{"owner":"Zoë"}}'))).toBe('{"extraTags":{"owner":"Zoë"}}');
  });
});

describe("JSON that would lose something", () => {
  test("a key given twice is refused with its path, at top level and in a section", () => {
    expect(failure('{ "network": { "nat": "single" }, "network": { "cidr": "10.1.0.0/16" } }')).toMatch(
      /the key "network" is given twice; JSON keeps only the last one/,
    );
    expect(failure('{ "database": { "port": 5433, "port": 5434 } }')).toMatch(/line 1, column \d+: the key "database\.port" is given twice/);
  });

  test.each(["__proto__", "constructor", "prototype"])("the key %s is refused anywhere in the file", (key) => {
    expect(failure(`{ "network": { "${key}": { "nat": "perAz" } } }`)).toMatch(new RegExp(`the key "network\\.${key}" is not allowed`));
    expect(failure(`{ "${key}": {} }`)).toMatch(new RegExp(`the key "${key}" is not allowed`));
  });

  test("deep nesting is refused with a message, not a stack overflow", () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    expect(failure(`{ "network": ${deep} }`)).toMatch(new RegExp(`nests deeper than ${MAX_SETTINGS_DEPTH} levels`));
  });

  test("a number too large for a number is named as such, not shown as null", () => {
    const message = failure('{ "service": { "cpu": 1e999 } }');
    expect(message).toMatch(/service\.cpu: 1e999 is too large to be a number/);
    expect(message).not.toMatch(/null/);
  });

  test("malformed JSON gives the line and column", () => {
    expect(failure('{\n  "namePrefix": "team-a",\n  "region" "eu-west-1"\n}')).toMatch(/is not valid JSON at line 3, column 12: expected ":" after the key "region"/);
  });

  test("the strict reader returns what JSON.parse returns for valid JSON", () => {
    const text = '{"a":[1,-2.5e3,true,false,null,"x\\u00e9\\n"],"b":{"c":{}},"d":[]}';
    expect(parseStrictJson(text)).toEqual(JSON.parse(text));
  });

  test("a top-level value that is not an object is refused by kind", () => {
    expect(failure('["network"]')).toMatch(/must hold a JSON object of settings, not a list/);
  });
});

describe("what an error may print", () => {
  test("the value of an unknown key is never printed", () => {
    const message = failure('{ "database": { "password": "hunter2-very-secret" } }');
    expect(message).toMatch(/database\.password: unknown setting; allowed here: engineVersion/);
    expect(message).not.toMatch(/hunter2/);
  });

  test("a Terraform state file named by mistake is recognised and not echoed", () => {
    const state = JSON.stringify({ version: 4, terraform_version: "1.11.4", serial: 3, lineage: "abc", outputs: {}, resources: [] });
    expect(failure(state)).toMatch(/is a Terraform state file, not a settings file/);
  });

  test("a file far larger than settings is refused before it is parsed", () => {
    const big = JSON.stringify({ resources: "x".repeat(600 * 1024) });
    const message = failure(big);
    expect(message).toMatch(/is \d+ KiB; a settings file is a small JSON object/);
    expect(message.length).toBeLessThan(300);
  });

  test("a long value is shortened in the message", () => {
    const message = failure(JSON.stringify({ namePrefix: `Team-${"a".repeat(5000)}` }));
    expect(message).toMatch(/namePrefix: "Team-a+"\.\.\. \(5005 characters\) must be lowercase/);
    expect(message.length).toBeLessThan(400);
  });

  test("many problems are capped with a count of the rest", () => {
    const input = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`unknown${i}`, i]));
    let message = "";
    try {
      parseSettings(input);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split("\n").filter((line) => line.startsWith("  - "))).toHaveLength(10);
    expect(message).toMatch(/\.\.\. and 20 more; fix these first/);
  });
});

describe("Regions and their zones", () => {
  test.each([
    ["eu-west-9", /region: "eu-west-9" is not an AWS Region the AWS provider knows; allowed: eu-central-1, .*eu-west-1, eu-west-2, eu-west-3/],
    ["cn-north-1", /region: "cn-north-1" is not an AWS Region .*\(China, GovCloud and isolated partitions are not supported\)/],
    ["us-gov-west-1", /region: "us-gov-west-1" is not an AWS Region .*not supported\).*us-east-1/],
  ])("region %s is refused", (region, message) => {
    expect(() => parseSettings({ region })).toThrow(message);
  });

  test("ca-central-1's default zones are a, b and d, the zones it has", () => {
    expect(parseSettings({ region: "ca-central-1" }).availabilityZones).toEqual(["ca-central-1a", "ca-central-1b", "ca-central-1d"]);
    expect(() => parseSettings({ region: "ca-central-1", availabilityZones: ["ca-central-1a", "ca-central-1c"] })).toThrow(
      /availabilityZones\[1\]: "ca-central-1c" does not exist in ca-central-1; its zones are ca-central-1a, ca-central-1b, ca-central-1d/,
    );
  });

  test("ap-northeast-1's default zones skip the b its new accounts lack", () => {
    expect(parseSettings({ region: "ap-northeast-1" }).availabilityZones).toEqual(["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"]);
  });

  test("a Region whose zone names differ between accounts needs availabilityZones", () => {
    expect(() => parseSettings({ region: "us-west-1" })).toThrow(/availabilityZones: missing, and needed for region "us-west-1", whose zone names differ/);
    const settings = parseSettings({ region: "us-west-1", availabilityZones: ["us-west-1b", "us-west-1c"] });
    expect(settings.network.publicSubnetCidrs).toEqual(["10.0.0.0/24", "10.0.1.0/24"]);
  });
});

describe("tags AWS would refuse", () => {
  test.each([
    [{ "aws:owner": "me" }, /extraTags: the key "aws:owner" is refused: a tag key must not start with "aws:", which AWS reserves/],
    [{ "AWS:Owner": "me" }, /the key "AWS:Owner" is refused: a tag key must not start with "aws:"/],
    [{ ["k".repeat(129)]: "v" }, /is refused: a tag key has at most 128 characters/],
    [{ team: "v".repeat(257) }, /extraTags\.team: "v+"\.\.\. \(257 characters\) a tag value has at most 256 characters/],
    [{ "team#1": "a" }, /the key "team#1" is refused: a tag key may hold only letters, digits, spaces and _ \. : \/ = \+ - @/],
    [{ team: "a;b" }, /extraTags\.team: "a;b" a tag value may hold only letters/],
  ])("%j is refused", (extraTags, message) => {
    expect(() => parseSettings({ extraTags })).toThrow(message);
  });

  test("more tags than a resource can carry are refused, 46 are accepted", () => {
    const tags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`tag${i}`, "x"]));
    expect(() => parseSettings({ extraTags: tags(47) })).toThrow(/extraTags: 47 tags; AWS allows 50 on a resource .* so at most 46/);
    expect(Object.keys(parseSettings({ extraTags: tags(46) }).extraTags)).toHaveLength(46);
  });

  test("tag keys and values with spaces, accents and AWS's punctuation are accepted", () => {
    expect(parseSettings({ extraTags: { "Cost Centre": "Zoë's team: a/b=c+d@e".replace("'", "") } }).extraTags).toEqual({
      "Cost Centre": "Zoës team: a/b=c+d@e",
    });
  });
});

describe("mistakes people make in JSON", () => {
  test.each([
    ['{ "namePrefix": "a", }', /line 1, column 22: a comma before "}": JSON allows no trailing comma/],
    ['{ "availabilityZones": ["eu-west-1a",] }', /a comma before "\]": JSON allows no trailing comma/],
    ['{\n  // the lesson\n  "namePrefix": "a"\n}', /line 2, column 3: expected a key in double quotes \(JSON has no comments\)/],
    ["{ 'namePrefix': 'a' }", /expected a key in double quotes \(JSON strings and keys use double quotes\)/],
    ["", /the file ends before the JSON value is complete/],
  ])("%j", (text, message) => {
    expect(failure(text)).toMatch(message);
  });

  test("a key with terminal codes or of great length is shown escaped and short", () => {
    const message = failure(JSON.stringify({ network: { [`\u001b[31m${"x".repeat(500)}`]: 1 } }));
    expect(message).not.toContain("\u001b");
    expect(message).toMatch(/network\["\\u001b\[31mx+"\.\.\. \(505 characters\)\]: unknown setting/);
    expect(message.length).toBeLessThan(400);
  });
});

test("null for a setting says to leave the key out for the default", () => {
  expect(() => parseSettings({ service: { appName: null } })).toThrow(/service\.appName: null is not a value here \(leave the key out for the default\); must be 2 to 32/);
});
