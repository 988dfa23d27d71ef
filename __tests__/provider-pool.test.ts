/**
 * The pieces of the provider pool that need no Terraform: lending (one run per provider, never two at once),
 * which folders may use it, the provider's reattach line, the schema filter on protobuf bytes, and the kept schema
 * (a gRPC provider stand-in on a unix socket).
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import * as http2 from "node:http2";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MIRROR_ENV, OFFLINE_ENV } from "../src/terraform/config";
import { POOL_ENV, ProviderPool, mirrorBinary, poolSize, providerUse, providersFor, terraformPlatform } from "../src/terraform/provider-pool";
import { parseReattachLine, type RunningProvider } from "../src/terraform/provider-process";
import { schemaCache } from "../src/terraform/schema-cache";
import { filterSchema, startSchemaProxy } from "../src/terraform/schema-proxy";

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "workshop-pool-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A provider stand-in: records the types each run was given, and can die. */
function fakeProvider(pid: number) {
  let alive = true;
  const types: Array<ReadonlySet<string> | undefined> = [];
  const provider: RunningProvider = {
    reattach: `{"pid":${pid}}`,
    pid,
    alive: () => alive,
    only: (t) => void types.push(t),
    stop: async () => void (alive = false),
  };
  return { provider, types, die: () => (alive = false) };
}

/** A pool of `size` over stand-ins, and every stand-in it started. */
function fakePool(size: number) {
  const started: Array<ReturnType<typeof fakeProvider>> = [];
  const pool = new ProviderPool(size, async () => {
    const fake = fakeProvider(started.length + 1);
    started.push(fake);
    return fake.provider;
  }, "test");
  return { pool, started };
}

/** Lends `count` runs at once; each holds its provider for a few ticks and records when it ran on which. */
async function concurrentRuns(pool: ProviderPool, count: number) {
  const log: Array<{ run: number; reattach: string; event: "start" | "end" }> = [];
  await Promise.all(
    Array.from({ length: count }, (_, run) =>
      pool.lend(async (reattach) => {
        log.push({ run, reattach, event: "start" });
        await new Promise((resolve) => setTimeout(resolve, 5));
        log.push({ run, reattach, event: "end" });
      }),
    ),
  );
  return log;
}

/** The most runs any one provider had at the same time. */
function mostAtOnceOnOne(log: Array<{ reattach: string; event: string }>): number {
  const open = new Map<string, number>();
  let most = 0;
  for (const { reattach, event } of log) {
    open.set(reattach, (open.get(reattach) ?? 0) + (event === "start" ? 1 : -1));
    most = Math.max(most, ...open.values());
  }
  return most;
}

describe("lending providers", () => {
  test("a pool of one serves concurrent runs one after another, on one provider", async () => {
    const { pool, started } = fakePool(1);
    const log = await concurrentRuns(pool, 4);
    expect(started).toHaveLength(1);
    expect(mostAtOnceOnOne(log)).toBe(1);
    expect(log.filter((e) => e.event === "start")).toHaveLength(4);
  });

  test("a pool of two starts a second provider for a second concurrent run, never a third, and never shares one", async () => {
    const { pool, started } = fakePool(2);
    const log = await concurrentRuns(pool, 6);
    expect(started).toHaveLength(2);
    expect(mostAtOnceOnOne(log)).toBe(1);
    // both were in use at the same time
    let open = 0;
    let most = 0;
    for (const { event } of log) most = Math.max(most, (open += event === "start" ? 1 : -1));
    expect(most).toBe(2);
  });

  test("each run sets the types its provider's schema holds; none means the whole schema", async () => {
    const { pool, started } = fakePool(1);
    await pool.lend(async () => undefined, new Set(["aws_vpc"]));
    await pool.lend(async () => undefined);
    expect(started[0].types).toEqual([new Set(["aws_vpc"]), undefined]);
  });

  test("a provider that died is replaced at the next run", async () => {
    const { pool, started } = fakePool(1);
    const first = await pool.lend(async (reattach) => reattach);
    started[0].die();
    const second = await pool.lend(async (reattach) => reattach);
    expect([first, second]).toEqual(['{"pid":1}', '{"pid":2}']);
  });

  test("a provider that fails to start fails its run, and a waiting run starts another", async () => {
    let attempts = 0;
    const pool = new ProviderPool(1, async () => {
      if (++attempts === 1) throw new Error("bind: invalid argument");
      return fakeProvider(attempts).provider;
    }, "test");
    const [failed, served] = await Promise.allSettled([pool.lend(async () => "first"), pool.lend(async () => "second")]);
    expect(failed).toMatchObject({ status: "rejected", reason: expect.objectContaining({ message: "bind: invalid argument" }) });
    expect(served).toEqual({ status: "fulfilled", value: "second" });
  });

  test("close stops every provider, and a run after it is refused", async () => {
    const { pool, started } = fakePool(2);
    await concurrentRuns(pool, 2);
    await pool.close();
    expect(started.map((s) => s.provider.alive())).toEqual([false, false]);
    await expect(pool.lend(async () => undefined)).rejects.toThrow(/the provider pool of test is closed/);
  });
});

describe("which runs use the pool", () => {
  const json = (content: object) => JSON.stringify(content);
  const stack = (name: string, files: Record<string, string>) => {
    const folder = join(dir, name);
    mkdirSync(folder, { recursive: true });
    for (const [file, text] of Object.entries(files)) writeFileSync(join(folder, file), text);
    return folder;
  };
  const lesson = {
    terraform: { required_providers: { aws: { source: "aws", version: "5.100.0" } } },
    provider: { aws: [{ region: "eu-west-1" }] },
    resource: { aws_vpc: { main: {} }, aws_subnet: { a: {} } },
    data: { aws_iam_policy_document: { trust: {} } },
  };
  /** A mirror holding an executable stand-in for the 5.100.0 binary. */
  const mirror = () => {
    const folder = join(dir, "mirror", "registry.terraform.io", "hashicorp", "aws", "5.100.0", terraformPlatform() as string);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, "terraform-provider-aws_v5.100.0_x5"), "#!/bin/sh\n");
    chmodSync(join(folder, "terraform-provider-aws_v5.100.0_x5"), 0o755);
    return join(dir, "mirror");
  };

  test("a stack's version, its one provider configuration, and the types of its configuration and state", () => {
    const folder = stack("alb", {
      "cdk.tf.json": json(lesson),
      "terraform.alb.tfstate": json({ resources: [{ type: "aws_lb" }, { type: "aws_vpc" }] }),
    });
    expect(providerUse(folder)).toEqual({
      version: "5.100.0",
      configurations: 1,
      types: new Set(["aws_vpc", "aws_subnet", "aws_iam_policy_document", "aws_lb"]),
    });
  });

  test("HCL too; an alias is a second configuration", () => {
    const hcl = `terraform {\n  required_providers {\n    aws = {\n      source  = "aws"\n      version = "5.100.0"\n    }\n  }\n}\nprovider "aws" {\n}\nprovider "aws" {\n  alias = "us"\n}\nresource "aws_vpc" "main" {\n}\ndata "aws_region" "here" {\n}\n`;
    expect(providerUse(stack("hcl", { "cdk.tf": hcl }))).toEqual({ version: "5.100.0", configurations: 2, types: new Set(["aws_vpc", "aws_region"]) });
  });

  test("no exact version when the constraint is a range or the lock file disagrees; a file it cannot read leaves the types unknown", () => {
    const range = { ...lesson, terraform: { required_providers: { aws: { version: "~> 5.0" } } } };
    expect(providerUse(stack("range", { "cdk.tf.json": json(range) })).version).toBeUndefined();
    const locked = stack("locked", { "cdk.tf.json": json(lesson), ".terraform.lock.hcl": `provider "registry.terraform.io/hashicorp/aws" {\n  version = "5.99.0"\n}\n` });
    expect(providerUse(locked).version).toBeUndefined();
    expect(providerUse(stack("broken", { "cdk.tf.json": json(lesson), "terraform.x.tfstate": "{" })).types).toBeUndefined();
    // and a configuration that is not JSON is left to plain Terraform, which says what is wrong with it
    expect(providerUse(stack("not-json", { "cdk.tf.json": "{" }))).toEqual({ configurations: Infinity });
  });

  test("offline runs of a stack use the pool of the mirror's binary; online runs, module roots, 'off' and a missing binary do not", () => {
    const folder = stack("alb", { "cdk.tf.json": json(lesson) });
    const offline = { [OFFLINE_ENV]: "1", [MIRROR_ENV]: mirror() };
    expect(providersFor(folder, offline)?.size).toBe(poolSize({}));
    expect(providersFor(folder, { [MIRROR_ENV]: offline[MIRROR_ENV] })).toBeUndefined();
    expect(providersFor(folder, { ...offline, [POOL_ENV]: "off" })).toBeUndefined();
    const root = stack("root", { "main.tf.json": json({ module: { a: { source: "./a" }, b: { source: "./b" } } }) });
    expect(providersFor(root, offline)).toBeUndefined();
    const newer = stack("newer", { "cdk.tf.json": json({ ...lesson, terraform: { required_providers: { aws: { version: "6.0.0" } } } }) });
    expect(providersFor(newer, offline)).toBeUndefined();
    expect(mirrorBinary(offline[MIRROR_ENV], "5.100.0")).toMatch(/terraform-provider-aws_v5\.100\.0_x5$/);
  });

  test("the pool size: one per core, 2 to 4; a number; off; anything else is an error naming the variable", () => {
    expect([1, 2, 3, 8].map((cores) => poolSize({}, cores))).toEqual([2, 2, 3, 4]);
    expect([poolSize({ [POOL_ENV]: "3" }), poolSize({ [POOL_ENV]: "off" }), poolSize({ [POOL_ENV]: "0" })]).toEqual([3, 0, 0]);
    expect(() => poolSize({ [POOL_ENV]: "many" })).toThrow(/WORKSHOP_PROVIDER_POOL: "many" is not a pool size; allowed: "off", or a number of providers from 1 to 99/);
  });
});

describe("the provider's reattach line", () => {
  const config = { Protocol: "grpc", ProtocolVersion: 5, Pid: 4644, Test: true, Addr: { Network: "unix", String: "/tmp/plugin3825000095" } };

  test("is read from the line the provider prints, shell quoting and all", () => {
    const line = `\tTF_REATTACH_PROVIDERS='${JSON.stringify({ "registry.terraform.io/hashicorp/aws": config })}'`;
    expect(parseReattachLine(line)).toEqual({ "registry.terraform.io/hashicorp/aws": config });
    const quoted = line.replace("/tmp/plugin", `/tmp/it'"'"'s/plugin`);
    expect(parseReattachLine(quoted)?.["registry.terraform.io/hashicorp/aws"].Addr.String).toBe("/tmp/it's/plugin3825000095");
  });

  test("other lines, other providers and missing fields are not it", () => {
    expect(parseReattachLine("Provider started. To attach Terraform CLI, set the TF_REATTACH_PROVIDERS environment variable")).toBeUndefined();
    expect(parseReattachLine(`TF_REATTACH_PROVIDERS='${JSON.stringify({ "registry.terraform.io/hashicorp/google": config })}'`)).toBeUndefined();
    const { Pid: _, ...noPid } = config;
    expect(parseReattachLine(`TF_REATTACH_PROVIDERS='${JSON.stringify({ "registry.terraform.io/hashicorp/aws": noPid })}'`)).toBeUndefined();
  });
});

describe("the schema filter", () => {
  // protobuf by hand: a length-delimited field, and a map entry (key = 1, value = 2)
  const varint = (n: number): number[] => (n < 0x80 ? [n] : [(n & 0x7f) | 0x80, ...varint(n >>> 7)]);
  const field = (number: number, payload: Buffer) => Buffer.concat([Buffer.from([...varint(number * 8 + 2), ...varint(payload.length)]), payload]);
  const entry = (number: number, type: string, schema: string) => field(number, Buffer.concat([field(1, Buffer.from(type)), field(2, Buffer.from(schema))]));
  const capabilities = Buffer.from([6 * 8 + 2, 2, 2 * 8, 1]); // server_capabilities { get_provider_schema_optional: true }

  test("keeps the provider, its capabilities and functions, and only the named resource and data source types, byte for byte", () => {
    // GIVEN a GetProviderSchema response with two resources, two data sources and a function
    const provider = field(1, Buffer.from("provider schema"));
    const vpc = entry(2, "aws_vpc", "vpc schema ".repeat(20));
    const bucket = entry(2, "aws_s3_bucket", "bucket schema");
    const region = entry(3, "aws_region", "region schema");
    const ami = entry(3, "aws_ami", "ami schema");
    const fn = entry(7, "arn_parse", "function");
    const response = Buffer.concat([provider, vpc, bucket, region, ami, capabilities, fn]);
    // WHEN it is filtered for aws_vpc and aws_region THEN the rest is gone and what stays is unchanged
    expect(filterSchema(response, new Set(["aws_vpc", "aws_region"]))).toEqual(Buffer.concat([provider, vpc, region, capabilities, fn]));
    expect(filterSchema(response, new Set())).toEqual(Buffer.concat([provider, capabilities, fn]));
  });

  test("a wire type it does not expect is an error, not a guess", () => {
    expect(() => filterSchema(Buffer.from([(2 << 3) | 3]), new Set())).toThrow(/wire type 3 is not expected/);
  });
});

describe("the kept schema", () => {
  const GET_SCHEMA = "/tfplugin5.Provider/GetSchema";
  const frame = (message: Buffer) => {
    const head = Buffer.alloc(5);
    head.writeUInt32BE(message.length, 1);
    return Buffer.concat([head, message]);
  };

  /** A provider stand-in on a unix socket that answers GetSchema with `schema` and counts how often it was asked. */
  async function schemaServer(socket: string, schema: Buffer) {
    const server = http2.createServer();
    const asked = { count: 0 };
    server.on("stream", (stream, headers) => {
      if (headers[":path"] !== GET_SCHEMA) return stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
      asked.count++;
      stream.resume();
      stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      stream.end(frame(schema));
    });
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    return { asked, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  /** Terraform's GetSchema call through a proxy: the message it gets. */
  function getSchema(socket: string): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const client = http2.connect("http://proxy", { createConnection: () => connect(socket) });
      const call = client.request({ ":method": "POST", ":path": GET_SCHEMA, "content-type": "application/grpc" });
      const chunks: Buffer[] = [];
      call.on("data", (chunk: Buffer) => chunks.push(chunk));
      call.on("error", reject);
      call.on("close", () => {
        client.close();
        resolve(Buffer.concat(chunks).subarray(5));
      });
      call.end(frame(Buffer.alloc(0)));
    });
  }

  test("the first provider of a binary is asked for its schema; the next ones, in this process or another, are not", async () => {
    // GIVEN a provider binary and a provider that answers with its schema
    const binary = join(dir, "terraform-provider-aws_v5.100.0_x5");
    writeFileSync(binary, "#!/bin/sh\n", { mode: 0o755 });
    const schema = Buffer.from("a whole schema ".repeat(1000));
    // (a unix socket path must stay under about 104 bytes, which a deep TMPDIR would pass)
    const sockets = dir.length > 60 ? mkdtempSync("/tmp/workshop-sockets-") : dir;
    const provider = await schemaServer(join(sockets, "provider.sock"), schema);
    const store = join(dir, "store");
    try {
      // WHEN two proxies of the same binary answer GetSchema, one after the other
      for (const name of ["one", "two"]) {
        const proxy = await startSchemaProxy(join(sockets, "provider.sock"), join(sockets, `${name}.sock`), schemaCache(binary, store));
        try {
          // THEN both answer with the provider's schema
          expect(await getSchema(proxy.socket)).toEqual(schema);
        } finally {
          await proxy.close();
        }
      }
      // AND the provider was asked once; the answer is kept in one file
      expect(provider.asked.count).toBe(1);
      expect(readdirSync(store)).toHaveLength(1);
      // AND another process (a fresh module) reads it from the file
      jest.isolateModules(() => {
        const fresh = require("../src/terraform/schema-cache") as typeof import("../src/terraform/schema-cache");
        expect(fresh.schemaCache(binary, store)?.load()?.message).toEqual(schema);
      });
    } finally {
      await provider.close();
      if (sockets !== dir) rmSync(sockets, { recursive: true, force: true });
    }
  });

  test("another build of the binary, or a file it cannot read, is a miss; a binary it cannot see has no cache", () => {
    const binary = join(dir, "terraform-provider-aws");
    writeFileSync(binary, "one build");
    const store = join(dir, "store");
    const answer = { headers: { "content-type": "application/grpc" }, message: Buffer.from("schema"), trailers: { "grpc-status": "0" } };
    schemaCache(binary, store)?.save(answer);
    const [first] = readdirSync(store);
    /** load() in a fresh module, as another process would. */
    const loadAfresh = () => {
      let loaded: unknown;
      jest.isolateModules(() => {
        const fresh = require("../src/terraform/schema-cache") as typeof import("../src/terraform/schema-cache");
        loaded = fresh.schemaCache(binary, store)?.load();
      });
      return loaded;
    };
    expect(loadAfresh()).toEqual(answer);
    // WHEN the binary is another build (same path, another modification time) THEN its answer is not there
    utimesSync(binary, new Date(), new Date(Date.now() + 60_000));
    expect(loadAfresh()).toBeUndefined();
    // WHEN its file is cut short, or a byte of its message changes, THEN it is a miss, not an error or a wrong answer
    schemaCache(binary, store)?.save(answer);
    const second = join(store, readdirSync(store).find((file) => file !== first) ?? "");
    expect(loadAfresh()).toEqual(answer);
    const whole = readFileSync(second);
    writeFileSync(second, Buffer.concat([whole.subarray(0, -1), Buffer.from("S")]));
    expect(loadAfresh()).toBeUndefined();
    writeFileSync(second, whole.subarray(0, 3));
    expect(loadAfresh()).toBeUndefined();
    expect(schemaCache(join(dir, "missing"), store)).toBeUndefined();
  });
});
