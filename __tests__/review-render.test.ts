/**
 * review.md as a pull-request comment: root causes first, risks grouped per resource, one exposure row per path,
 * renames paired, JSON documents as the keys that changed, resources by name, untouched sections folded, and no
 * line longer than about 200 characters. Captured plans (__tests__/fixtures/review, see its README) and small
 * hand-made ones.
 */
import type { Review } from "../src/review";
import { jsonKeyChanges } from "../src/review/json-attributes";
import type { PlanJson } from "../src/review/plan";
import { renderReview } from "../src/review/render";
import { change, plan, review, reviewOf } from "./support/review-plans";

const CAPTURED = ["db-cidr", "alb-rename", "fargate-db-port", "alb-from-fargate", "db-username", "db-open", "fargate-nat", "vpc-only-base"];

/** The position of a line that starts with `start`, failing the test when there is none. */
function lineOf(markdown: string, start: string): number {
  const i = markdown.split("\n").findIndex((l) => l.startsWith(start));
  if (i < 0) throw new Error(`no line starts with ${start}`);
  return i;
}

describe("the layout of review.md", () => {
  test.each(CAPTURED)("%s: no line is longer than 200 characters", (name) => {
    const long = renderReview(review(name)).split("\n").filter((l) => l.length > 200);
    expect(long).toEqual([]);
  });

  test("root causes, then risks, exposure, cost, changes, policy, and the diagram folded last", () => {
    // GIVEN the lesson's step from fargate to alb WHEN it is rendered
    const markdown = renderReview(review("alb-from-fargate"));
    // THEN the sections come most important first
    const order = ["### Root causes", "### Needs a second look", "### Exposure", "### Cost (estimate)", "### Changes", "<details><summary>Diagram"].map((s) =>
      lineOf(markdown, s),
    );
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(markdown).toMatch(/<details><summary>Diagram<\/summary>\n\n```mermaid\nflowchart LR/);
  });

  test("a replaced VPC is one root cause, named and with its cause, and everything that follows is counted", () => {
    // GIVEN db with network.cidr 10.1.0.0/16, planned against the db lesson
    const r = review("db-cidr");
    const markdown = renderReview(r);
    // THEN the headline has one line: the VPC, what forces it, and how many changes follow
    const vpc = r.changes.find((c) => c.type === "aws_vpc")!;
    expect(r.causes).toEqual([expect.objectContaining({ kind: "replace", address: vpc.address })]);
    expect(r.causes[0].follow).toHaveLength(r.changes.length - 1);
    const headline = markdown.split("### Root causes\n\n")[1].split("\n\n")[0].split("\n");
    expect(headline).toEqual([`- VPC main replaced (cidr_block 10.0.0.0/16 -> 10.1.0.0/16): ${r.changes.length - 1} resources follow`]);
  });

  test("risks: one entry per resource with every reason, blocking ones first, then the root cause's own resource, each with what happens to it", () => {
    const r = review("db-cidr");
    const risks = renderReview(r).split("### Needs a second look\n\n")[1].split("\n\n")[0];
    const heads = risks.split("\n").filter((l) => l.startsWith("- "));
    // one entry per resource that has a risk
    expect(heads).toHaveLength(new Set(r.risks.map((x) => x.address)).size);
    // the database, kept while its network is replaced, blocks the apply: it leads
    const blocking = new Set(r.risks.filter((x) => x.severity === "blocking").map((x) => x.address));
    expect(blocking.size).toBeGreaterThan(0);
    expect(heads.slice(0, blocking.size).every((h) => [...blocking].some((address) => h.includes(`\`${address}\``)))).toBe(true);
    // then the root cause's own resource, then what follows it
    const rest = heads.slice(blocking.size);
    expect(rest[0]).toMatch(/^- \*\*VPC main\*\* `aws_vpc\.[^`]+`: replaced, destroy-before-create, because cidr_block 10\.0\.0\.0\/16 -> 10\.1\.0\.0\/16$/);
    expect(rest.slice(1).every((h) => / follows VPC main$/.test(h))).toBe(true);
    // each reason under its resource, with the kind, never a bare address
    expect(risks).toMatch(/^ {2}- \*\*downtime\*\* \(needs-approval\): between the destroy and the create, everything in the VPC must be destroyed/m);
  });

  test("risks are ordered by severity (blocking, needs-approval, info, none), an accepted one marked", () => {
    // GIVEN three resources whose risks carry severities, listed least severe first
    const r = reviewOf(plan(change("aws_ecs_cluster", { name: "c" }, null, ["delete"], "aws_ecs_cluster.c")));
    const rated: Review = {
      ...r,
      risks: [
        { kind: "downtime", address: "aws_ecs_cluster.c", reason: "gone", severity: "info" },
        { kind: "downtime", address: "aws_x.unrated", reason: "no severity" },
        { kind: "data-loss", address: "aws_x.approve", reason: "approve it", severity: "needs-approval", accepted: true },
        { kind: "downtime", address: "aws_x.block", reason: "stops the apply", severity: "blocking" },
      ] as Review["risks"],
    };
    // WHEN rendered
    const heads = renderReview(rated).split("\n").filter((l) => /^- \*\*/.test(l) || /^ {2}- \*\*(downtime|data-loss)/.test(l));
    // THEN blocking first, then needs-approval (marked accepted), info, and the one without a severity last
    expect(heads.filter((l) => l.startsWith("  "))).toEqual([
      "  - **downtime** (blocking): stops the apply",
      "  - **data-loss** (needs-approval, accepted): approve it",
      "  - **downtime** (info): gone",
      "  - **downtime**: no severity",
    ]);
  });
});

describe("exposure: one row per source, target and port", () => {
  test("the listener and the world rules on IPv4 and IPv6 are one path from the internet, and one risk", () => {
    // GIVEN the alb step: a listener on 80, and rules from 0.0.0.0/0 and ::/0 to the load balancer's group
    const r = review("alb-from-fargate");
    const toBalancer = r.exposure.after.filter((e) => e.to === "load balancer workshop-alb");
    expect(toBalancer).toEqual([expect.objectContaining({ from: "internet", port: 80, sources: ["internet", "0.0.0.0/0", "::/0"] })]);
    expect(toBalancer[0].vias).toHaveLength(3);
    expect(r.risks.filter((x) => x.kind === "new-internet-path")).toHaveLength(1);
    // THEN review.md has one row for it
    const rows = renderReview(r).split("\n").filter((l) => l.startsWith("| internet"));
    expect(rows[0]).toBe("| internet (listener, 0.0.0.0/0, ::/0) | load balancer workshop-alb | 80 | **new from the internet** |");
    expect(rows.filter((l) => l === rows[0])).toHaveLength(1);
  });

  test("a rule from ::/0 beside an old one from 0.0.0.0/0 makes the path new: IPv6 opens", () => {
    const group = { id: "sg-1", name: "web" };
    const rule = (cidr: string) => ({ security_group_id: "sg-1", ip_protocol: "tcp", from_port: 443, to_port: 443, [cidr.includes(":") ? "cidr_ipv6" : "cidr_ipv4"]: cidr });
    const r = reviewOf(
      plan(
        change("aws_security_group", group, group, ["no-op"], "aws_security_group.web"),
        change("aws_vpc_security_group_ingress_rule", rule("0.0.0.0/0"), rule("0.0.0.0/0"), ["no-op"], "aws_vpc_security_group_ingress_rule.v4"),
        change("aws_vpc_security_group_ingress_rule", null, rule("::/0"), ["create"], "aws_vpc_security_group_ingress_rule.v6"),
      ),
    );
    expect(r.exposure.before).toEqual([expect.objectContaining({ from: "0.0.0.0/0", to: "security group web", port: 443 })]);
    expect(r.exposure.newInternetPaths).toEqual([expect.objectContaining({ from: "internet", sources: ["0.0.0.0/0", "::/0"], port: 443 })]);
  });

  test("tasks renamed behind the same rule from the internet: no new path", () => {
    // GIVEN a service replaced under a new name, its group and its rule from 0.0.0.0/0 kept
    const group = { id: "sg-1", name: "tasks" };
    const rule = { security_group_id: "sg-1", cidr_ipv4: "0.0.0.0/0", ip_protocol: "tcp", from_port: 80, to_port: 80 };
    const service = (name: string) => ({ name, network_configuration: [{ assign_public_ip: true, security_groups: ["sg-1"] }] });
    const r = reviewOf(
      plan(
        change("aws_security_group", group, group, ["no-op"], "aws_security_group.tasks"),
        change("aws_vpc_security_group_ingress_rule", rule, rule, ["no-op"], "aws_vpc_security_group_ingress_rule.world"),
        change("aws_ecs_service", service("my-nginx"), service("my-app"), ["delete", "create"], "aws_ecs_service.s"),
      ),
    );
    // THEN the path has a new name but is not new from the internet
    expect(r.exposure.after).toEqual([expect.objectContaining({ from: "0.0.0.0/0", to: "tasks of service my-app", publicIp: true })]);
    expect(r.exposure.newInternetPaths).toEqual([]);
  });

  test("exposure the change does not touch is folded to one line", () => {
    const markdown = renderReview(review("db-cidr"));
    expect(markdown).toContain("<details><summary>Exposure: unchanged, 1 path</summary>");
    expect(markdown).not.toContain("### Exposure");
  });
});

describe("name collisions only where two resources of a name can exist at once", () => {
  const service = (name: string) => ({ name, cluster: "c" });
  const kinds = (p: PlanJson) => reviewOf(p).risks.filter((x) => x.kind === "name-collision");

  test("destroy-before-create under the same name: no collision (the old one is gone first)", () => {
    expect(kinds(plan(change("aws_ecs_service", service("web"), service("web"), ["delete", "create"], "aws_ecs_service.s")))).toEqual([]);
  });

  test("create-before-destroy under the same name: a collision", () => {
    expect(kinds(plan(change("aws_ecs_service", service("web"), service("web"), ["create", "delete"], "aws_ecs_service.s")))).toEqual([
      expect.objectContaining({ address: "aws_ecs_service.s", reason: expect.stringMatching(/create-before-destroy with the fixed name "web"/) }),
    ]);
  });

  test("create-before-destroy under a new name: no collision", () => {
    expect(kinds(plan(change("aws_ecs_service", service("web"), service("web-2"), ["create", "delete"], "aws_ecs_service.s")))).toEqual([]);
  });

  test("an address moved without a moved block, keeping its AWS name: the create may meet the old one", () => {
    const moved = plan(
      change("aws_iam_role", { name: "workshop-task" }, null, ["delete"], "aws_iam_role.old"),
      change("aws_iam_role", null, { name: "workshop-task" }, ["create"], "aws_iam_role.new"),
    );
    expect(kinds(moved)).toEqual([
      expect.objectContaining({ address: "aws_iam_role.new", reason: expect.stringMatching(/"workshop-task" that aws_iam_role\.old holds.*moved block/) }),
    ]);
    const renamed = plan(
      change("aws_iam_role", { name: "workshop-task" }, null, ["delete"], "aws_iam_role.old"),
      change("aws_iam_role", null, { name: "workshop-api-task" }, ["create"], "aws_iam_role.new"),
    );
    expect(kinds(renamed)).toEqual([]);
  });
});

describe("a service renamed", () => {
  // GIVEN alb with two services, backend renamed to api (frontend calls it)
  const r = review("alb-rename");
  const markdown = renderReview(r);

  test("its old and new resources are paired, type by type", () => {
    expect(r.summary).toMatchObject({ add: 17, destroy: 17 });
    expect(r.renames).toHaveLength(1);
    expect(r.renames[0]).toMatchObject({ from: "backend", to: "api" });
    expect(r.renames[0].resources).toHaveLength(17);
    for (const p of r.renames[0].resources) {
      expect(p.before.split(".")[0]).toBe(p.type);
      expect(p.after.split(".")[0]).toBe(p.type);
    }
    expect(r.renames[0].resources).toContainEqual(expect.objectContaining({ type: "aws_ecs_service", before: expect.stringMatching(/backend/), after: expect.stringMatching(/api/) }));
  });

  test("a destroyed rule and an unrelated new rule of the same type are no rename (the alb step)", () => {
    const step = review("alb-from-fargate");
    expect(step.changes.filter((c) => c.type === "aws_vpc_security_group_ingress_rule").map((c) => c.kind).sort()).toEqual(["create", "create", "create", "delete"]);
    expect(step.renames).toEqual([]);
  });

  test("review.md says so in one line, and lists neither 17 creations nor 17 destructions", () => {
    expect(markdown).toContain("- service backend renamed to api: 17 resources destroyed and created under the new name");
    expect(markdown).not.toMatch(/17 added/);
    const destroyed = markdown.split("#### Destroyed and replaced")[1]?.split("####")[0] ?? "";
    expect(destroyed).not.toMatch(/services_backend/);
    expect(markdown).toContain("| ECS service backend | ECS service api |");
  });

  test("the deleted roles are named and withdraw nothing; the new role is named, not an address", () => {
    const deleted = r.iam.filter((x) => x.deleted);
    expect(deleted.map((x) => x.role).sort()).toEqual(["workshop-alb-backend-task", "workshop-alb-backend-task-execution"]);
    expect(deleted.every((x) => x.withdrawn.length === 0)).toBe(true);
    expect(r.iam.map((x) => x.role)).toContain("workshop-alb-api-task-execution");
    expect(r.iam.some((x) => x.role.startsWith("aws_"))).toBe(false);
    expect(markdown).toContain("- IAM role `workshop-alb-backend-task-execution`: deleted, with what it could do");
    expect(markdown).not.toMatch(/withdrawn/);
  });

  test("the caller's container definitions show the environment variables that change, not the document", () => {
    const definition = r.changes.find((c) => c.address.startsWith("aws_ecs_task_definition.service_"))!;
    const keys = definition.attributes?.find((a) => a.path === "container_definitions")?.keys;
    expect(keys?.map((k) => k.path)).toEqual(expect.arrayContaining(["frontend.environment.BACKEND_HOST", "frontend.environment.API_HOST"]));
    expect(markdown).toContain("  - container_definitions, frontend.environment.API_HOST: added api.local");
    expect(markdown).toContain("  - container_definitions, frontend.environment.BACKEND_HOST: removed (was backend.local)");
    expect(markdown).not.toContain('"essential"');
  });
});

describe("JSON documents in strings", () => {
  test("a container's environment variable: the key that changes, before -> after", () => {
    // GIVEN fargate with database.port 5433: the task definition is replaced for DB_PORT
    const r = review("fargate-db-port");
    const definition = r.changes.find((c) => c.type === "aws_ecs_task_definition")!;
    expect(definition.attributes?.find((a) => a.path === "container_definitions")?.keys).toEqual([{ path: "my-nginx.environment.DB_PORT", before: "5432", after: "5433" }]);
    const markdown = renderReview(r);
    expect(markdown).toContain(
      "- task definition workshop-fargate-my-nginx replaced (container_definitions, my-nginx.environment.DB_PORT: 5432 -> 5433): 1 resource follows",
    );
    expect(markdown).not.toMatch(/\[\{"environment"/);
  });

  test("an IAM policy: statements by Sid, action lists as what joins and leaves", () => {
    const policy = (actions: string[]) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "Logs", Effect: "Allow", Action: actions, Resource: "*" }] });
    expect(jsonKeyChanges(policy(["logs:PutLogEvents"]), policy(["logs:PutLogEvents", "logs:CreateLogStream"]))).toEqual([
      { path: "Statement.Logs.Action", before: ["logs:PutLogEvents"], after: ["logs:PutLogEvents", "logs:CreateLogStream"] },
    ]);
    const role = { name: "r", id: "r", assume_role_policy: policy(["sts:AssumeRole"]) };
    const r = reviewOf(plan(change("aws_iam_role", role, { ...role, assume_role_policy: policy(["sts:AssumeRole", "sts:TagSession"]) }, ["update"], "aws_iam_role.r")));
    expect(renderReview(r)).toContain("  - assume_role_policy, Statement.Logs.Action: adds [sts:TagSession]");
    expect(jsonKeyChanges("not json", "{}")).toBeUndefined();
  });

  test("a container renamed: the same container, compared key by key", () => {
    const containers = (name: string) => JSON.stringify([{ name, image: "nginx", essential: true }]);
    expect(jsonKeyChanges(containers("my-nginx"), containers("my-app"))).toEqual([{ path: "my-app.name", before: "my-nginx", after: "my-app" }]);
  });

  test("a document known only after apply reads as its size, not its text", () => {
    const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "logs:PutLogEvents", Resource: "*" }] });
    const updated = change("aws_iam_role_policy", { role: "r", policy }, { role: "r", policy: null }, ["update"], "aws_iam_role_policy.p");
    const p = plan({ ...updated, change: { ...updated.change, after_unknown: { policy: true } } });
    expect(renderReview(reviewOf(p))).toContain(`  - policy: (a JSON document, ${policy.length} characters) -> (known after apply)`);
  });

  test("a 2,000-character document is never printed whole", () => {
    const big = (value: string) => JSON.stringify([{ name: "app", image: "nginx", environment: [{ name: "MODE", value }], command: ["x".repeat(2000)] }]);
    const replaced = change("aws_ecs_task_definition", { family: "f", container_definitions: big("a") }, { family: "f", container_definitions: big("b") }, ["delete", "create"], "aws_ecs_task_definition.t");
    const r = reviewOf(plan({ ...replaced, change: { ...replaced.change, replace_paths: [["container_definitions"]] } }));
    const markdown = renderReview(r);
    expect(markdown).toContain("container_definitions, app.environment.MODE: a -> b");
    expect(Math.max(...markdown.split("\n").map((l) => l.length))).toBeLessThanOrEqual(200);
  });
});

describe("names, not placeholders", () => {
  test("resources are named by their AWS names, ids by what they point at", () => {
    const r = review("db-cidr");
    expect(r.names[r.changes.find((c) => c.type === "aws_vpc")!.address]).toBe("VPC main");
    const markdown = renderReview(r);
    // the prior state's placeholder ids (vpc-…, sg-…, subnet-…) never show
    expect(markdown).not.toMatch(/\b(vpc|sg|subnet|rtb|igw)-[0-9a-f]{17}\b/);
    expect(markdown).toContain("  - vpc_security_group_ids: [security group workshop-db-database] -> (known after apply)");
  });
});

describe("folded sections", () => {
  test("waivers on resources the change leaves alone are folded; those on a changed resource show", () => {
    const r = review("fargate-db-port");
    const instance = r.changes.find((c) => c.type === "aws_db_instance")!.address;
    const markdown = renderReview({
      ...r,
      policy: {
        findings: [],
        waivers: [
          { ruleId: "RDS-MULTI-AZ", address: instance, reason: "one zone keeps the lesson free" },
          { ruleId: "VPC-FLOW-LOGS", address: "aws_vpc.network_vpc_4E8F0223", reason: "paid monitoring is left out" },
        ],
      },
    });
    const policy = markdown.split("### Policy\n\n")[1];
    expect(policy.indexOf("waived RDS-MULTI-AZ on database workshop-fargate-postgres")).toBeLessThan(policy.indexOf("<details>"));
    expect(policy).toMatch(/<details><summary>1 waiver on resources the change leaves alone<\/summary>\n\n- waived VPC-FLOW-LOGS on VPC main/);
  });

  test("an unchanged cost is one folded line", () => {
    expect(renderReview(review("db-cidr"))).toMatch(/<details><summary>Cost \(estimate\): \$\d+\.\d\d a month in eu-west-1, unchanged<\/summary>/);
  });
});
