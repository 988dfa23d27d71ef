/**
 * S3 general purpose bucket naming rules, as data: a name that breaks one is refused before anything is
 * synthesized, with the rule it breaks.
 */
// source: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html, read 2026-11-22

/** What a valid name looks like, for error messages. */
export const BUCKET_NAME_RULES =
  "3 to 63 lowercase letters, digits, periods or hyphens, starting and ending with a letter or digit";

/** Prefixes AWS reserves for its own bucket names. */
export const RESERVED_BUCKET_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"] as const;

/** Suffixes AWS reserves (access point aliases, Multi-Region Access Points, directory and table buckets). */
export const RESERVED_BUCKET_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] as const;

/** The first naming rule `name` breaks, in words, or undefined when it is a valid bucket name. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `it has ${name.length} characters`;
  const bad = [...new Set(name.replace(/[a-z0-9.-]/g, ""))];
  if (bad.length > 0) return `it holds ${bad.map((c) => JSON.stringify(c)).join(", ")}`;
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return "it must start and end with a letter or digit";
  if (name.includes("..")) return "it holds two periods in a row";
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return "it is formatted as an IP address";
  const prefix = RESERVED_BUCKET_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `it starts with "${prefix}", which AWS reserves`;
  const suffix = RESERVED_BUCKET_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) return `it ends with "${suffix}", which AWS reserves`;
  return undefined;
}

/** Bytes of an object key. */
// source: Amazon S3 User Guide, "Naming Amazon S3 objects" (a key is at most 1,024 bytes of UTF-8), read 2026-12-06
export const MAX_OBJECT_KEY_LENGTH = 1024;
