/**
 * A provider binary's whole GetSchema answer, kept so that only the first provider of a binary is asked for it.
 * Building the answer (some 1,500 types) costs the AWS provider about 0.7 CPU-s, every process anew, and a test
 * run starts dozens. The answer is a function of the binary alone, so it is kept in this process and in the
 * project's ignored folder (.workshop/cache/get-schema), under the binary's path, size and modification time:
 * another build of the provider is another file. A provider that is never asked is fine: the AWS provider
 * declares its schema optional (server capability get_provider_schema_optional), as Terraform's own schema
 * cache relies on.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import type { IncomingHttpHeaders } from "node:http2";
import { writeWhole } from "../common/files";

/** One GetSchema answer as the provider gave it: its headers, the message, and its trailers. */
export interface SchemaAnswer {
  readonly headers: IncomingHttpHeaders;
  readonly message: Buffer;
  readonly trailers: IncomingHttpHeaders;
}

/** Where the answers of one provider binary are kept. */
export interface SchemaCache {
  load(): SchemaAnswer | undefined;
  save(answer: SchemaAnswer): void;
}

/** The project's folder for kept answers (beside the transpiled sources, .workshop/cache/ts). */
export const GET_SCHEMA_CACHE_DIR = join(__dirname, "..", "..", ".workshop", "cache", "get-schema");

/** Bump when the file layout below changes. */
const FORMAT = "2";
const kept = new Map<string, SchemaAnswer>();

/** The cache of `binary`'s answer in `dir`; none for a binary it cannot see. A file it cannot read or write is a miss. */
export function schemaCache(binary: string, dir = GET_SCHEMA_CACHE_DIR): SchemaCache | undefined {
  let identity: string;
  try {
    const path = realpathSync(binary);
    const { size, mtimeMs } = statSync(path);
    identity = `${FORMAT}\0${path}\0${size}\0${mtimeMs}`;
  } catch {
    return undefined;
  }
  const file = join(dir, `${createHash("sha1").update(identity).digest("hex")}.bin`);
  return {
    load: () => {
      const answer = kept.get(file) ?? read(file);
      if (answer) kept.set(file, answer);
      return answer;
    },
    save: (answer) => {
      kept.set(file, answer);
      write(file, answer);
    },
  };
}

// The file: the length of a JSON head (4 bytes, big-endian), the head ({ headers, trailers, sha256 of the
// message }), then the message. A file whose message does not match its digest is a miss, never an answer.
const digest = (message: Buffer) => createHash("sha256").update(message).digest("hex");

function read(file: string): SchemaAnswer | undefined {
  try {
    const bytes = readFileSync(file);
    const headLength = bytes.readUInt32BE(0);
    const { headers, trailers, sha256 } = JSON.parse(bytes.subarray(4, 4 + headLength).toString("utf8")) as Omit<SchemaAnswer, "message"> & { sha256: string };
    const message = bytes.subarray(4 + headLength);
    return digest(message) === sha256 ? { headers, trailers, message } : undefined;
  } catch {
    return undefined;
  }
}

function write(file: string, { headers, trailers, message }: SchemaAnswer): void {
  try {
    const head = Buffer.from(JSON.stringify({ headers, trailers, sha256: digest(message) }));
    const length = Buffer.alloc(4);
    length.writeUInt32BE(head.length);
    mkdirSync(dirname(file), { recursive: true });
    writeWhole(file, Buffer.concat([length, head, message]));
  } catch {
    // a folder that cannot be written costs the next provider one answer, nothing else
  }
}
