/**
 * The risk model, without Terraform: in-place changes AWS refuses, serves with an outage, defers or needs a
 * companion for (aws-facts.ts); stacks the state cannot follow to another region or account; network resources
 * destroyed under resources that are kept; severities, --accept, the verdict and the exit code. Plans captured
 * from real offline previews (__tests__/fixtures/review/, see its README) and small hand-made changes.
 */
import type { Review } from "../src/review";
import { PRICES } from "../src/review/cost";
import { majorVersion } from "../src/review/in-place";
import { ACCEPTABLE_KINDS, RISK_KINDS, type RiskKind } from "../src/review/kinds";
import { locationOf, partitionOf } from "../src/review/moves";
import type { PlanJson } from "../src/review/plan";
import { renderReview } from "../src/review/render";
import { parseAccept } from "../src/tools/review";
import { change, fixture, plan, reviewOf } from "./support/review-plans";

const kinds = (r: Review) => r.risks.map((x) => x.kind);

/** The lesson's database as the plan shows it, with `after` changed. */
const DB = { identifier: "workshop-db-postgres", engine: "postgres", engine_version: "17", instance_class: "db.t4g.micro", allocated_storage: 20, storage_type: "gp3", multi_az: false, port: 5432, iops: 3000 };
const database = (after: Record<string, unknown>, before: Record<string, unknown> = {}) =>
  reviewOf(plan(change("aws_db_instance", { ...DB, ...before }, { ...DB, ...before, apply_immediately: true, ...after })));

describe("every kind has a severity, and the verdict and the exit code agree", () => {
  test("kinds are listed most serious first, in review.json too; blocking kinds cannot be accepted", () => {
    const severities = RISK_KINDS.map((k) => k.severity);
    expect(severities).toEqual([...severities].sort((a, b) => ["blocking", "needs-approval", "info"].indexOf(a) - ["blocking", "needs-approval", "info"].indexOf(b)));
    expect(RISK_KINDS.filter((k) => k.severity === "blocking").map((k) => k.kind)).toEqual(["orphaned-stack", "blocked-apply", "refused", "name-collision"]);
    expect(ACCEPTABLE_KINDS).toEqual(expect.arrayContaining(["downtime", "data-loss", "cost"]));
    expect(reviewOf(plan()).riskKinds).toEqual(RISK_KINDS.map(({ kind, severity }) => ({ kind, severity })));
  });

  test("an outage in place needs a second look: downtime, exit code 3", () => {
    const r = database({ instance_class: "db.t3.micro" });
    expect(r.risks).toEqual([expect.objectContaining({ kind: "downtime", severity: "needs-approval", address: "aws_db_instance.test" })]);
    expect(r.verdict).toBe("needs a second look");
    expect(r.exitCode).toBe(3);
  });

  test("--accept downtime: the risk stays, marked accepted, and the review is ok with exit code 0", () => {
    const r = reviewOf(plan(change("aws_db_instance", DB, { ...DB, apply_immediately: true, instance_class: "db.t3.micro" })), ["downtime"]);
    expect(r.risks).toEqual([expect.objectContaining({ kind: "downtime", accepted: true })]);
    expect(r.accepted).toEqual(["downtime"]);
    expect([r.verdict, r.exitCode]).toEqual(["ok", 0]);
    expect(renderReview(r)).toContain("**downtime** (needs-approval, accepted)");
  });

  test("a blocking risk is never accepted, whatever --accept says", () => {
    const r = reviewOf(plan(change("aws_db_instance", DB, { ...DB, allocated_storage: 10 })), ["refused" as RiskKind]);
    expect(r.risks[0]).toMatchObject({ kind: "refused", severity: "blocking" });
    expect(r.risks[0].accepted).toBeUndefined();
    expect(r.exitCode).toBe(3);
  });

  test("info alone (a deferred change without an outage) is shown, and the review is ok", () => {
    const r = reviewOf(plan(change("aws_db_instance", DB, { ...DB, multi_az: true })));
    expect(kinds(r)).toEqual(["deferred"]);
    expect([r.verdict, r.exitCode]).toEqual(["ok", 0]);
  });

  test("--accept takes kinds separated by commas, and refuses unknown and blocking ones with what it takes", () => {
    expect(parseAccept("downtime, cost,downtime")).toEqual(["downtime", "cost"]);
    expect(parseAccept(undefined)).toEqual([]);
    expect(() => parseAccept("downtime,costs")).toThrow(/--accept: "costs" is not a risk kind; kinds it takes: data-loss, new-internet-path, downtime/);
    expect(() => parseAccept("blocked-apply")).toThrow(/--accept: "blocked-apply" is blocking \(.*\) and cannot be accepted/);
    expect(() => parseAccept(",")).toThrow(/--accept needs kinds separated by commas/);
  });
});

describe("the database changed in place (aws_db_instance)", () => {
  test("instance class: an outage during the apply when apply_immediately is true, nothing deferred", () => {
    const r = database({ instance_class: "db.t3.micro" });
    expect(r.risks[0].reason).toMatch(/instance_class "db\.t4g\.micro" -> "db\.t3\.micro": RDS moves the instance to a host of the new class and restarts it: no connections for typically a few minutes \(AWS publishes no figure\)$/);
  });

  test("instance class of a Multi-AZ instance: a failover, shorter", () => {
    const r = database({ instance_class: "db.t3.micro" }, { multi_az: true });
    expect(r.risks[0].reason).toMatch(/fails over to it: no connections for typically 1 to 2 minutes$/);
  });

  test("without apply_immediately the outage waits for the maintenance window, and every plan shows the change again", () => {
    const r = reviewOf(plan(change("aws_db_instance", DB, { ...DB, instance_class: "db.t3.micro", apply_immediately: null })));
    expect(kinds(r)).toEqual(["downtime", "deferred"]);
    expect(r.risks[0].reason).toMatch(/, in the next maintenance window$/);
    expect(r.risks[1].reason).toMatch(/apply_immediately is not true, so RDS applies instance_class in the next maintenance window \(one AWS picks.*every plan shows the same change again/);
  });

  test("storage decrease: AWS refuses it (blocking), and the lower cost is no saving the review lets pass", () => {
    const r = database({ allocated_storage: 15 }, { allocated_storage: 30 });
    expect(r.risks).toEqual([
      expect.objectContaining({ kind: "refused", severity: "blocking", reason: expect.stringMatching(/allocated_storage 30 -> 15: RDS can only increase allocated storage/) }),
    ]);
    expect(r.exitCode).toBe(3);
    expect(kinds(database({ allocated_storage: 40 }, { allocated_storage: 30 }))).toEqual([]);
    expect(database({ allocated_storage: 32 }, { allocated_storage: 30 }).risks[0].reason).toMatch(/allocated_storage 30 -> 32: RDS takes an increase of at least 10 %/);
  });

  test("storage type: between SSD types no outage; from or to magnetic a brief one", () => {
    expect(kinds(database({ storage_type: "gp2" }))).toEqual([]);
    expect(database({ storage_type: "standard" }).risks[0]).toMatchObject({ kind: "downtime", reason: expect.stringMatching(/migration from or to magnetic storage/) });
  });

  test("a DB subnet group in the same VPC is refused; in another VPC it is an outage", () => {
    const group = (name: string, vpc: string) => change("aws_db_subnet_group", { name, vpc_id: vpc }, { name, vpc_id: vpc }, ["no-op"], `aws_db_subnet_group.${name}`);
    const move = (to: string) => change("aws_db_instance", { ...DB, db_subnet_group_name: "a" }, { ...DB, db_subnet_group_name: to, apply_immediately: true });
    expect(reviewOf(plan(group("a", "vpc-1"), group("b", "vpc-1"), move("b"))).risks[0].reason).toMatch(/db_subnet_group_name "a" -> "b": RDS moves an instance only to a DB subnet group in another VPC/);
    expect(reviewOf(plan(group("a", "vpc-1"), group("c", "vpc-2"), move("c"))).risks[0]).toMatchObject({ kind: "downtime", reason: expect.stringMatching(/into the new VPC's subnets/) });
  });

  test("engine: a downgrade and a major without allow_major_version_upgrade are refused; a major with it is a long outage", () => {
    expect(database({ engine_version: "16" }).risks[0].reason).toMatch(/engine_version "17" -> "16": RDS never downgrades an engine/);
    expect(database({ engine_version: "17.2" }, { engine_version: "17.4" }).risks[0].kind).toBe("refused");
    const major = database({ engine_version: "18" });
    expect(major.risks[0]).toMatchObject({ kind: "refused", reason: expect.stringMatching(/only with allow_major_version_upgrade = true/) });
    const allowed = database({ engine_version: "18", allow_major_version_upgrade: true });
    expect(allowed.risks).toEqual([expect.objectContaining({ kind: "downtime", reason: expect.stringMatching(/snapshots the instance, upgrades the engine.*10 to 30 minutes/) })]);
    expect(database({ engine_version: "17.4" }, { engine_version: "17.2" }).risks[0].reason).toMatch(/RDS upgrades the engine and restarts it \(both zones at once, Multi-AZ or not\)/);
  });

  test("majors: PostgreSQL 10 and later count one number, older PostgreSQL and MySQL two", () => {
    expect(["17.4", "9.6.22"].map((v) => majorVersion("postgres", v))).toEqual(["17", "9.6"]);
    expect(majorVersion("mysql", "8.0.35")).toBe("8.0");
  });

  test("IOPS on gp3 below 400 GiB is refused; the port reboots at once, whatever apply_immediately says", () => {
    expect(database({ iops: 12000 }).risks[0]).toMatchObject({ kind: "refused", reason: expect.stringMatching(/gp3 storage below 400 GiB/) });
    expect(kinds(database({ iops: 12000 }, { allocated_storage: 400 }))).toEqual([]);
    const port = reviewOf(plan(change("aws_db_instance", DB, { ...DB, port: 5433 })));
    expect(kinds(port)).toEqual(["downtime"]);
    expect(port.risks[0].reason).toMatch(/RDS reboots the instance at once, whatever apply_immediately says/);
  });

  test("a new parameter group needs a reboot Terraform does not make", () => {
    expect(database({ parameter_group_name: "custom-17" }, { parameter_group_name: "default.postgres17" }).risks).toEqual([
      expect.objectContaining({ kind: "needs-companion", reason: expect.stringMatching(/needs a reboot.*pending-reboot/) }),
    ]);
  });
});

describe("the database changed in place, from captured previews", () => {
  test("from PostgreSQL 16, 30 GiB and db.t3.micro to the lesson's 17, 20 GiB and db.t4g.micro: two refusals, an outage, deferred", () => {
    const r = reviewOf(fixture("db-storage-and-major"));
    const address = "aws_db_instance.database_instance_D7FC2283";
    expect(r.risks.filter((x) => x.address === address).map((x) => x.kind)).toEqual(["refused", "downtime", "deferred"]);
    expect(r.risks[0].reason).toMatch(/allocated_storage 30 -> 20: RDS can only increase.*engine_version "16" -> "17": RDS upgrades a major version only with allow_major_version_upgrade = true/);
    // the smaller volume prices lower, but the refusal says it never happens
    expect(r.cost.monthly ?? 0).toBeLessThan(r.cost.monthlyBefore ?? 0);
    expect(r.risks.find((x) => x.kind === "deferred")?.reason).toMatch(/applies instance_class in the next maintenance window \(one AWS picks/);
    expect(r.exitCode).toBe(3);
  });

  test("to 16.4 on port 5433, Multi-AZ: the downgrade is refused, the port reboots now, Multi-AZ waits and costs", () => {
    const r = reviewOf(fixture("db-downgrade-port-multi-az"));
    expect(kinds(r)).toEqual(["refused", "downtime", "cost", "deferred"]);
    expect(r.risks[0].reason).toMatch(/engine_version "17" -> "16\.4": RDS never downgrades an engine/);
    expect(r.risks[1].reason).toMatch(/port 5432 -> 5433: RDS reboots the instance at once/);
    expect(r.risks[3].reason).toMatch(/applies multi_az in the next maintenance window/);
  });
});

describe("instances, Auto Scaling groups, load balancers and ECS services changed in place", () => {
  const instance = { instance_type: "t3.micro", user_data: "a", user_data_replace_on_change: false };

  test("an instance's type: stop and start; to another processor architecture: refused", () => {
    const bigger = reviewOf(plan(change("aws_instance", instance, { ...instance, instance_type: "t3.small" })));
    expect(bigger.risks).toEqual([expect.objectContaining({ kind: "downtime", reason: expect.stringMatching(/EC2 stops the instance, changes its type and starts it/) })]);
    const arm = reviewOf(plan(change("aws_instance", instance, { ...instance, instance_type: "t4g.micro" })));
    expect(arm.risks).toEqual([expect.objectContaining({ kind: "refused", reason: expect.stringMatching(/arm64 \(Graviton\) image cannot start on an x86_64 type/) })]);
    // (a1, the first Graviton, is arm64 too: to t4g is a stop and start)
    const graviton = { ...instance, instance_type: "a1.large" };
    expect(kinds(reviewOf(plan(change("aws_instance", graviton, { ...graviton, instance_type: "t4g.large" }))))).toEqual(["downtime"]);
  });

  test("an instance's user data without user_data_replace_on_change: stop and start, and the new script never runs", () => {
    const r = reviewOf(plan(change("aws_instance", instance, { ...instance, user_data: "b" })));
    expect(kinds(r)).toEqual(["downtime", "needs-companion"]);
    expect(r.risks[1].reason).toMatch(/user_data_replace_on_change = true: the new script runs only at an instance's first boot/);
  });

  test("an Auto Scaling group: scaling in stops tasks; a new launch template reaches running instances only with a refresh", () => {
    const group = { desired_capacity: 2, max_size: 4, launch_template: [{ id: "lt-1", version: "1" }], instance_refresh: [] };
    expect(kinds(reviewOf(plan(change("aws_autoscaling_group", group, { ...group, desired_capacity: 1 }))))).toEqual(["downtime"]);
    expect(kinds(reviewOf(plan(change("aws_autoscaling_group", group, { ...group, desired_capacity: 3 }))))).toEqual([]);
    const protectedGroup = { ...group, protect_from_scale_in: true };
    expect(kinds(reviewOf(plan(change("aws_autoscaling_group", protectedGroup, { ...protectedGroup, desired_capacity: 1 }))))).toEqual([]);
    const template = { ...group, launch_template: [{ id: "lt-1", version: "2" }] };
    expect(kinds(reviewOf(plan(change("aws_autoscaling_group", group, template))))).toEqual(["needs-companion"]);
    expect(kinds(reviewOf(plan(change("aws_autoscaling_group", group, { ...template, instance_refresh: [{ strategy: "Rolling" }] }))))).toEqual([]);
  });

  test("a new launch template version reaches no running instance of a group on $Latest; a template no group uses: no risk", () => {
    const template = change("aws_launch_template", { id: "lt-1", instance_type: "t3.small" }, { id: "lt-1", instance_type: "t3.medium" }, ["update"], "aws_launch_template.ecs");
    const group = { launch_template: [{ id: "lt-1", version: "$Latest" }], protect_from_scale_in: true };
    const r = reviewOf(plan(template, change("aws_autoscaling_group", group, group, ["no-op"], "aws_autoscaling_group.ecs")));
    expect(r.risks).toEqual([
      expect.objectContaining({ kind: "needs-companion", address: "aws_launch_template.ecs", reason: expect.stringMatching(/instance_type "t3\.small" -> "t3\.medium".*running instances keep the old one/) }),
    ]);
    expect(kinds(reviewOf(plan(template)))).toEqual([]);
  });

  test("a service's network: a new deployment, an outage only when no healthy minimum is kept; load balancer subnets: no risk", () => {
    const service = (minimum: number, subnets: string[]) => ({ deployment_minimum_healthy_percent: minimum, network_configuration: [{ subnets }] });
    expect(kinds(reviewOf(plan(change("aws_ecs_service", service(100, ["a"]), service(100, ["b"])))))).toEqual([]);
    expect(kinds(reviewOf(plan(change("aws_ecs_service", service(0, ["a"]), service(0, ["b"])))))).toEqual(["downtime"]);
    // the fargate lesson browses to a task's public IP: a new deployment takes that address away
    const publicTasks = { deployment_minimum_healthy_percent: 100, network_configuration: [{ subnets: ["a"], assign_public_ip: true }] };
    const moved = reviewOf(plan(change("aws_ecs_service", publicTasks, { ...publicTasks, network_configuration: [{ subnets: ["b"], assign_public_ip: true }] })));
    expect(moved.risks).toEqual([expect.objectContaining({ kind: "downtime", reason: expect.stringMatching(/the tasks' public IP addresses change/) })]);
    expect(kinds(reviewOf(plan(change("aws_lb", { subnets: ["a", "b"] }, { subnets: ["a", "c"] }))))).toEqual([]);
  });
});

describe("moves the state cannot follow", () => {
  test("ARNs and zones say where a resource lives; a global service's ARN names no region", () => {
    expect(locationOf({ arn: "arn:aws:rds:eu-west-1:111122223333:db:x" })).toEqual({ partition: "aws", region: "eu-west-1", account: "111122223333" });
    expect(locationOf({ arn: "arn:aws:iam::111122223333:role/x" })).toEqual({ partition: "aws", account: "111122223333" });
    expect(locationOf({ availability_zone: "eu-west-1b", arn: null })).toEqual({ region: "eu-west-1" });
    expect(locationOf({ availability_zone: "availability_zone-0a1b" })).toEqual({});
    expect([partitionOf("cn-north-1"), partitionOf("us-gov-west-1"), partitionOf("eu-west-1")]).toEqual(["aws-cn", "aws-us-gov", "aws"]);
  });

  test("region changed on db (captured preview): a blocking orphaned stack, the data left behind, before priced where it ran", () => {
    const r = reviewOf(fixture("db-region"));
    expect(r.risks[0]).toMatchObject({ kind: "orphaned-stack", severity: "blocking" });
    expect(r.risks[0].reason).toMatch(/provider now targets, eu-central-1: 26 in eu-west-1 \(aws_db_instance\.database_instance_D7FC2283, aws_vpc\./);
    expect(r.risks[0].reason).toMatch(/keeps running and billing in eu-west-1.*the database workshop-db-postgres and its data stay behind.*destroy the stage first/);
    // the preview's changes compare with resources a real plan no longer sees: no risks from them
    expect(kinds(r)).toEqual(["orphaned-stack", "cost"]);
    expect(r.cost).toMatchObject({ region: "eu-central-1", regionBefore: "eu-west-1" });
    const beforeDb = r.cost.linesBefore.find((l) => l.item.startsWith("RDS PostgreSQL"));
    expect(beforeDb?.monthly).toBeCloseTo(PRICES["eu-west-1"].postgresHour["db.t4g.micro"] * 730, 1);
    expect(r.risks[1].reason).toMatch(/while the old stack runs beside the new one/);
    expect(r.exitCode).toBe(3);
  });

  test("a real plan finds the old resources gone (resource_drift) and only creates: still the orphaned stack", () => {
    const old = { ...change("aws_vpc", { id: "vpc-1", arn: "arn:aws:ec2:eu-west-1:111122223333:vpc/vpc-1" }, null, ["delete"], "aws_vpc.main") };
    const p: PlanJson = {
      ...plan(change("aws_vpc", null, { cidr_block: "10.0.0.0/16" }, ["create"], "aws_vpc.main")),
      resource_drift: [old],
      configuration: { provider_config: { aws: { name: "aws", expressions: { region: { constant_value: "eu-central-1" } } } } },
    };
    expect(kinds(reviewOf(p))).toEqual(["orphaned-stack"]);
  });

  test("an account the provider is not allowed to use is a move too; the same region and account is none", () => {
    const p = (accounts: string[]): PlanJson => ({
      ...plan(change("aws_vpc", { id: "vpc-1", arn: "arn:aws:ec2:eu-west-1:111122223333:vpc/vpc-1" }, { id: "vpc-1" }, ["no-op"])),
      configuration: { provider_config: { aws: { name: "aws", expressions: { region: { constant_value: "eu-west-1" }, allowed_account_ids: { constant_value: accounts } } } } },
    });
    expect(reviewOf(p(["444455556666"])).risks[0].reason).toMatch(/1 in account 111122223333/);
    expect(kinds(reviewOf(p(["111122223333"])))).toEqual([]);
  });
});

describe("applies that stall on network resources still in use", () => {
  const group = { id: "sg-1", name: "tasks", arn: "arn:aws:ec2:eu-west-1:111122223333:security-group/sg-1" };
  const service = (groups: string[]) => ({ name: "web", network_configuration: [{ security_groups: groups, subnets: ["subnet-1"] }] });

  test("a security group destroyed first while the service is only updated to the new one: blocked, naming the service", () => {
    const r = reviewOf(
      plan(
        change("aws_security_group", group, { ...group, id: null }, ["delete", "create"], "aws_security_group.tasks"),
        change("aws_ecs_service", service(["sg-1"]), service(["sg-2"]), ["update"], "aws_ecs_service.web"),
      ),
    );
    const blocked = r.risks.find((x) => x.kind === "blocked-apply");
    expect(blocked).toMatchObject({ severity: "blocking", address: "aws_ecs_service.web" });
    expect(blocked?.reason).toMatch(/running tasks keep their network interfaces in aws_security_group\.tasks \(replaced destroy-before-create\).*retried for 15 minutes.*half destroyed/);
  });

  test("created first, the group is destroyed after the service moved: not blocked", () => {
    const r = reviewOf(
      plan(
        change("aws_security_group", group, { ...group, id: null }, ["create", "delete"], "aws_security_group.tasks"),
        change("aws_ecs_service", service(["sg-1"]), service(["sg-2"]), ["update"], "aws_ecs_service.web"),
      ),
    );
    expect(kinds(r)).not.toContain("blocked-apply");
  });

  test("VPC CIDR changed on db (captured preview): the database blocks the apply, and RDS cannot follow to the new VPC", () => {
    const r = reviewOf(fixture("db-cidr"));
    const blocked = r.risks.filter((x) => x.kind === "blocked-apply");
    expect(blocked.map((x) => x.address)).toEqual(["aws_db_instance.database_instance_D7FC2283"]);
    expect(blocked[0].reason).toMatch(/the database's network interface stays in aws_security_group\.database_security-group_\w+ \(replaced destroy-before-create\), aws_subnet\.network_private-subnet-a_\w+/);
    expect(blocked[0].reason).toMatch(/RDS cannot move a DB instance to another VPC in place/);
    expect(r.exitCode).toBe(3);
  });
});

describe("both directions: a teardown to an earlier lesson", () => {
  const r = reviewOf(fixture("vpc-only-from-db"));

  test("vpc-only against db (captured preview): the database's data loss first, and no replacement is promised", () => {
    expect(r.risks[0]).toMatchObject({ kind: "data-loss", address: "aws_db_instance.database_instance_D7FC2283" });
    const down = r.risks.find((x) => x.kind === "downtime" && x.address.startsWith("aws_db_instance."));
    expect(down?.reason).toBe("destroyed, and nothing in this plan replaces it: the database accepts no connections");
    expect(JSON.stringify(r.risks)).not.toMatch(/until the new/);
    expect(r.exitCode).toBe(3);
  });

  test("a team that expects it accepts data-loss and downtime: exit code 0", () => {
    const accepted = reviewOf(fixture("vpc-only-from-db"), ["data-loss", "downtime"]);
    expect(accepted.risks.every((x) => x.accepted)).toBe(true);
    expect(accepted.exitCode).toBe(0);
  });
});
