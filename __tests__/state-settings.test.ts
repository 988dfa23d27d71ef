/** The backend settings: locking, encryption, lifecycle, bucket names and endpoints, and the combinations refused. */
import { parseSettings, type SettingsInput } from "../src/settings/index";
import { bucketNameProblem } from "../src/settings/facts/s3";
import { stateLocking } from "../src/settings/backend";

const s3 = (extra: Record<string, unknown> = {}): SettingsInput => ({ backend: { type: "s3", bucket: "team-state", ...extra } } as SettingsInput);
const backendOf = (extra: Record<string, unknown> = {}) => {
  const backend = parseSettings(s3(extra)).backend;
  if (backend.type !== "s3") throw new Error("expected an S3 backend");
  return backend;
};

describe("locking", () => {
  test("an S3 backend locks with S3 lock files by default", () => {
    // GIVEN an S3 backend without locking settings / THEN lock files
    expect(stateLocking(backendOf())).toBe("lockfile");
  });

  test("a lock table named without locking keeps DynamoDB locking, what lockTable meant before the locking setting", () => {
    expect(stateLocking(backendOf({ lockTable: "team-locks" }))).toBe("dynamodb");
  });

  test.each(["dynamodb", "both"])("locking %s with a lock table is accepted", (locking) => {
    expect(stateLocking(backendOf({ locking, lockTable: "team-locks" }))).toBe(locking);
  });

  test.each(["dynamodb", "both"])("locking %s without a lock table is refused", (locking) => {
    expect(() => parseSettings(s3({ locking }))).toThrow(
      new RegExp(`backend\\.lockTable: missing; needed by backend\\.locking "${locking}"`),
    );
  });

  test("locking lockfile with a lock table is refused: the table would never be used", () => {
    expect(() => parseSettings(s3({ locking: "lockfile", lockTable: "team-locks" }))).toThrow(
      /backend\.lockTable: "team-locks" is set but backend\.locking is "lockfile".*set backend\.locking to "dynamodb" or "both"/,
    );
  });

  test("an unknown locking mode is refused with the modes allowed", () => {
    expect(() => parseSettings(s3({ locking: "s3" }))).toThrow(/backend\.locking: "s3" must be one of "lockfile", "dynamodb", "both"/);
  });

  test("a lock table name DynamoDB would refuse is refused", () => {
    expect(() => parseSettings(s3({ locking: "dynamodb", lockTable: "my locks" }))).toThrow(
      /backend\.lockTable: "my locks" must be a DynamoDB table name: 3 to 255 letters/,
    );
  });
});

describe("bucket encryption and lifecycle", () => {
  const key = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  test("SSE-S3 and 90 days of noncurrent versions are the defaults", () => {
    expect(backendOf()).toEqual(expect.objectContaining({ encryption: "SSE-S3", noncurrentVersionExpiryDays: 90 }));
  });

  test("SSE-KMS with a key ARN is accepted", () => {
    expect(backendOf({ encryption: "SSE-KMS", kmsKeyArn: key })).toEqual(expect.objectContaining({ encryption: "SSE-KMS", kmsKeyArn: key }));
  });

  test("a KMS key without SSE-KMS is refused", () => {
    expect(() => parseSettings(s3({ kmsKeyArn: key }))).toThrow(
      /backend\.kmsKeyArn: "arn:aws:kms:[^"]+" needs backend\.encryption "SSE-KMS" \(it is "SSE-S3"\)/,
    );
  });

  test("SSE-KMS without a key is refused", () => {
    expect(() => parseSettings(s3({ encryption: "SSE-KMS" }))).toThrow(/backend\.kmsKeyArn: missing; needed by backend\.encryption "SSE-KMS"/);
  });

  test("a KMS key that is not a key or alias ARN is refused", () => {
    expect(() => parseSettings(s3({ encryption: "SSE-KMS", kmsKeyArn: "1234abcd" }))).toThrow(
      /backend\.kmsKeyArn: "1234abcd" must be the ARN of a KMS key or alias/,
    );
  });

  test.each([0, -1, 1.5])("a noncurrent-version lifecycle of %p days is refused", (days) => {
    expect(() => parseSettings(s3({ noncurrentVersionExpiryDays: days }))).toThrow(
      new RegExp(`backend\\.noncurrentVersionExpiryDays: ${days} must be a whole number from 1 to 36500`),
    );
  });
});

describe("bucket names follow every S3 naming rule", () => {
  test.each([
    ["ab", /has 2 characters/],
    ["a".repeat(64), /has 64 characters/],
    ["Team-State", /holds "T", "S"/],
    ["team_state", /holds "_"/],
    ["-team-state", /start and end with a letter or digit/],
    ["team-state.", /start and end with a letter or digit/],
    ["team..state", /two periods in a row/],
    ["192.168.5.4", /formatted as an IP address/],
    ["xn--team-state", /starts with "xn--"/],
    ["sthree-team", /starts with "sthree-"/],
    ["amzn-s3-demo-team", /starts with "amzn-s3-demo-"/],
    ["team-s3alias", /ends with "-s3alias"/],
    ["team--ol-s3", /ends with "--ol-s3"/],
    ["team.mrap", /ends with ".mrap"/],
    ["team--x-s3", /ends with "--x-s3"/],
    ["team--table-s3", /ends with "--table-s3"/],
  ])("%s is refused, naming the setting, the value, the rule and what is allowed", (bucket, rule) => {
    // WHEN / THEN the message names backend.bucket and the value, the broken rule, and the rules
    let message = "";
    try {
      parseSettings(s3({ bucket }));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`backend.bucket: ${JSON.stringify(bucket)} must be an S3 bucket name`);
    expect(message).toMatch(rule);
    expect(message).toMatch(/allowed: 3 to 63 lowercase letters, digits, periods or hyphens/);
  });

  test.each(["abc", "a".repeat(63), "team.state-2026", "my-xn--bucket", "s3alias-team", "10.0.0.256x"])("%s is a valid bucket name", (bucket) => {
    expect(bucketNameProblem(bucket)).toBeUndefined();
    expect(backendOf({ bucket }).bucket).toBe(bucket);
  });
});

describe("endpoints", () => {
  test.each(["s3Endpoint", "dynamodbEndpoint"])("%s accepts http and https URLs", (setting) => {
    expect(backendOf({ [setting]: "http://127.0.0.1:4566" })).toEqual(expect.objectContaining({ [setting]: "http://127.0.0.1:4566" }));
    expect(backendOf({ [setting]: "https://s3.example.test" })).toEqual(expect.objectContaining({ [setting]: "https://s3.example.test" }));
  });

  test.each([
    ["s3Endpoint", "ftp://127.0.0.1:21"],
    ["dynamodbEndpoint", "file:///tmp/dynamo"],
    ["s3Endpoint", "127.0.0.1:4566"],
  ])("%s %s is refused: only http and https", (setting, value) => {
    expect(() => parseSettings(s3({ [setting]: value }))).toThrow(
      new RegExp(`backend\\.${setting}: "${value.replace(/[./]/g, "\\$&")}" must be an http or https URL`),
    );
  });
});
