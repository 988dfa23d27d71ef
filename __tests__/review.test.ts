/**
 * The review's pure parts, without Terraform: plan JSON fixtures captured from real offline previews
 * (__tests__/fixtures/review/, see its README) in, review out. Small hand-made changes test single rules.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "../src/common/errors";
import { reviewPlan, type Review } from "../src/review";
import { attributeChanges, MASKED, KNOWN_AFTER_APPLY } from "../src/review/changes";
import { cost, HOURS_PER_MONTH, PRICES } from "../src/review/cost";
import { grants, iamChanges } from "../src/review/iam";
import { changeKind, parsePlanJson, readPlanFile, replaceOrder, type PlanJson } from "../src/review/plan";
import {
  buildPriorState,
  directReference,
  plansNoChanges,
  sensitivePaths,
  settle,
} from "../src/review/prior-state";
import { lockedVersion, providerSchema, type ProviderSchema } from "../src/review/provider-schema";
import { commentMarker, renderReview } from "../src/review/render";
import { synthesizeRef } from "../src/review/run";
import { readBaseSettings } from "../src/review/stage-review";
import { parseReviewArguments } from "../src/tools/review";
import { Testing } from "cdktf";
import { parseSettings } from "../src/settings/index";
import { WorkshopStage } from "../src/stages";
import { addresses, stageJson, type TerraformJson } from "./support/synth";
import { change, fixture, fixtures, plan, review, reviewOf } from "./support/review-plans";

const eu = PRICES["eu-west-1"];

describe("counting changes", () => {
  test("a replacement is one replacement, in either order, never also an addition and a destruction", () => {
    expect(changeKind(["delete", "create"])).toBe("replace");
    expect(changeKind(["create", "delete"])).toBe("replace");
    expect(replaceOrder(["delete", "create"])).toBe("destroy-before-create");
    expect(replaceOrder(["create", "delete"])).toBe("create-before-destroy");
    expect(replaceOrder(["update"])).toBeUndefined();
    expect(review("db-username").summary).toEqual({ add: 0, change: 0, destroy: 0, replace: 1 });
  });

  test("sensitive values are masked and unknown ones named, before -> after", () => {
    const c = change("aws_db_instance", { password: "old-secret", port: 5432, address: "db.example" }, { password: "new-secret", port: 5433 }, ["update"], "aws_db_instance.test", {
      after_unknown: { address: true },
      before_sensitive: { password: true },
      after_sensitive: { password: true },
    });
    expect(attributeChanges(c)).toEqual([
      { path: "password", before: MASKED, after: MASKED },
      { path: "port", before: 5432, after: 5433 },
      { path: "address", before: "db.example", after: KNOWN_AFTER_APPLY },
    ]);
    expect(JSON.stringify(reviewOf(plan(c)))).not.toMatch(/secret/);
  });
});

describe("risks, from a captured plan", () => {
  test("the master user's change replaces the database: the replace path, the order, and its data loss first", () => {
    const r = review("db-username");
    const instance = r.changes.find((c) => c.type === "aws_db_instance");
    expect(instance).toMatchObject({ kind: "replace", replacePaths: ["username"], order: "destroy-before-create" });
    // destroy-before-create: the old instance is gone before the new one takes its name, so no collision
    expect(r.risks.map((x) => x.kind)).not.toContain("name-collision");
    const approvals = r.risks.filter((x) => x.severity === "needs-approval");
    expect(approvals.map((x) => x.kind)).toEqual(["data-loss", "downtime"]);
    expect(approvals[0].reason).toMatch(/^replaced \(username "postgres" -> "workshop_admin" cannot change in place\): the database instance workshop-db-postgres and its 20 GiB/);
    expect(approvals[0].reason).toMatch(/no final snapshot is taken/);
    expect(r.exitCode).toBe(3);
    expect(r.verdict).toBe("needs a second look");
  });

  test("a database port open to 0.0.0.0/0 is a new internet path to the database", () => {
    const r = review("db-open");
    expect(r.exposure.before).toEqual([]);
    expect(r.exposure.newInternetPaths).toEqual([
      { from: "0.0.0.0/0", to: "database workshop-db-postgres", port: 5432, via: "aws_vpc_security_group_ingress_rule.test-database-from-anywhere" },
    ]);
    expect(r.risks).toEqual([
      {
        kind: "new-internet-path",
        severity: "needs-approval",
        address: "aws_vpc_security_group_ingress_rule.test-database-from-anywhere",
        reason: "0.0.0.0/0 can newly reach database workshop-db-postgres on port 5432",
      },
    ]);
    expect(r.exitCode).toBe(3);
  });

  test("a replacement that keeps a fixed name with create-before-destroy is a collision: the apply fails, so it blocks", () => {
    const c = change("aws_ecs_service", { name: "my-nginx" }, { name: "my-nginx" }, ["create", "delete"]);
    const r = reviewOf(plan(c));
    expect(r.risks).toEqual([
      expect.objectContaining({ kind: "name-collision", severity: "blocking", reason: expect.stringMatching(/create-before-destroy with the fixed name "my-nginx": AWS refuses a second/) }),
    ]);
    expect(r.exitCode).toBe(3);
  });
});

describe("exposure and the diagram, from the lesson's step from fargate to alb", () => {
  const r = review("alb-from-fargate");

  test("before: the task port is open to the world on the task's public IP; after: only the load balancer is", () => {
    expect(r.exposure.before.map((e) => `${e.from} -> ${e.to} :${e.port}${e.publicIp ? " (public IP)" : ""}`).sort()).toEqual([
      "0.0.0.0/0 -> tasks of service my-nginx :80 (public IP)",
      "tasks of service my-nginx -> database workshop-alb-postgres :5432",
    ]);
    expect(r.exposure.after.filter((e) => e.to.startsWith("tasks")).map((e) => e.from)).toEqual(["load balancer workshop-alb"]);
    // the listener and the rules from 0.0.0.0/0 and ::/0 are one path from the internet
    expect(r.exposure.newInternetPaths).toEqual([
      expect.objectContaining({ from: "internet", to: "load balancer workshop-alb", port: 80, sources: ["internet", "0.0.0.0/0", "::/0"] }),
    ]);
  });

  test("the Mermaid diagram has the VPC, a subgraph per zone, the workloads and an arrow per path", () => {
    expect(r.diagram).toMatch(/^flowchart LR\n/);
    expect(r.diagram).toMatch(/subgraph n_aws_vpc_\w+\["VPC main 10\.0\.0\.0\/16"\]/);
    for (const zone of ["eu-west-1a", "eu-west-1b", "eu-west-1c"]) expect(r.diagram).toContain(`["${zone}"]`);
    expect(r.diagram).toContain('[("database workshop-alb-postgres")]');
    expect(r.diagram.match(/-->\|/g)).toHaveLength(r.exposure.after.length);
    expect(r.diagram).toContain('n_internet -->|"80"| n_load_balancer_workshop_alb');
  });

  test("the markdown starts with the stage's comment marker and lists the risks before the details", () => {
    const markdown = renderReview(r);
    expect(markdown.split("\n")[0]).toBe(commentMarker("alb-from-fargate"));
    expect(markdown.indexOf("### Needs a second look")).toBeLessThan(markdown.indexOf("### Exposure"));
    expect(markdown).toContain("```mermaid\nflowchart LR");
    expect(markdown).not.toMatch(/\u001b\[/);
  });
});

describe("cost", () => {
  test("NAT per zone adds three gateways and three addresses, and the tasks give up their public IP", () => {
    const c = cost(fixture("fargate-nat"));
    const monthly = (hourly: number) => Math.round(hourly * HOURS_PER_MONTH * 100) / 100;
    expect(c.lines.filter((l) => l.item === "NAT gateway").map((l) => l.monthly)).toEqual([1, 2, 3].map(() => monthly(eu.natGatewayHour)));
    expect(c.lines.filter((l) => l.item === "public IPv4: Elastic IP")).toHaveLength(3);
    expect(c.linesBefore.map((l) => l.item)).toContain("public IPv4: 1 task(s) with a public IP");
    expect(c.lines.map((l) => l.item)).not.toContain("public IPv4: 1 task(s) with a public IP");
    expect((c.monthly ?? 0) - (c.monthlyBefore ?? 0)).toBeCloseTo(3 * monthly(eu.natGatewayHour + eu.publicIpv4Hour) - monthly(eu.publicIpv4Hour), 1);
    expect(c).toMatchObject({ currency: "USD", region: "eu-west-1", priceDate: "2026-11-22" });
    expect(c.assumptions.join("\n")).toMatch(/730 hours a month[\s\S]*data transfer[\s\S]*not included[\s\S]*1 LCU/);
  });

  test("tasks that gain a public IP behind an open rule are a new internet path", () => {
    const group = { id: "sg-1", name: "tasks" };
    const rule = { security_group_id: "sg-1", cidr_ipv4: "0.0.0.0/0", ip_protocol: "tcp", from_port: 80, to_port: 80 };
    const network = (publicIp: boolean) => ({ name: "web", network_configuration: [{ assign_public_ip: publicIp, security_groups: ["sg-1"] }] });
    const r = reviewOf(
      plan(
        change("aws_security_group", group, group, ["no-op"]),
        change("aws_vpc_security_group_ingress_rule", rule, rule, ["no-op"]),
        change("aws_ecs_service", network(false), network(true)),
      ),
    );
    expect(r.exposure.newInternetPaths).toEqual([expect.objectContaining({ from: "0.0.0.0/0", to: "tasks of service web", port: 80, publicIp: true })]);
    expect(r.exitCode).toBe(3);
  });

  test("tasks that give up their public IP open no new path, though their rule from 0.0.0.0/0 stays", () => {
    const r = review("fargate-nat");
    const toTasks = (edges: Review["exposure"]["before"]) => edges.filter((e) => e.from === "0.0.0.0/0" && e.to === "tasks of service my-nginx");
    expect(toTasks(r.exposure.before)).toEqual([expect.objectContaining({ port: 80, publicIp: true })]);
    expect(toTasks(r.exposure.after)).toEqual([expect.not.objectContaining({ publicIp: true })]);
    expect(r.exposure.newInternetPaths).toEqual([]);
    expect(r.risks.filter((x) => x.kind === "new-internet-path")).toEqual([]);
  });

  test("a region without prices says so and estimates nothing", () => {
    const c = cost(fixture("fargate-nat"), "sa-east-1");
    expect(c.monthly).toBeNull();
    expect(c.assumptions.join("\n")).toMatch(/no prices for region sa-east-1; the table has eu-west-1, us-east-1, eu-central-1/);
    expect(renderReview(reviewPlan(fixture("fargate-nat"), { stage: "x", source: { kind: "plan-file" }, region: "sa-east-1" }))).toContain(
      "No prices for region sa-east-1.",
    );
  });
});

describe("IAM", () => {
  const policy = (actions: string[]) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }] });

  test("grants are action-on-resource pairs of the Allow statements", () => {
    expect(grants(policy(["ecr:GetAuthorizationToken", "logs:PutLogEvents"]))).toEqual(["ecr:GetAuthorizationToken on *", "logs:PutLogEvents on *"]);
  });

  test("a role's policy that gains an action is broadened; one that loses it withdraws it", () => {
    const role = change("aws_iam_role", { name: "r", id: "r" }, { name: "r", id: "r" }, ["no-op"], "aws_iam_role.r");
    const broader = change("aws_iam_role_policy", { role: "r", policy: policy(["s3:GetObject"]) }, { role: "r", policy: policy(["s3:GetObject", "s3:PutObject"]) });
    expect(iamChanges(plan(role, broader))).toEqual([{ role: "r", granted: ["s3:PutObject on *"], withdrawn: [], unknownAfter: false, existedBefore: true }]);
    const r = reviewOf(plan(role, broader));
    expect(r.risks).toEqual([{ kind: "iam-broadened", severity: "needs-approval", address: "role r", reason: "newly allowed: s3:PutObject on *" }]);
    const narrower = change("aws_iam_role_policy", { role: "r", policy: policy(["s3:GetObject", "s3:PutObject"]) }, { role: "r", policy: policy(["s3:GetObject"]) });
    expect(iamChanges(plan(role, narrower))[0].withdrawn).toEqual(["s3:PutObject on *"]);
  });
});

describe("the prior state, from the vpc-only lesson's plan", () => {
  const basePlan = fixture("vpc-only-base");
  const schema = JSON.parse(readFileSync(join(fixtures, "vpc-only.schema.json"), "utf8")) as ProviderSchema;
  // the same stack, synthesized again: the captured plan's addresses are the stage's construct ids
  const config = stageJson("vpc-only", {}, true);
  const state = buildPriorState({ plan: basePlan, config, schema });
  const resource = (type: string) => state.resources.filter((r) => r.type === type).map((r) => r.instances[0].attributes);

  test("references take the referenced resource's filled value; lists of references too", () => {
    const [vpc] = resource("aws_vpc");
    expect(vpc.id).toMatch(/^vpc-[0-9a-f]+$/);
    expect(resource("aws_subnet").every((s) => s.vpc_id === vpc.id)).toBe(true);
    const subnets = new Set(resource("aws_subnet").map((s) => s.id));
    expect(subnets.size).toBe(6);
    expect(resource("aws_route_table_association").every((a) => subnets.has(a.subnet_id as string))).toBe(true);
  });

  test("planned values stay, every schema attribute is present, and outputs carry the filled values", () => {
    const [vpc] = resource("aws_vpc");
    expect(vpc).toMatchObject({ cidr_block: "10.0.0.0/16", enable_dns_hostnames: true });
    expect(Object.keys(vpc).sort()).toEqual(Object.keys(schema.resources.aws_vpc.block.attributes ?? {}).sort());
    const publicIds = state.outputs.public_subnet_ids.value as string[];
    expect(publicIds).toHaveLength(3);
    expect(publicIds.every((id) => resource("aws_subnet").some((s) => s.id === id && String(s.cidr_block).match(/^10\.0\.[012]\./)))).toBe(true);
    expect(state.outputs.vpc_id).toEqual({ value: vpc.id, type: "string", sensitive: false });
    expect(state.settled).toBe(true);
  });

  test("direct references are told from compound expressions, and sensitive marks become state paths", () => {
    expect(directReference("${aws_vpc.main.id}")).toEqual({ address: "aws_vpc.main", path: ["id"] });
    expect(directReference("${aws_db_instance.db.master_user_secret[0].secret_arn}")).toEqual({ address: "aws_db_instance.db", path: ["master_user_secret", 0, "secret_arn"] });
    expect(directReference("${aws_cloudwatch_log_group.logs.arn}:*")).toBeUndefined();
    expect(directReference('${jsonencode({"a" = aws_iam_role.r.arn})}')).toBeUndefined();
    expect(sensitivePaths({ password: true, tags: {}, list: [false, true] })).toEqual([
      [{ type: "get_attr", value: "password" }],
      [{ type: "get_attr", value: "list" }, { type: "index", value: { value: 1, type: "number" } }],
    ]);
  });
});

describe("settling a prior state with a plan of the base against it", () => {
  test("known values the plan computes replace placeholders; values known only after apply keep the state's", () => {
    // GIVEN the vpc-only prior state, and a plan of the base that computes new tags for the VPC but not its id
    const state = buildPriorState({ plan: fixture("vpc-only-base"), config: stageJson("vpc-only", {}, true), schema: JSON.parse(readFileSync(join(fixtures, "vpc-only.schema.json"), "utf8")) as ProviderSchema });
    const [vpc] = state.resources.filter((r) => r.type === "aws_vpc");
    const address = `aws_vpc.${vpc.name}`;
    const oldId = vpc.instances[0].attributes.id;
    const computed = change("aws_vpc", vpc.instances[0].attributes, { ...vpc.instances[0].attributes, tags: { Name: "settled" }, id: null }, ["update"], address, { after_unknown: { id: true } });
    const settledPlan: PlanJson = { format_version: "1.2", resource_changes: [{ ...computed, name: vpc.name }], output_changes: { vpc_id: { actions: ["update"], after: "vpc-computed" } } };
    // WHEN it is settled
    const settledState = settle(state, settledPlan);
    // THEN the computed value is taken, the unknown keeps the state's, and outputs follow
    const attributes = settledState.resources.find((r) => r.type === "aws_vpc")?.instances[0].attributes;
    expect(attributes).toMatchObject({ tags: { Name: "settled" }, id: oldId });
    expect(settledState.outputs.vpc_id.value).toBe("vpc-computed");
    expect(settledState.serial).toBe(state.serial + 1);
    expect(plansNoChanges(settledPlan)).toBe(false);
    expect(plansNoChanges({ format_version: "1.2", resource_changes: [{ ...computed, change: { ...computed.change, actions: ["no-op"] } }] })).toBe(true);
  });
});

describe("the provider schema cache", () => {
  test("is keyed by the provider version the stack locked, read without running terraform, and only for the types asked", async () => {
    // GIVEN a stack folder that locked aws 5.100.0 and a cache holding that version's schemas, a file per type
    const dir = mkdtempSync(join(tmpdir(), "schema-cache-"));
    try {
      writeFileSync(join(dir, ".terraform.lock.hcl"), 'provider "registry.terraform.io/hashicorp/aws" {\n  version = "5.100.0"\n}\n');
      const all = (JSON.parse(readFileSync(join(fixtures, "vpc-only.schema.json"), "utf8")) as ProviderSchema).resources;
      mkdirSync(join(dir, "aws-5.100.0"));
      for (const [type, schema] of Object.entries(all)) writeFileSync(join(dir, "aws-5.100.0", `${type}.json`), JSON.stringify(schema));
      writeFileSync(join(dir, "aws-5.100.0", "complete"), "");
      // WHEN the schemas of two types, one the provider does not have and a path are asked for, with no terraform on PATH
      writeFileSync(join(dir, "elsewhere.json"), JSON.stringify(all.aws_vpc));
      const schema = await providerSchema(dir, { PATH: "" }, dir, ["aws_vpc", "aws_subnet", "aws_vpc", "aws_nothing", "../elsewhere"]);
      // THEN they come from the cache: those two, as kept
      expect(schema.version).toBe("5.100.0");
      expect(schema.resources).toEqual({ aws_vpc: all.aws_vpc, aws_subnet: all.aws_subnet });
      expect(lockedVersion(dir)).toBe("5.100.0");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the provider schema cache, made", () => {
  test("terraform providers schema -json runs once: each type is kept in a file of its own, and the next review reads them", async () => {
    // GIVEN a stack folder that requires aws 5.100.0, and a terraform that prints a schema of two types
    const dir = mkdtempSync(join(tmpdir(), "schema-made-"));
    try {
      writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify({ terraform: { required_providers: { aws: { source: "aws", version: "5.100.0" } } } }));
      const resourceSchemas = { aws_vpc: { version: 1, block: { attributes: { id: { type: "string", computed: true } } } }, aws_subnet: { version: 0, block: {} } };
      const printed = JSON.stringify({ provider_schemas: { "registry.terraform.io/hashicorp/aws": { resource_schemas: resourceSchemas } } });
      mkdirSync(join(dir, "bin"));
      writeFileSync(join(dir, "bin", "terraform"), `#!/bin/sh\ncat <<'EOF'\n${printed}\nEOF\n`, { mode: 0o755 });
      const cache = join(dir, "cache");
      // WHEN a review asks for one type
      const made = await providerSchema(dir, { PATH: `${join(dir, "bin")}:/usr/bin:/bin` }, cache, ["aws_vpc"]);
      // THEN it gets that type, and every type is kept, with the folder marked whole
      expect(made.resources).toEqual({ aws_vpc: resourceSchemas.aws_vpc });
      expect(readdirSync(join(cache, "aws-5.100.0")).sort()).toEqual(["aws_subnet.json", "aws_vpc.json", "complete"]);
      // AND the next one reads the kept files, with no terraform at all
      expect((await providerSchema(dir, { PATH: "" }, cache, ["aws_subnet"])).resources).toEqual({ aws_subnet: resourceSchemas.aws_subnet });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("errors a user can fix", () => {
  test.each([
    [["nope"], /stage: nope is not a stage; allowed: vpc-only, db, fargate, alb, autoscaling/],
    [[], /name at least one stage/],
    [["db", "--frobnicate"], /--frobnicate: unknown option; allowed: --offline, --plan, --base/],
    [["db", "--out"], /--out needs a value/],
    [["alb", "--base", "main", "--base-stage", "fargate"], /--base and --base-stage: give one base, not 2/],
    [["fargate", "--base-stage", "fargate"], /--base-stage: "fargate" is the stage under review; name an earlier lesson \(the step forward\) or a later one \(a teardown\)/],
    [["db", "--base-stage", "nope"], /--base-stage: "nope" is not a stage/],
    [["a", "b", "--plan", "p.json"], /--plan reviews one plan; give at most one label, not 2/],
    [["--plan", "p.json", "--offline"], /--plan reviews a finished plan; it does not combine with --offline/],
    [["db", "--region", "us-east-1"], /--region prices a --plan made elsewhere; a stage's own region comes from its settings/],
  ])("review %j is refused", (argv, message) => {
    expect(() => parseReviewArguments(argv)).toThrow(message);
    expect(() => parseReviewArguments(argv)).toThrow(UserError);
  });

  test("--base with something that is not a commit is refused before anything runs", () => {
    expect(() => synthesizeRef(join(__dirname, ".."), "no-such-ref-7f3a", join(tmpdir(), "unused"), process.env)).toThrow(
      /--base: "no-such-ref-7f3a" is not a commit of this repository; give a branch, tag or commit/,
    );
  });

  test("--base-settings that cannot be read, is not JSON, or holds bad settings is refused", () => {
    const dir = mkdtempSync(join(tmpdir(), "base-settings-"));
    try {
      expect(() => readBaseSettings(join(dir, "none.json"))).toThrow(/--base-settings: ".*none\.json" cannot be read \(ENOENT\); name a JSON settings file/);
      writeFileSync(join(dir, "bad.json"), "{ nope");
      expect(() => readBaseSettings(join(dir, "bad.json"))).toThrow(/--base-settings: ".*bad\.json" is not valid JSON/);
      writeFileSync(join(dir, "wrong.json"), '{"network": {"cidr": "10.0.0.0/8"}}');
      expect(() => readBaseSettings(join(dir, "wrong.json"))).toThrow(/Invalid base settings in .*wrong\.json:\n.*network\.cidr: "10\.0\.0\.0\/8" has a \/8 mask/);
      writeFileSync(join(dir, "good.json"), '{"database": {"instanceClass": "db.t3.micro"}}');
      expect(readBaseSettings(join(dir, "good.json")).database.instanceClass).toBe("db.t3.micro");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a plan with a resource type the schema lacks is a bug to report, named by type and address", () => {
    const schema = JSON.parse(readFileSync(join(fixtures, "vpc-only.schema.json"), "utf8")) as ProviderSchema;
    expect(() => buildPriorState({ plan: fixture("db-username"), config: {}, schema })).toThrow(
      /the provider schema has no resource type aws_db_(instance|subnet_group) \(aws_db_/,
    );
  });

  test("good arguments parse", () => {
    expect(parseReviewArguments(["--plan", "p.json", "--region", "us-east-1"])).toMatchObject({ plan: "p.json", label: "plan", region: "us-east-1" });
    expect(parseReviewArguments(["alb", "--base-stage", "fargate", "--out", "x"])).toMatchObject({ stages: ["alb"], baseStage: "fargate", out: "x", offline: false, accept: [] });
    // a later stage as the base reviews a teardown to the earlier lesson
    expect(parseReviewArguments(["vpc-only", "--base-stage", "db", "--accept", "data-loss,downtime"])).toMatchObject({ stages: ["vpc-only"], baseStage: "db", accept: ["data-loss", "downtime"] });
    expect(parseReviewArguments(["--plan", "p.json", "--accept", "cost"])).toMatchObject({ plan: "p.json", accept: ["cost"] });
  });

  test("a plan file that is missing, not JSON, or not a plan is refused with what to give", () => {
    expect(() => readPlanFile(join(fixtures, "missing.json"))).toThrow(/--plan: ".*missing\.json" cannot be read \(ENOENT\); give the output of terraform show -json/);
    expect(() => parsePlanJson("{", "--plan: \"x\"")).toThrow(/--plan: "x" is not JSON/);
    expect(() => parsePlanJson('{"values": {}}', "--plan: \"x\"")).toThrow(/is not a Terraform plan in JSON \(no format_version 1\.x\)/);
  });
});

describe("npm run review, the command", () => {
  // as package.json's "review" script runs it: with the project's loader, which transpiles each file once
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, ["--require", "./src/register.js", "src/tools/review.ts", ...args], {
      cwd: join(__dirname, ".."),
      encoding: "utf8",
      env: { ...process.env, FORCE_COLOR: "1", ...env },
    });

  test("--plan reviews a plan made elsewhere: plan JSON, review.json and review.md, a line on stdout, exit code 3 for data loss", () => {
    const out = mkdtempSync(join(tmpdir(), "review-cli-"));
    try {
      const result = run(["--plan", join(fixtures, "db-username.plan.json"), "db", "--out", out]);
      expect(result.status).toBe(3);
      expect(result.stdout).toMatch(/^db: needs a second look; review in /);
      expect(result.stdout + result.stderr).not.toMatch(/\u001b\[/);
      expect(readdirSync(out).sort()).toEqual(["plan.json", "review.json", "review.md"]);
      const written = JSON.parse(readFileSync(join(out, "review.json"), "utf8")) as Review;
      expect(written).toMatchObject({ stage: "db", summary: { replace: 1 }, exitCode: 3 });
      expect(written.risks.filter((r) => r.severity !== "blocking")[0].kind).toBe("data-loss");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test("--accept data-loss,downtime: the same plan's risks are shown as accepted, and the exit code is 0", () => {
    const out = mkdtempSync(join(tmpdir(), "review-cli-"));
    try {
      // GIVEN the teardown from db to vpc-only: the database is destroyed (data loss, downtime)
      const result = run(["--plan", join(fixtures, "vpc-only-from-db.plan.json"), "teardown", "--out", out, "--accept", "data-loss,downtime"]);
      // THEN every risk is accepted and nothing needs a second look
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/^teardown: ok; review in /);
      const written = JSON.parse(readFileSync(join(out, "review.json"), "utf8")) as Review;
      expect(written.accepted).toEqual(["data-loss", "downtime"]);
      expect(written.risks.length).toBeGreaterThan(0);
      expect(written.risks.every((r) => r.accepted === true)).toBe(true);
      expect(readFileSync(join(out, "review.md"), "utf8")).toContain("**data-loss** (needs-approval, accepted)");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test("a Terraform run that fails is one clear error block, no Node stack trace, exit code 1", () => {
    // GIVEN a terraform on PATH that fails every command, as a broken provider would
    const bin = mkdtempSync(join(tmpdir(), "fake-terraform-"));
    try {
      writeFileSync(join(bin, "terraform"), "#!/bin/sh\necho 'Error: reading EC2 Instance: operation error EC2: DescribeTags' >&2\nexit 1\n", { mode: 0o755 });
      // WHEN a stage is reviewed offline
      const result = run(["vpc-only", "--offline"], { PATH: `${bin}:${process.env.PATH}` });
      // THEN it says which command failed where, in Terraform's words, once
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/(^|\n)review failed: terraform init .*failed in .*vpc-only:\nError: reading EC2 Instance: operation error EC2: DescribeTags\n?$/);
      expect(result.stderr.match(/review failed/g)).toHaveLength(1);
      expect(result.stderr).not.toMatch(/^\s+at /m);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  test("a mistake exits 1 with the message alone, no stack", () => {
    const result = run(["nope"]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe("stage: nope is not a stage; allowed: vpc-only, db, fargate, alb, autoscaling");
  });
});

describe("a lesson under another stage's names (--base-stage)", () => {
  test("alb built as the fargate lesson has fargate's resources, alb's names and tags, and no load balancer", () => {
    // GIVEN the alb stage with the fargate lesson
    const app = Testing.app();
    const json = JSON.parse(Testing.synth(new WorkshopStage(app, "alb", { settings: parseSettings({}), lesson: "fargate" }))) as TerraformJson;
    // THEN it holds exactly fargate's addresses, named and tagged as alb
    expect(addresses(json).sort()).toEqual(addresses(stageJson("fargate")).sort());
    expect(Object.values(json.resource.aws_ecs_cluster)[0].name).toBe("workshop-alb");
    expect(JSON.stringify(json.provider.aws)).toContain('"stage":"alb"');
  });
});
