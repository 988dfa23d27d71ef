/**
 * Terraform state of the stages in S3, locked in DynamoDB, proven with the real Terraform CLI against local
 * stand-ins: s3rver for S3 and dynalite for DynamoDB, both on 127.0.0.1 and started by this file.
 *
 * Terraform runs asynchronously (src/terraform.ts never blocks): the two servers live in this process and
 * must keep answering while Terraform talks to them.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { parseSettings } from "../src/config";
import { addStages } from "../src/stages";
import { runTerraform as run, terraform, terraformEnv } from "../src/terraform";
import { describeWithTerraform } from "./support/terraform";

// ---------------------------------------------------------------------------------------------
// The two servers. Neither package ships types; these are the parts this file uses.

interface S3rverOptions {
  readonly address: string;
  readonly port: number;
  readonly silent: boolean;
  readonly directory: string;
  readonly configureBuckets: ReadonlyArray<{ readonly name: string }>;
}
interface S3rverServer {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverClass = new (options: S3rverOptions) => S3rverServer;
type DynaliteFactory = (options: { createTableMs: number; deleteTableMs: number }) => Server;

const S3rver: S3rverClass = require("s3rver");
const dynalite: DynaliteFactory = require("dynalite");

// Generous bounds: terraform init and plan load the AWS provider; every wait below has its own limit too.
const HOOK_TIMEOUT_MS = 120_000;
const TEST_TIMEOUT_MS = 120_000;
jest.setTimeout(TEST_TIMEOUT_MS);
const REQUEST_TIMEOUT_MS = 10_000;
const TERRAFORM_TIMEOUT_MS = 100_000;

const BUCKET = "workshop-state";
const KEY_PREFIX = "container-workshop/test";
const LOCK_TABLE = "workshop-locks";
const STAGES = ["vpc-only", "db"] as const;
type TestedStage = (typeof STAGES)[number];

function listen(server: Server): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server.address() as AddressInfo));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One DynamoDB API call: dynalite wants a well-formed SigV4 header but does not check the signature. */
async function dynamo<T>(endpoint: string, operation: string, body: object): Promise<T> {
  const amzDate = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const response = await fetch(endpoint, {
    method: "POST",
    headers: {
      "X-Amz-Target": `DynamoDB_20120810.${operation}`,
      "Content-Type": "application/x-amz-json-1.0",
      "X-Amz-Date": amzDate,
      Authorization:
        `AWS4-HMAC-SHA256 Credential=dummy/${amzDate.slice(0, 8)}/eu-west-1/dynamodb/aws4_request, ` +
        "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000",
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`DynamoDB ${operation}: HTTP ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

const runTerraform = (args: string[], cwd: string, env: NodeJS.ProcessEnv, stdin?: string) =>
  run(args, { cwd, env, stdin, timeoutMs: TERRAFORM_TIMEOUT_MS });
const terraformOk = (args: string[], cwd: string, env: NodeJS.ProcessEnv, stdin?: string) =>
  terraform(args, { cwd, env, stdin, timeoutMs: TERRAFORM_TIMEOUT_MS });

interface StateV4 {
  version: number;
  terraform_version: string;
  serial: number;
  lineage: string;
  outputs: Record<string, { value: unknown; type: string }>;
  resources: unknown[];
}

/** A minimal valid v4 state: no resources, one output naming the stage, so each stage's object is recognisable. */
function minimalState(terraformVersion: string, stage: string, serial: number): StateV4 {
  return {
    version: 4,
    terraform_version: terraformVersion,
    serial,
    lineage: randomUUID(),
    outputs: { pushed_for: { value: stage, type: "string" } },
    resources: [],
  };
}

// ---------------------------------------------------------------------------------------------

describeWithTerraform("Terraform state in S3 with DynamoDB locking (real terraform, local S3 and DynamoDB)", () => {
  let tmp = "";
  let s3: S3rverServer | undefined;
  let dynamoServer: Server | undefined;
  let s3Endpoint = "";
  let dynamodbEndpoint = "";
  let env: NodeJS.ProcessEnv = {};
  let terraformVersion = "";
  const stackDir: Partial<Record<TestedStage, string>> = {};
  const initOutput: Partial<Record<TestedStage, string>> = {};
  const dir = (stage: TestedStage): string => stackDir[stage] ?? "";
  const stateKey = (stage: TestedStage) => `${KEY_PREFIX}/${stage}.tfstate`;
  const lockId = (stage: TestedStage) => `${BUCKET}/${stateKey(stage)}`;

  async function getObject(key: string): Promise<{ status: number; body: string }> {
    const response = await fetch(`${s3Endpoint}/${BUCKET}/${key}`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    return { status: response.status, body: await response.text() };
  }

  async function lockItem(id: string): Promise<Record<string, { S?: string }> | undefined> {
    const found = await dynamo<{ Item?: Record<string, { S?: string }> }>(dynamodbEndpoint, "GetItem", {
      TableName: LOCK_TABLE,
      Key: { LockID: { S: id } },
      ConsistentRead: true,
    });
    return found.Item;
  }

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), "workshop-state-"));
    const s3Directory = join(tmp, "s3rver");
    mkdirSync(s3Directory);

    // GIVEN an S3 server holding the state bucket
    s3 = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: s3Directory, configureBuckets: [{ name: BUCKET }] });
    s3Endpoint = `http://127.0.0.1:${(await s3.run()).port}`;

    // AND a DynamoDB server holding the lock table (partition key LockID), ACTIVE
    dynamoServer = dynalite({ createTableMs: 50, deleteTableMs: 50 });
    dynamodbEndpoint = `http://127.0.0.1:${(await listen(dynamoServer)).port}`;
    await dynamo(dynamodbEndpoint, "CreateTable", {
      TableName: LOCK_TABLE,
      AttributeDefinitions: [{ AttributeName: "LockID", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "LockID", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    });
    const activeBy = Date.now() + 10_000;
    for (;;) {
      const { Table } = await dynamo<{ Table: { TableStatus: string } }>(dynamodbEndpoint, "DescribeTable", { TableName: LOCK_TABLE });
      if (Table.TableStatus === "ACTIVE") break;
      if (Date.now() > activeBy) throw new Error(`lock table still ${Table.TableStatus} after 10 s`);
      await sleep(50);
    }

    // AND the stages synthesized with the S3 backend pointing at both servers
    const settings = parseSettings({
      backend: { type: "s3", bucket: BUCKET, keyPrefix: KEY_PREFIX, lockTable: LOCK_TABLE, s3Endpoint, dynamodbEndpoint },
    });
    const app = new App({ outdir: join(tmp, "out") });
    addStages(app, { settings, offline: true });
    app.synth();
    for (const stage of STAGES) stackDir[stage] = join(tmp, "out", "stacks", stage);

    // WHEN terraform init runs once in each stack folder (the only init of this file)
    // (s3rver only knows its own dummy key pair, S3RVER/S3RVER; it stands in for the offline dummy keys)
    env = { ...terraformEnv(tmp, { offline: true }), AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" };
    terraformVersion = (JSON.parse(await terraformOk(["version", "-json"], tmp, env)) as { terraform_version: string }).terraform_version;
    await Promise.all(
      STAGES.map(async (stage) => {
        initOutput[stage] = await terraformOk(["init", "-input=false"], dir(stage), env);
      }),
    );
  }, HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await s3?.close();
    if (dynamoServer) await close(dynamoServer);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }, HOOK_TIMEOUT_MS);

  test.each(STAGES)("the %s backend block names the bucket, its own key, the lock table and the loopback endpoints", (stage) => {
    // GIVEN the synthesized stack
    const synth = JSON.parse(readFileSync(join(dir(stage), "cdk.tf.json"), "utf8")) as { terraform: { backend: { s3: unknown } } };
    // THEN its S3 backend is encrypted, keyed per stage and locked in the table, all on 127.0.0.1
    expect(synth.terraform.backend.s3).toEqual(
      expect.objectContaining({
        bucket: BUCKET,
        key: stateKey(stage),
        dynamodb_table: LOCK_TABLE,
        encrypt: true,
        endpoints: expect.objectContaining({ s3: s3Endpoint, dynamodb: dynamodbEndpoint }),
      }),
    );
    expect(s3Endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(dynamodbEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test.each(STAGES)("terraform init of %s configures the S3 backend against the local S3 server", (stage) => {
    // THEN init said so, and recorded the bucket and key in the working folder
    expect(initOutput[stage]).toMatch(/Successfully configured the backend "s3"/);
    const recorded = JSON.parse(readFileSync(join(dir(stage), ".terraform", "terraform.tfstate"), "utf8")) as {
      backend: { type: string; config: { bucket: string; key: string } };
    };
    expect(recorded.backend).toEqual(
      expect.objectContaining({ type: "s3", config: expect.objectContaining({ bucket: BUCKET, key: stateKey(stage) }) }),
    );
  });

  describe("after a state push to each stage", () => {
    const pushed: Partial<Record<TestedStage, StateV4>> = {};
    const pushedState = (stage: TestedStage): StateV4 => {
      const state = pushed[stage];
      if (!state) throw new Error(`no state was pushed for ${stage}`);
      return state;
    };
    const objectState = async (stage: TestedStage): Promise<StateV4> => {
      const object = await getObject(stateKey(stage));
      if (object.status !== 200) throw new Error(`GET ${stateKey(stage)}: HTTP ${object.status} ${object.body}`);
      return JSON.parse(object.body) as StateV4;
    };

    beforeAll(async () => {
      // WHEN a different minimal v4 state is pushed to each stage (no AWS needed to write state).
      // Terraform 1.11 gives the first snapshot of an absent remote state a lineage of its own (remote.State
      // forgets the pushed lineage when nothing is stored yet), so a first push creates the object and the
      // second (allowed over an empty state despite the new lineage) writes the state under test.
      for (const stage of STAGES) {
        const push = (state: StateV4) => terraformOk(["state", "push", "-"], dir(stage), env, JSON.stringify(state));
        await push({ ...minimalState(terraformVersion, stage, 1), outputs: {} });
        const state = minimalState(terraformVersion, stage, 7);
        await push(state);
        pushed[stage] = state;
      }
    }, HOOK_TIMEOUT_MS);

    test("the vpc-only state is the object <keyPrefix>/vpc-only.tfstate in the bucket", async () => {
      // THEN the object exists and holds what was pushed
      const stored = await objectState("vpc-only");
      expect(stored).toEqual(
        expect.objectContaining({ lineage: pushedState("vpc-only").lineage, outputs: pushedState("vpc-only").outputs }),
      );
    });

    test("the db state is a different object, <keyPrefix>/db.tfstate, with its own lineage", async () => {
      // THEN each stage wrote its own key, and neither overwrote the other
      const db = await objectState("db");
      const vpc = await objectState("vpc-only");
      expect(db).toEqual(expect.objectContaining({ lineage: pushedState("db").lineage, outputs: { pushed_for: { value: "db", type: "string" } } }));
      expect(vpc).toEqual(expect.objectContaining({ lineage: pushedState("vpc-only").lineage }));
      expect(db.lineage).not.toBe(vpc.lineage);
    });

    test.each(STAGES)("terraform state pull of %s returns the pushed state, as stored in the bucket", async (stage) => {
      // WHEN the state is read back through the backend
      const pulled = JSON.parse(await terraformOk(["state", "pull"], dir(stage), env)) as StateV4;
      // THEN it has the pushed lineage and outputs, and the serial of the stored object: the pushed serial
      // plus one, because a remote backend bumps the serial of every snapshot it writes
      const stored = await objectState(stage);
      expect(pulled).toEqual(
        expect.objectContaining({ lineage: pushedState(stage).lineage, serial: stored.serial, outputs: pushedState(stage).outputs }),
      );
      expect(stored.serial).toBe(pushedState(stage).serial + 1);
    });

    test("terraform keeps the state digest in the DynamoDB lock table", async () => {
      // THEN the S3 backend wrote <bucket>/<key>-md5 into the table, so it really talks to the DynamoDB server
      const digest = await lockItem(`${lockId("vpc-only")}-md5`);
      expect(digest?.Digest?.S).toMatch(/^[0-9a-f]{32}$/);
    });
  });

  describe("locking", () => {
    const plan = () => runTerraform(["plan", "-input=false", "-lock-timeout=1s", "-refresh=false"], dir("vpc-only"), env);

    test("plan fails while another holder's lock item for the vpc-only state is in the table", async () => {
      // GIVEN someone else holds the lock of the vpc-only state
      const holder = {
        ID: randomUUID(),
        Operation: "OperationTypeApply",
        Info: "",
        Who: "someone-else@elsewhere",
        Version: terraformVersion,
        Created: new Date().toISOString(),
        Path: lockId("vpc-only"),
      };
      await dynamo(dynamodbEndpoint, "PutItem", {
        TableName: LOCK_TABLE,
        Item: { LockID: { S: lockId("vpc-only") }, Info: { S: JSON.stringify(holder) } },
      });
      try {
        // WHEN plan runs with a short lock timeout
        const run = await plan();
        // THEN it cannot take the lock, and names the holder
        expect(run.status).not.toBe(0);
        expect(run.output).toMatch(/Error acquiring the state lock/);
        expect(run.output).toContain(holder.ID);
      } finally {
        await dynamo(dynamodbEndpoint, "DeleteItem", { TableName: LOCK_TABLE, Key: { LockID: { S: lockId("vpc-only") } } });
      }
    });

    test("the same plan succeeds once the lock item is deleted, and releases its own lock", async () => {
      // GIVEN no lock item for the vpc-only state
      expect(await lockItem(lockId("vpc-only"))).toBeUndefined();
      // WHEN the same plan runs
      const run = await plan();
      // THEN it plans the VPC and leaves no lock behind
      expect(run).toEqual(expect.objectContaining({ status: 0 }));
      expect(run.output).toMatch(/aws_vpc\.network_vpc_\w+ will be created/);
      expect(run.output).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy/);
      expect(await lockItem(lockId("vpc-only"))).toBeUndefined();
    });
  });
});
