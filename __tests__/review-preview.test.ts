/**
 * Offline previews with real Terraform: each head is planned against a prior state built from the lesson's
 * own plan, and the review says what the change updates, replaces, exposes and costs.
 */
import { ANYWHERE_IPV4, allowIngress } from "../src/constructs/security-group";
import { renderReview } from "../src/review/render";
import { HOURS_PER_MONTH, PRICES } from "../src/review/cost";
import type { Review } from "../src/review";
import type { PriorState } from "../src/review/run";
import { describeWithTerraform } from "./support/terraform";
import { changeOf, lessonPriorOf, priorStateOf, reviewContext, reviewHead, source } from "./support/review";

jest.setTimeout(600_000);

describeWithTerraform("review: offline previews against a prior state", () => {
  const ctx = reviewContext();
  const reviews: Record<string, Review> = {};
  const priors: Record<string, PriorState> = {};
  const eu = PRICES["eu-west-1"];

  beforeAll(async () => {
    // GIVEN prior states of db, fargate and alb built from the lesson's own plans (shared by every scenario)
    const [db, fargate, alb]: PriorState[] = await Promise.all((["db", "fargate", "alb"] as const).map((stage) => lessonPriorOf(stage, ctx)));
    // WHEN each head is planned against them, all at once
    const heads = {
      instanceClass: reviewHead(ctx, "db", source({ database: { instanceClass: "db.t3.micro" } }), db, "instance-class"),
      username: reviewHead(ctx, "db", source({ database: { masterUsername: "workshop_admin" } }), db, "username"),
      openDatabase: reviewHead(
        ctx,
        "db",
        source({}, {
          customize: (stack) =>
            allowIngress(stack, "test-database-from-anywhere", {
              group: stack.database!.securityGroup,
              peer: ANYWHERE_IPV4,
              port: 5432,
              description: "test only: the database port from anywhere",
            }),
        }),
        db,
        "open-database",
      ),
      cidr: reviewHead(ctx, "fargate", source({ network: { cidr: "10.1.0.0/16" } }), fargate, "cidr"),
      // from alb on NAT moves the tasks private (fargate keeps them public: the lesson browses to them)
      nat: reviewHead(ctx, "alb", source({ network: { nat: "perAz" } }), alb, "nat"),
      serviceName: reviewHead(ctx, "fargate", source({ service: { appName: "my-app" } }), fargate, "service-name"),
      region: reviewHead(ctx, "db", source({ region: "eu-central-1" }), db, "region"),
      dbCidr: reviewHead(ctx, "db", source({ network: { cidr: "10.1.0.0/16" } }), db, "db-cidr"),
    };
    priors.db = db;
    // and the committed code of HEAD, synthesized by its own main.ts, as the base of vpc-only
    const fromRef = priorStateOf("vpc-only", { kind: "ref", ref: "HEAD" }, ctx).then((prior) => reviewHead(ctx, "vpc-only", source(), prior, "from-ref"));
    // and a teardown: vpc-only against the db lesson built under vpc-only's names (--base-stage db)
    const teardown = priorStateOf("vpc-only", { kind: "source", source: source({}, { lesson: "db" }), description: "stage db" }, ctx, "teardown-base").then((prior) =>
      reviewHead(ctx, "vpc-only", source(), prior, "teardown"),
    );
    const done = await Promise.all([...Object.values(heads), fromRef, teardown]);
    reviews.fromRef = done[done.length - 2];
    reviews.teardown = done[done.length - 1];
    Object.keys(heads).forEach((name, i) => (reviews[name] = done[i]));
  });

  afterAll(() => ctx.dispose());

  test("--base <git ref>: the ref's own code, synthesized in a temporary folder, is the base (HEAD's vpc-only: no changes)", () => {
    expect(reviews.fromRef.changes).toEqual([]);
    expect(reviews.fromRef.verdict).toBe("no changes");
  });

  test("database instance class changed: an update in place with an outage, no data loss, and the cost follows the class", () => {
    const review = reviews.instanceClass;
    expect(review.summary).toEqual({ add: 0, change: 1, destroy: 0, replace: 0 });
    const instance = changeOf(review, "aws_db_instance.");
    expect(instance.kind).toBe("update");
    expect(instance.attributes).toEqual([{ path: "instance_class", before: "db.t4g.micro", after: "db.t3.micro" }]);
    expect(review.risks.filter((r) => r.kind === "data-loss")).toEqual([]);
    // RDS restarts the instance on a new host: an outage, now or in the maintenance window
    expect(review.risks.find((r) => r.kind === "downtime")).toMatchObject({ address: instance.address, reason: expect.stringMatching(/^updated in place with an outage: instance_class "db\.t4g\.micro" -> "db\.t3\.micro"/) });
    const delta = (eu.postgresHour["db.t3.micro"] - eu.postgresHour["db.t4g.micro"]) * HOURS_PER_MONTH;
    expect((review.cost.monthly ?? 0) - (review.cost.monthlyBefore ?? 0)).toBeCloseTo(delta, 1);
    expect(review.verdict).toBe("needs a second look");
    expect(review.exitCode).toBe(3);
  });

  test("region changed: the prior state lives in the base's region, the old stack is orphaned (blocking), before is priced there", () => {
    // the prior state was built where the base ran
    const arns = JSON.stringify(priors.db.state).match(/arn:aws:rds:[a-z0-9-]+:/g) ?? [];
    expect(new Set(arns)).toEqual(new Set(["arn:aws:rds:eu-west-1:"]));
    const review = reviews.region;
    expect(review.risks[0]).toMatchObject({ kind: "orphaned-stack", severity: "blocking" });
    expect(review.risks[0].reason).toMatch(/now targets, eu-central-1: \d+ in eu-west-1 \(aws_db_instance\.database_instance_\w+.*the database workshop-db-postgres and its data stay behind/);
    expect(review.cost).toMatchObject({ region: "eu-central-1", regionBefore: "eu-west-1" });
    expect(review.exitCode).toBe(3);
  });

  test("VPC CIDR changed under the database: the database blocks the apply, and the review says what AWS does", () => {
    const review = reviews.dbCidr;
    const database = changeOf(review, "aws_db_instance.");
    const blocked = review.risks.filter((r) => r.kind === "blocked-apply");
    expect(blocked.map((r) => r.address)).toEqual([database.address]);
    expect(blocked[0].reason).toMatch(/network interface stays in .*aws_subnet\.network_private-subnet-a_\w+ \(replaced destroy-before-create\).*half destroyed.*RDS cannot move a DB instance to another VPC in place/);
    expect(review.exitCode).toBe(3);
  });

  test("teardown to an earlier lesson (vpc-only against db): the database's data loss first, and nothing promises a new one", () => {
    const review = reviews.teardown;
    expect(review.summary.add).toBe(0);
    expect(review.risks[0]).toMatchObject({ kind: "data-loss", address: changeOf(review, "aws_db_instance.").address });
    expect(review.risks[0].reason).toMatch(/^destroyed: the database instance workshop-vpc-only-postgres and its 20 GiB of storage are deleted/);
    expect(review.risks.find((r) => r.kind === "downtime" && r.address.startsWith("aws_db_instance."))?.reason).toBe(
      "destroyed, and nothing in this plan replaces it: the database accepts no connections",
    );
    expect(JSON.stringify(review.risks)).not.toMatch(/until the new/);
    expect(review.exitCode).toBe(3);
  });

  test("master user name changed: the instance is replaced because of username, its data loss comes first, exit code 3", () => {
    const review = reviews.username;
    const instance = changeOf(review, "aws_db_instance.");
    expect(instance.kind).toBe("replace");
    expect(instance.replacePaths).toEqual(["username"]);
    expect(instance.order).toBe("destroy-before-create");
    expect(review.summary).toEqual({ add: 0, change: 0, destroy: 0, replace: 1 });
    // first among the risks that need an approval (a blocking name-collision is only for create-before-destroy)
    const [first] = review.risks.filter((r) => r.severity === "needs-approval");
    expect(first).toMatchObject({ kind: "data-loss", address: instance.address });
    expect(first.reason).toMatch(/username "postgres" -> "workshop_admin" cannot change in place.*20 GiB of storage are deleted/);
    expect(review.exitCode).toBe(3);
    const markdown = renderReview(review);
    expect(markdown.indexOf("data-loss")).toBeLessThan(markdown.indexOf("### Destroyed and replaced"));
  });

  test("a construct that opens the database port to 0.0.0.0/0 is a new internet path, exit code 3", () => {
    const review = reviews.openDatabase;
    expect(review.summary).toEqual({ add: 1, change: 0, destroy: 0, replace: 0 });
    expect(review.exposure.newInternetPaths).toEqual([expect.objectContaining({ from: "0.0.0.0/0", to: "database workshop-db-postgres", port: 5432 })]);
    // before it, only the jump host could reach the database
    expect(review.exposure.before.filter((e) => e.to.startsWith("database"))).toEqual([
      expect.objectContaining({ from: "instance workshop-db-jump-host", to: "database workshop-db-postgres", port: 5432 }),
    ]);
    expect(review.risks).toEqual([expect.objectContaining({ kind: "new-internet-path", reason: "0.0.0.0/0 can newly reach database workshop-db-postgres on port 5432" })]);
    expect(review.exitCode).toBe(3);
  });

  test("VPC CIDR changed: the VPC, its subnets, route tables and security groups are replaced, each counted once", () => {
    const review = reviews.cidr;
    const replaced = (type: string) => review.changes.filter((c) => c.type === type && c.kind === "replace");
    expect(replaced("aws_vpc")).toHaveLength(1);
    expect(replaced("aws_subnet")).toHaveLength(6);
    expect(replaced("aws_route_table")).toHaveLength(4);
    // the database's, the tasks' and the jump host's
    expect(replaced("aws_security_group")).toHaveLength(3);
    expect(changeOf(review, "aws_vpc.").replacePaths).toEqual(["cidr_block"]);
    // each resource once, and a replacement is neither an addition nor a destruction
    const addresses = review.changes.map((c) => c.address);
    expect(new Set(addresses).size).toBe(addresses.length);
    expect(review.summary.replace).toBe(review.changes.filter((c) => c.kind === "replace").length);
    expect(review.summary.add).toBe(0);
    expect(review.summary.destroy).toBe(0);
    // the subnets are replaced because the VPC is
    const vpc = changeOf(review, "aws_vpc.").address;
    expect(replaced("aws_subnet").every((s) => s.causedBy?.includes(vpc))).toBe(true);
  });

  test("VPC CIDR changed: the database and the service that stand in it follow, and the review says so", () => {
    const review = reviews.cidr;
    const database = changeOf(review, "aws_db_instance.");
    const service = changeOf(review, "aws_ecs_service.");
    const groups = review.changes.filter((c) => c.type === "aws_security_group").map((c) => c.address);
    expect(database.causedBy).toEqual(expect.arrayContaining([groups.find((g) => g.startsWith("aws_security_group.database"))]));
    const publicSubnets = review.changes.filter((c) => c.address.startsWith("aws_subnet.network_public-subnet")).map((c) => c.address);
    expect(service.causedBy).toEqual(expect.arrayContaining([groups.find((g) => g.startsWith("aws_security_group.service")), ...publicSubnets]));
    expect(review.risks.filter((r) => r.kind === "downtime").map((r) => r.address)).toEqual(expect.arrayContaining([changeOf(review, "aws_vpc.").address]));
    expect(renderReview(review)).toMatch(/`aws_db_instance\.[^`]+` \(follows security group/);
    // they only move to the new groups and subnets in place, so the old ones cannot go while they stand in them
    const standing = review.risks.filter((r) => r.kind === "downtime" && /only updated to the new one.*DependencyViolation/.test(r.reason));
    expect(standing.map((r) => r.reason).join("\n")).toMatch(new RegExp(database.address.replace(/[.]/g, "\\.")));
    expect(standing.map((r) => r.reason).join("\n")).toMatch(new RegExp(service.address.replace(/[.]/g, "\\.")));
  });

  test("NAT per zone: gateways and addresses are added, the cost rises by their price, the tasks move to private subnets", () => {
    const review = reviews.nat;
    const added = (type: string) => review.changes.filter((c) => c.type === type && c.kind === "create").length;
    expect([added("aws_eip"), added("aws_nat_gateway"), added("aws_route")]).toEqual([3, 3, 3]);
    const natLines = review.cost.lines.filter((l) => /^(NAT gateway|public IPv4: Elastic IP)$/.test(l.item));
    expect(natLines.reduce((sum, l) => sum + l.monthly, 0)).toBeCloseTo(3 * (eu.natGatewayHour + eu.publicIpv4Hour) * HOURS_PER_MONTH, 1);
    // alb's 3 tasks and the jump host give up their public IPs, so the rise is the NAT's price less their 4 addresses
    const rise = (review.cost.monthly ?? 0) - (review.cost.monthlyBefore ?? 0);
    expect(rise).toBeCloseTo(3 * (eu.natGatewayHour + eu.publicIpv4Hour) * HOURS_PER_MONTH - 4 * eu.publicIpv4Hour * HOURS_PER_MONTH, 1);
    // the jump host moves to "Private subnet a": a new instance (it keeps nothing)
    expect(changeOf(review, "aws_instance.")).toMatchObject({ kind: "replace", replacePaths: expect.arrayContaining(["subnet_id"]) });
    const service = changeOf(review, "aws_ecs_service.");
    expect(service.kind).toBe("update");
    expect(service.attributes?.map((a) => a.path)).toEqual(
      expect.arrayContaining(["network_configuration.0.assign_public_ip", expect.stringMatching(/^network_configuration\.0\.subnets/)]),
    );
    expect(review.exposure.after.filter((e) => e.publicIp)).toEqual([]);
    expect(review.exposure.newInternetPaths).toEqual([]);
  });

  test("service renamed: the service is replaced destroy-before-create, a downtime and no name collision", () => {
    const review = reviews.serviceName;
    const service = changeOf(review, "aws_ecs_service.");
    expect(service.kind).toBe("replace");
    expect(service.replacePaths).toContain("name");
    // the old service is gone before the new one is made, so the names never meet
    expect(service.order).toBe("destroy-before-create");
    expect(review.risks.filter((r) => r.kind === "name-collision")).toEqual([]);
    expect(review.risks.filter((r) => r.address === service.address).map((r) => r.kind)).toContain("downtime");
    // the repository and the log group carry the app's name too: their images and logs go with them
    expect(review.risks.filter((r) => r.kind === "data-loss").map((r) => r.address)).toEqual(
      expect.arrayContaining([changeOf(review, "aws_ecr_repository.").address, changeOf(review, "aws_cloudwatch_log_group.").address]),
    );
    expect(review.exitCode).toBe(3);
  });
});
