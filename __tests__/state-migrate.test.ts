/**
 * migrate-state's refusals that need no S3 server: a wrong stage, local state settings, a missing or broken
 * local state, and when two states are the same. The migration itself runs against s3rver in state.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseSettings } from "../src/settings/index";
import { UserError } from "../src/common/errors";
import { migrateState, stateConflict, type StateFile } from "../src/state/migrate";

const s3Settings = parseSettings({ backend: { type: "s3", bucket: "team-state" } });
let project = "";
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "workshop-migrate-"));
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

const migrate = (stage: string, settings = s3Settings, localStatePath?: string) =>
  migrateState({ stage, settings, projectDir: project, env: { PATH: "/nonexistent" }, localStatePath });

describe("refusals before any terraform runs", () => {
  test("an unknown stage is refused with the stages allowed", async () => {
    await expect(migrate("vpc")).rejects.toThrow(/migrate-state: "vpc" is not a stage; allowed: vpc-only, db, fargate, alb, autoscaling/);
  });

  test("the state stack is refused: its state stays local by design", async () => {
    await expect(migrate("state")).rejects.toThrow(/"state" is not a stage \(the state stack keeps its own state local: it creates the bucket\)/);
  });

  test("local state settings are refused: there is no S3 key to move to", async () => {
    await expect(migrate("db", parseSettings({}))).rejects.toThrow(/backend\.type: "local" leaves nothing to migrate to; set backend\.type to "s3"/);
  });

  test("a stage without a local state file is refused, naming the file looked for", async () => {
    await expect(migrate("alb")).rejects.toThrow(new RegExp(`no local state at ${join(project, "terraform.alb.tfstate")}; nothing to migrate`));
  });

  test("a local file that is not JSON is refused", async () => {
    const path = join(project, "broken.tfstate");
    writeFileSync(path, "{ not json");
    await expect(migrate("db", s3Settings, path)).rejects.toThrow(/broken\.tfstate is not a JSON state file/);
  });

  test("a JSON file that is no Terraform state is refused", async () => {
    const path = join(project, "other.tfstate");
    writeFileSync(path, JSON.stringify({ version: 3, serial: 1 }));
    await expect(migrate("db", s3Settings, path)).rejects.toThrow(/other\.tfstate is not a Terraform state \(format 4/);
  });

  test("every refusal is a UserError, which the command prints without a stack", async () => {
    await expect(migrate("vpc")).rejects.toBeInstanceOf(UserError);
  });
});

describe("when two states are the same", () => {
  const state: StateFile = {
    version: 4,
    serial: 3,
    lineage: "5b1f9a1e-0000-4000-8000-000000000001",
    outputs: { vpc_id: { value: "vpc-1", type: "string" } },
    resources: [
      { mode: "managed", type: "aws_vpc", name: "a", instances: [{ attributes: { id: "vpc-1", cidr_block: "10.0.0.0/16" } }] },
      { mode: "managed", type: "aws_subnet", name: "b", instances: [{ attributes: { id: "subnet-1" } }] },
    ],
  };

  test("the same state, with keys and resources written in another order, is no conflict", () => {
    const reordered = JSON.parse(
      JSON.stringify({ ...state, resources: [...(state.resources ?? [])].reverse() }).replace('"id":"vpc-1","cidr_block":"10.0.0.0/16"', '"cidr_block":"10.0.0.0/16","id":"vpc-1"'),
    ) as StateFile;
    expect(stateConflict(state, reordered)).toBeUndefined();
  });

  test("a changed attribute at the same lineage and serial is a conflict", () => {
    const changed = { ...state, outputs: { vpc_id: { value: "vpc-2", type: "string" } } };
    expect(stateConflict(state, changed)).toMatch(/different resources or outputs/);
  });
});
