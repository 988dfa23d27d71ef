/**
 * A gRPC proxy in front of one reattached provider that answers Terraform's GetSchema with only the resource
 * and data source types the run uses. Most of what a plan costs Terraform, with a provider already running, is
 * reading the AWS provider's schema of some 1,500 types (about 2 CPU-s per run, and half a second for the
 * provider to send it); a plan reads only the schemas of its own types, so with those alone it is the same plan.
 * A type left out is never silent: Terraform stops with "does not support resource type" (provider-pool.ts then
 * runs it again with the whole schema).
 *
 * Every other call passes through unchanged, byte for byte (gRPC over HTTP/2 without TLS, as go-plugin serves a
 * provider in debug mode). The provider's whole schema is fetched once, and kept for the next providers of the
 * same binary (schema-cache.ts).
 */
import * as http2 from "node:http2";
import { connect } from "node:net";
import { rmSync } from "node:fs";
import type { SchemaAnswer, SchemaCache } from "./schema-cache";

const GET_SCHEMA = "/tfplugin5.Provider/GetSchema";
/** GetProviderSchema.Response fields that map a type name to its schema (tfplugin5.proto, protocol 5.10). */
const TYPE_MAPS = new Set([2, 3, 8, 9, 10]); // resources, data sources, ephemeral, list resources, actions

export interface SchemaProxy {
  /** The proxy's unix socket, for TF_REATTACH_PROVIDERS. */
  readonly socket: string;
  /** The types the next runs may use; undefined answers with the whole schema. */
  only(types: ReadonlySet<string> | undefined): void;
  close(): Promise<void>;
}

/** Reads a protobuf varint at `at`: its value and the offset after it. */
function varint(buffer: Buffer, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = buffer[at++];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, at];
    shift += 7;
  }
}

/** The protobuf fields of a message as [field number, wire type, start, end, payload start] slices. */
function* fields(message: Buffer): Generator<[number, number, number, number, number]> {
  let at = 0;
  while (at < message.length) {
    const start = at;
    const [key, afterKey] = varint(message, at);
    const field = Math.floor(key / 8);
    const wire = key & 7;
    let end: number;
    let payload = afterKey;
    if (wire === 0) end = varint(message, afterKey)[1];
    else if (wire === 1) end = afterKey + 8;
    else if (wire === 5) end = afterKey + 4;
    else if (wire === 2) {
      const [length, afterLength] = varint(message, afterKey);
      payload = afterLength;
      end = afterLength + length;
    } else throw new Error(`GetSchema response: wire type ${wire} is not expected`);
    yield [field, wire, start, end, payload];
    at = end;
  }
}

/** GetProviderSchema.Response without the types not in `types`: every kept field is copied as it came. */
export function filterSchema(message: Buffer, types: ReadonlySet<string>): Buffer {
  const kept: Buffer[] = [];
  for (const [field, wire, start, end, payload] of fields(message)) {
    if (TYPE_MAPS.has(field) && wire === 2) {
      // a map entry: key = 1 (the type name), value = 2
      const entry = message.subarray(payload, end);
      const key = [...fields(entry)].find(([f]) => f === 1);
      if (key && !types.has(entry.subarray(key[4], key[3]).toString("utf8"))) continue;
    }
    kept.push(message.subarray(start, end));
  }
  return Buffer.concat(kept);
}

/** The filtered schema, or the whole one should this provider's answer hold something the filter does not expect. */
function filterOrWhole(message: Buffer, types: ReadonlySet<string>): Buffer {
  try {
    return filterSchema(message, types);
  } catch {
    return message;
  }
}

/** gRPC's length-prefixed framing of one uncompressed message, and back. */
const frame = (message: Buffer) => Buffer.concat([Buffer.from([0, ...[24, 16, 8, 0].map((s) => (message.length >>> s) & 0xff)]), message]);
function unframe(body: Buffer): Buffer {
  if (body.length < 5 || body[0] !== 0 || body.readUInt32BE(1) !== body.length - 5) throw new Error("GetSchema response: not one uncompressed gRPC message");
  return body.subarray(5);
}

type Headers = http2.IncomingHttpHeaders;
const withoutPseudo = (headers: Headers) => Object.fromEntries(Object.entries(headers).filter(([key]) => !key.startsWith(":")));

/** Starts the proxy on `socket` for the provider listening on `upstream`; `cache` keeps its whole schema. */
export function startSchemaProxy(upstream: string, socket: string, cache?: SchemaCache): Promise<SchemaProxy> {
  let types: ReadonlySet<string> | undefined;
  let whole: Promise<SchemaAnswer> | undefined;
  // The last answer given, for the next run of the same stack.
  let filtered: { key: string; message: Buffer } | undefined;
  let closed: Promise<void> | undefined;
  const sessions = new Set<http2.ServerHttp2Session>();
  const server = http2.createServer();

  server.on("session", (session) => {
    sessions.add(session);
    // One connection to the provider per connection of Terraform, closed with it. Neither keeps this process
    // alive: a run in flight does, by the terraform process it waits for.
    session.unref();
    const provider = http2.connect("http://provider", { createConnection: () => connect(upstream) });
    provider.unref();
    provider.on("error", () => session.destroy());
    session.on("close", () => {
      sessions.delete(session);
      provider.close();
    });
    session.on("stream", (stream, headers) => {
      if (headers[":path"] === GET_SCHEMA) {
        stream.resume(); // the empty request
        whole ??= wholeSchema(provider, headers, cache);
        whole.catch(() => (whole = undefined));
        whole.then(
          (answer) => {
            if (stream.destroyed) return;
            const key = types ? [...types].sort().join(",") : "";
            if (filtered?.key !== key) filtered = { key, message: types ? filterOrWhole(answer.message, types) : answer.message };
            const { message } = filtered;
            stream.respond(withoutPseudo(answer.headers), { waitForTrailers: true });
            stream.on("wantTrailers", () => stream.sendTrailers(withoutPseudo(answer.trailers)));
            stream.end(frame(message));
          },
          () => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR),
        );
        return;
      }
      pass(provider, stream, headers);
    });
  });

  const remove = () => rmSync(socket, { force: true });
  return new Promise((resolve, reject) => {
    remove();
    server.once("error", reject);
    server.listen(socket, () => {
      server.unref();
      resolve({
        socket,
        only: (next) => (types = next),
        close: () =>
          (closed ??= new Promise((done) => {
            sessions.forEach((s) => s.destroy());
            server.close(() => {
              remove();
              done();
            });
          })),
      });
    });
  });
}

/** One call passed through: request and response streamed both ways, the provider's trailers after its data. */
function pass(provider: http2.ClientHttp2Session, stream: http2.ServerHttp2Stream, headers: Headers): void {
  const call = provider.request({ ...withoutPseudo(headers), ":method": "POST", ":path": headers[":path"] }, { endStream: stream.endAfterHeaders });
  const trailers = new Promise<Headers>((resolve) => call.on("trailers", resolve));
  call.on("response", (response) => {
    if (stream.destroyed) return;
    // A "trailers-only" answer (an error before any data) ends with its headers.
    if (response["grpc-status"] !== undefined) return stream.respond(withoutPseudo(response), { endStream: true });
    stream.respond(withoutPseudo(response), { waitForTrailers: true });
    stream.on("wantTrailers", () => void trailers.then((t) => stream.destroyed || stream.sendTrailers(withoutPseudo(t))));
    call.pipe(stream);
  });
  call.on("error", () => stream.destroyed || stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR));
  stream.on("error", () => call.destroyed || call.close(http2.constants.NGHTTP2_CANCEL));
  stream.on("close", () => call.destroyed || call.close(http2.constants.NGHTTP2_CANCEL));
  if (!stream.endAfterHeaders) stream.pipe(call);
}

/** The whole GetSchema answer of the provider's binary: kept from an earlier provider, or asked for and kept. */
async function wholeSchema(provider: http2.ClientHttp2Session, headers: Headers, cache: SchemaCache | undefined): Promise<SchemaAnswer> {
  const kept = cache?.load();
  if (kept) return kept;
  const answer = await ask(provider, headers);
  cache?.save(answer);
  return answer;
}

/** The provider's whole GetSchema answer. */
function ask(provider: http2.ClientHttp2Session, headers: Headers): Promise<SchemaAnswer> {
  return new Promise((resolve, reject) => {
    const call = provider.request({ ...withoutPseudo(headers), ":method": "POST", ":path": GET_SCHEMA });
    const chunks: Buffer[] = [];
    let responseHeaders: Headers = {};
    call.on("response", (h) => (responseHeaders = h));
    let trailers: Headers = {};
    call.on("data", (chunk: Buffer) => chunks.push(chunk));
    call.on("trailers", (t) => (trailers = t));
    call.on("error", reject);
    call.on("close", () => {
      if (trailers["grpc-status"] !== "0") return reject(new Error(`GetSchema failed: ${trailers["grpc-message"] ?? trailers["grpc-status"] ?? "no answer"}`));
      try {
        resolve({ headers: responseHeaders, message: unframe(Buffer.concat(chunks)), trailers });
      } catch (error) {
        reject(error);
      }
    });
    call.end(frame(Buffer.alloc(0)));
  });
}
