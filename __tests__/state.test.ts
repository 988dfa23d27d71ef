/**
 * Terraform state of the stages in S3, proven with the real Terraform CLI against local stand-ins: s3rver for
 * S3 and dynalite for DynamoDB, both on 127.0.0.1 and started by this file. vpc-only locks in the DynamoDB
 * table, db with S3 lock files (the default); the state bootstrap stack gets an offline plan, and a local state
 * is migrated to S3.
 *
 * Terraform runs asynchronously (src/terraform/ never blocks): the two servers live in this process and
 * must keep answering while Terraform talks to them.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Testing } from "cdktf";
import { parseSettings, type SettingsInput } from "../src/settings/index";
import { WorkshopStage } from "../src/stages";
import { STATE_STACK, addStateStack } from "../src/state/bootstrap";
import { migrateState } from "../src/state/migrate";
import { terraformEnv } from "../src/terraform/config";
import { runWithProviders } from "../src/terraform/provider-pool";
import { runTerraform as run, terraform, type TerraformRun } from "../src/terraform/run";
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
/** The locking each tested stage uses: the table (as before Terraform 1.11), and S3 lock files (the default). */
const LOCKING: Record<TestedStage, object> = { "vpc-only": { locking: "dynamodb", lockTable: LOCK_TABLE }, db: {} };

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

interface PlannedResource {
  readonly address: string;
  readonly type: string;
  readonly values: Record<string, unknown>;
}

/** init and one offline plan of a stack folder (no validate: plan validates), read back as planned resources. */
async function planBootstrap(cwd: string, env: NodeJS.ProcessEnv): Promise<PlannedResource[]> {
  await terraformOk(["init", "-input=false"], cwd, env);
  await terraformOk(["plan", "-input=false", "-lock=false", "-refresh=false", "-out=plan.tfplan"], cwd, env);
  const json = JSON.parse(await terraformOk(["show", "-json", "plan.tfplan"], cwd, env)) as {
    planned_values: { root_module: { resources: PlannedResource[] } };
  };
  return json.planned_values.root_module.resources;
}

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

// init is Terraform's own, as a deploy runs it (the provider installed from the mirror); every other command
// borrows a provider from the pool, as the offline tools do.
const runnerFor = (args: string[]) => (args[0] === "init" ? run : runWithProviders);
const runTerraform = (args: string[], cwd: string, env: NodeJS.ProcessEnv, stdin?: string) =>
  runnerFor(args)(args, { cwd, env, stdin, timeoutMs: TERRAFORM_TIMEOUT_MS });
const terraformOk = (args: string[], cwd: string, env: NodeJS.ProcessEnv, stdin?: string) =>
  terraform(args, { cwd, env, stdin, timeoutMs: TERRAFORM_TIMEOUT_MS }, runnerFor(args));

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

describeWithTerraform("Terraform state in S3: lock files, DynamoDB locking, the state stack and migration (real terraform, local S3 and DynamoDB)", () => {
  let tmp = "";
  let s3: S3rverServer | undefined;
  let dynamoServer: Server | undefined;
  let s3Endpoint = "";
  let dynamodbEndpoint = "";
  let env: NodeJS.ProcessEnv = {};
  let terraformVersion = "";
  const stackDir: Partial<Record<TestedStage, string>> = {};
  const initOutput: Partial<Record<TestedStage, string>> = {};
  let bootstrapPlan: Promise<PlannedResource[]> = Promise.resolve([]);
  let statePlan: PlannedResource[] = [];
  const dir = (stage: TestedStage): string => stackDir[stage] ?? "";
  const stateHclDir = () => join(tmp, STATE_STACK);
  const backendOf = (stage: TestedStage): Record<string, unknown> =>
    (JSON.parse(readFileSync(join(dir(stage), "cdk.tf.json"), "utf8")) as { terraform: { backend: { s3: Record<string, unknown> } } }).terraform.backend.s3;
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

    // AND vpc-only synthesized with DynamoDB locking, db with the default (S3 lock files), and the state
    // stack with both, all pointing at the two servers
    const endpoints = { type: "s3", bucket: BUCKET, keyPrefix: KEY_PREFIX, s3Endpoint, dynamodbEndpoint } as const;
    const app = new App({ outdir: join(tmp, "out") });
    const withBackend = (backend: object) => parseSettings({ backend: { ...endpoints, ...backend } } as SettingsInput);
    new WorkshopStage(app, "vpc-only", { settings: withBackend(LOCKING["vpc-only"]), offline: true });
    new WorkshopStage(app, "db", { settings: withBackend(LOCKING.db), offline: true });
    app.synth();
    // (the state stack as HCL, as cdktf renders it for `synth --hcl`: its plan proves the HCL valid too)
    const stateStack = addStateStack(Testing.app(), { settings: withBackend({ locking: "both", lockTable: LOCK_TABLE }), offline: true });
    if (!stateStack) throw new Error("an S3 backend must add the state stack");
    mkdirSync(stateHclDir());
    writeFileSync(join(stateHclDir(), "cdk.tf"), Testing.synthHcl(stateStack) as string);
    for (const stage of STAGES) stackDir[stage] = join(tmp, "out", "stacks", stage);

    // WHEN terraform init runs once in each stack folder, and the state stack is planned offline, all at once
    // (s3rver only knows its own dummy key pair, S3RVER/S3RVER; it stands in for the offline dummy keys)
    env = { ...terraformEnv(tmp, { offline: true }), AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" };
    terraformVersion = (JSON.parse(await terraformOk(["version", "-json"], tmp, env)) as { terraform_version: string }).terraform_version;
    // (the state stack's plan is awaited by its own tests, so that it overlaps with the tests before them)
    bootstrapPlan = planBootstrap(stateHclDir(), env);
    bootstrapPlan.catch(() => undefined);
    await Promise.all(
      STAGES.map(async (stage) => {
        initOutput[stage] = await terraformOk(["init", "-input=false"], dir(stage), env);
      }),
    );
  }, HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await bootstrapPlan.catch(() => undefined);
    await s3?.close();
    if (dynamoServer) await close(dynamoServer);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }, HOOK_TIMEOUT_MS);

  test("the vpc-only backend block names the bucket, its own key, the lock table and the loopback endpoints", () => {
    // GIVEN the synthesized stack with DynamoDB locking
    const backend = backendOf("vpc-only");
    // THEN its S3 backend is encrypted, keyed per stage and locked in the table, all on 127.0.0.1
    expect(backend).toEqual(
      expect.objectContaining({
        bucket: BUCKET,
        key: stateKey("vpc-only"),
        dynamodb_table: LOCK_TABLE,
        encrypt: true,
        endpoints: expect.objectContaining({ s3: s3Endpoint, dynamodb: dynamodbEndpoint }),
      }),
    );
    expect(backend).not.toHaveProperty("use_lockfile");
    expect(s3Endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(dynamodbEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test("the db backend block, with the default locking, uses S3 lock files and no table", () => {
    const backend = backendOf("db");
    expect(backend).toEqual(expect.objectContaining({ bucket: BUCKET, key: stateKey("db"), encrypt: true, use_lockfile: true }));
    expect(backend).not.toHaveProperty("dynamodb_table");
  });

  test("terraform init of db, with S3 lock files, prints no deprecation warning", () => {
    expect(initOutput.db).toMatch(/Terraform has been successfully initialized/);
    expect(initOutput.db).not.toMatch(/deprecat|dynamodb_table/i);
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
      // (the two stages have their own keys and locks, so they are pushed at the same time)
      await Promise.all(
        STAGES.map(async (stage) => {
          const push = (state: StateV4) => terraformOk(["state", "push", "-"], dir(stage), env, JSON.stringify(state));
          await push({ ...minimalState(terraformVersion, stage, 1), outputs: {} });
          const state = minimalState(terraformVersion, stage, 7);
          await push(state);
          pushed[stage] = state;
        }),
      );
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

  });

  describe("three plans at once: two of vpc-only (DynamoDB lock), one of db (S3 lock file)", () => {
    let contenders: TerraformRun[] = [];
    let lockfilePlan: TerraformRun | undefined;
    const lockKey = `${stateKey("db")}.tflock`;
    let lockKeyBefore = 0;
    const lockObjectsSeen: string[] = [];

    beforeAll(async () => {
      // GIVEN no lock item for vpc-only and no lock object for db
      expect(await lockItem(lockId("vpc-only"))).toBeUndefined();
      lockKeyBefore = (await getObject(lockKey)).status;
      // WHEN two plans of vpc-only start together without waiting for the lock, and a plan of db runs while its
      // lock object is polled
      let done = false;
      // (plain Terraform: its seconds of provider start keep the three runs overlapping, which a lent provider,
      // ready in a moment, would not)
      const plain = (args: string[], cwd: string) => run(args, { cwd, env, timeoutMs: TERRAFORM_TIMEOUT_MS });
      const db = plain(["plan", "-input=false", "-refresh=false"], dir("db")).finally(() => {
        done = true;
      });
      const poll = (async () => {
        while (!done) {
          const object = await getObject(lockKey);
          if (object.status === 200) lockObjectsSeen.push(object.body);
          await sleep(20);
        }
      })();
      const plan = () => plain(["plan", "-input=false", "-lock-timeout=0s", "-refresh=false"], dir("vpc-only"));
      [contenders, lockfilePlan] = await Promise.all([Promise.all([plan(), plan()]), db, poll]);
    }, HOOK_TIMEOUT_MS);

    test("of the two vpc-only plans, exactly one is refused the DynamoDB lock; the other plans and releases it", async () => {
      const refused = contenders.filter((p) => p.status !== 0);
      const planned = contenders.filter((p) => p.status === 0);
      expect(refused).toHaveLength(1);
      expect(refused[0].output).toMatch(/Error acquiring the state lock/);
      expect(planned).toHaveLength(1);
      expect(planned[0].output).toMatch(/aws_vpc\.network_vpc_\w+ will be created/);
      expect(planned[0].output).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy/);
      // AND no lock is left behind
      expect(await lockItem(lockId("vpc-only"))).toBeUndefined();
    });

    test("with S3 lock files, <key>.tflock appears while the db plan runs and is gone after it (s3rver ignores conditional writes, so contention is proven on DynamoDB only)", async () => {
      expect(lockKeyBefore).toBe(404);
      expect(lockfilePlan).toEqual(expect.objectContaining({ status: 0 }));
      // THEN the lock object existed during the plan, naming the operation and the state path (s3rver writes
      // objects in place, so a read may catch one half-written: only complete lock records count)
      const records = lockObjectsSeen.flatMap((body) => {
        try {
          return [JSON.parse(body) as object];
        } catch {
          return [];
        }
      });
      expect(records.length).toBeGreaterThan(0);
      expect(records[0]).toEqual(expect.objectContaining({ Operation: "OperationTypePlan", Path: `${BUCKET}/${stateKey("db")}` }));
      // AND it is gone afterwards
      expect((await getObject(lockKey)).status).toBe(404);
    });
  });

  describe("migrating a local state to S3 with npm run migrate-state's library function", () => {
    const stage = "fargate";
    const key = `${KEY_PREFIX}/${stage}.tfstate`;
    let project = "";
    let local: StateV4 & { check_results: null } = { ...minimalState("", stage, 1), check_results: null };
    const settings = () =>
      parseSettings({ backend: { type: "s3", bucket: BUCKET, keyPrefix: KEY_PREFIX, s3Endpoint, dynamodbEndpoint } });
    const migrate = (localStatePath?: string) => migrateState({ stage, settings: settings(), projectDir: project, env, offline: true, localStatePath });
    /** Writes a state file as Terraform formats it: two-space JSON and a final newline. */
    const writeState = (path: string, state: object) => writeFileSync(path, JSON.stringify(state, null, 2) + "\n");

    beforeAll(() => {
      // GIVEN a project folder whose local fargate state holds resources, at serial 12
      project = join(tmp, "project");
      mkdirSync(project);
      local = {
        ...minimalState(terraformVersion, stage, 12),
        outputs: { vpc_id: { value: "vpc-0123456789abcdef0", type: "string" } },
        // resources in the order Terraform writes them: by type, then name
        resources: [
          {
            mode: "managed",
            type: "aws_ecr_repository",
            name: "registry_repository_2E9C1F3B",
            provider: 'provider["registry.terraform.io/hashicorp/aws"]',
            instances: [{ schema_version: 0, attributes: { id: "workshop-fargate-my-nginx", name: "workshop-fargate-my-nginx" }, sensitive_attributes: [] }],
          },
          {
            mode: "managed",
            type: "aws_vpc",
            name: "network_vpc_4E8F0223",
            provider: 'provider["registry.terraform.io/hashicorp/aws"]',
            instances: [{ schema_version: 1, attributes: { cidr_block: "10.0.0.0/16", id: "vpc-0123456789abcdef0", tags: { Name: "main" } }, sensitive_attributes: [] }],
          },
        ],
        check_results: null,
      };
      writeState(join(project, `terraform.${stage}.tfstate`), local);
    });

    test("serial, lineage, outputs and resources survive byte for byte, and a second run changes nothing", async () => {
      // WHEN the stage is migrated
      const result = await migrate();
      // THEN the S3 object is the local file, byte for byte
      const object = await getObject(key);
      expect(object.status).toBe(200);
      expect(object.body).toBe(readFileSync(join(project, `terraform.${stage}.tfstate`), "utf8"));
      const stored = JSON.parse(object.body) as StateV4;
      expect([stored.serial, stored.lineage]).toEqual([12, local.lineage]);
      expect(JSON.stringify(stored.resources)).toBe(JSON.stringify(local.resources));
      expect(result).toEqual(expect.objectContaining({ outcome: "migrated", key, serial: 12, lineage: local.lineage, resources: 2 }));
      // AND the migration took no lock it did not release
      expect((await getObject(`${key}.tflock`)).status).toBe(404);
      // WHEN it runs again THEN it finds the same state and writes nothing
      expect(await migrate()).toEqual(expect.objectContaining({ outcome: "unchanged" }));
      expect((await getObject(key)).body).toBe(object.body);
    });

    test.each([
      ["a different lineage", { lineage: randomUUID() }, /holds a different state \(lineage/],
      ["the same lineage at another serial", { serial: 13 }, /holds serial 12 of the same state and the local file has serial 13/],
      ["the same lineage and serial with other resources", { resources: [] }, /holds serial 12 of the same state with different resources or outputs/],
    ])("a local state with %s is refused, and the object stays as it was", async (_, change, reason) => {
      // GIVEN another local state file for the same stage
      const before = (await getObject(key)).body;
      const other = join(project, "other.tfstate");
      writeState(other, { ...local, ...change });
      // WHEN it is migrated THEN it is refused, naming the key and why
      const refusal = await migrate(other).then(() => "", (error: Error) => error.message);
      expect(refusal).toContain(`refusing to overwrite s3://${BUCKET}/${key}: `);
      expect(refusal).toMatch(reason);
      expect((await getObject(key)).body).toBe(before);
    });
  });

  describe("the state bootstrap stack, planned offline (s3rver implements none of the bucket settings and dynalite no point-in-time recovery, so it cannot be applied there)", () => {
    const planned = (type: string) => statePlan.filter((r) => r.type === type).map((r) => r.values);

    test("was planned from HCL, as cdktf synth --hcl writes it", () => {
      expect(readdirSync(stateHclDir()).filter((f) => f.startsWith("cdk."))).toEqual(["cdk.tf"]);
      expect(statePlan.length).toBeGreaterThan(0);
    });
    beforeAll(async () => {
      statePlan = await bootstrapPlan;
    }, HOOK_TIMEOUT_MS);

    test("plans the bucket, versioned, encrypted, private, owner-enforced, with the TLS policy and the lifecycle", () => {
      expect(planned("aws_s3_bucket")).toEqual([expect.objectContaining({ bucket: BUCKET, force_destroy: false })]);
      expect(planned("aws_s3_bucket_versioning")).toEqual([expect.objectContaining({ versioning_configuration: [expect.objectContaining({ status: "Enabled" })] })]);
      expect(planned("aws_s3_bucket_server_side_encryption_configuration")).toEqual([
        expect.objectContaining({ rule: [expect.objectContaining({ apply_server_side_encryption_by_default: [expect.objectContaining({ sse_algorithm: "AES256" })] })] }),
      ]);
      expect(planned("aws_s3_bucket_public_access_block")).toEqual([
        expect.objectContaining({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }),
      ]);
      expect(planned("aws_s3_bucket_ownership_controls")).toEqual([expect.objectContaining({ rule: [{ object_ownership: "BucketOwnerEnforced" }] })]);
      expect(planned("aws_s3_bucket_policy")).toHaveLength(1);
      expect(planned("aws_s3_bucket_lifecycle_configuration")).toEqual([
        expect.objectContaining({
          rule: [
            expect.objectContaining({
              status: "Enabled",
              noncurrent_version_expiration: [expect.objectContaining({ noncurrent_days: 90 })],
              abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
            }),
          ],
        }),
      ]);
    });

    test("plans the lock table for locking both: on demand, LockID string key, point-in-time recovery, deletion protection", () => {
      expect(planned("aws_dynamodb_table")).toEqual([
        expect.objectContaining({
          name: LOCK_TABLE,
          billing_mode: "PAY_PER_REQUEST",
          hash_key: "LockID",
          attribute: [{ name: "LockID", type: "S" }],
          point_in_time_recovery: [expect.objectContaining({ enabled: true })],
          deletion_protection_enabled: true,
        }),
      ]);
    });
  });
});
