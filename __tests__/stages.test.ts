import { Testing } from "cdktf";
import { defaultSettings } from "../src/settings/index";
import { STAGE_NAMES, WorkshopStage, addStages, stageIncludes, type StageName } from "../src/stages";
import { securityGraph } from "./support/security-graph";
import { addresses, resources, stageJson, type TerraformJson } from "./support/synth";

// One synthesis per stage with the lesson's settings, shared by the tests below.
const lesson = Object.fromEntries(STAGE_NAMES.map((stage) => [stage, stageJson(stage)])) as Record<StageName, TerraformJson>;

/**
 * Pieces a later lesson deliberately replaces, by stage: the address disappears from that stage on.
 * alb: the tasks stop admitting the container port from anywhere; only the load balancer may reach them.
 */
const REPLACED: Partial<Record<StageName, RegExp[]>> = {
  alb: [/^aws_vpc_security_group_ingress_rule\.service_ingress-from-anywhere_/],
};

describe("the five stages", () => {
  test("are vpc-only, db, fargate, alb and autoscaling, in that order, one stack each", () => {
    // GIVEN an app WHEN every stage is added
    const app = Testing.app();
    const stacks = addStages(app, { settings: defaultSettings() });
    // THEN there is one stack per stage, named after it
    expect(stacks.map((s) => s.node.id)).toEqual(["vpc-only", "db", "fargate", "alb", "autoscaling"]);
    expect(stageIncludes("alb", "db")).toBe(true);
    expect(stageIncludes("db", "alb")).toBe(false);
  });

  test.each(STAGE_NAMES.slice(1).map((stage, i) => [STAGE_NAMES[i], stage] as const))(
    "%s's addresses all stand in %s, but for the named replacements",
    (previous, stage) => {
      // GIVEN both stages with the lesson's settings
      const before = addresses(lesson[previous]);
      const after = new Set(addresses(lesson[stage]));
      // WHEN the earlier stage's addresses are looked up in the later one
      const missing = before.filter((address) => !after.has(address));
      // THEN only the deliberate replacements are gone
      const replaced = REPLACED[stage] ?? [];
      expect(missing.filter((address) => !replaced.some((r) => r.test(address)))).toEqual([]);
      // AND each named replacement really happens at this stage
      for (const pattern of replaced) expect(missing.some((address) => pattern.test(address))).toBe(true);
    },
  );

  test("each stage adds what the lesson says", () => {
    const types = (stage: StageName) => new Set(Object.keys(lesson[stage].resource));
    expect(types("vpc-only")).toEqual(
      new Set(["aws_vpc", "aws_subnet", "aws_internet_gateway", "aws_route_table", "aws_route", "aws_route_table_association", "aws_default_security_group"]),
    );
    const added = (stage: StageName, previous: StageName) => [...types(stage)].filter((t) => !types(previous).has(t)).sort();
    // db: the database, and the jump host the lesson reaches it from (jumpHost.enable)
    expect(added("db", "vpc-only")).toEqual([
      "aws_cloudwatch_log_group",
      "aws_db_instance",
      "aws_db_subnet_group",
      "aws_iam_instance_profile",
      "aws_iam_role",
      "aws_iam_role_policy_attachment",
      "aws_instance",
      "aws_launch_template",
      "aws_security_group",
      "aws_vpc_security_group_egress_rule",
      "aws_vpc_security_group_ingress_rule",
    ]);
    expect(added("fargate", "db")).toEqual([
      "aws_ecr_lifecycle_policy",
      "aws_ecr_repository",
      "aws_ecs_cluster",
      "aws_ecs_service",
      "aws_ecs_task_definition",
      "aws_iam_role_policy",
    ]);
    expect(added("alb", "fargate")).toEqual(["aws_lb", "aws_lb_listener", "aws_lb_target_group"]);
    expect(added("autoscaling", "alb")).toEqual(["aws_appautoscaling_policy", "aws_appautoscaling_target"]);
  });
});

describe("provider and state", () => {
  test.each(STAGE_NAMES)("%s tags every resource with project, stage and managed-by", (stage) => {
    const [provider] = lesson[stage].provider.aws;
    expect(provider).toMatchObject({
      region: "eu-west-1",
      default_tags: [{ tags: { project: "workshop", stage, "managed-by": "cdktf" } }],
    });
  });

  test("extra tags are merged over the common tags", () => {
    const [provider] = stageJson("vpc-only", { extraTags: { owner: "team-a", project: "course-7" } }).provider.aws;
    expect(provider.default_tags).toEqual([{ tags: { project: "course-7", stage: "vpc-only", "managed-by": "cdktf", owner: "team-a" } }]);
  });

  test("a deployable stage has no offline skip flags", () => {
    const [provider] = lesson.alb.provider.aws;
    expect(provider).not.toHaveProperty("skip_credentials_validation");
    expect(provider).not.toHaveProperty("skip_requesting_account_id");
    expect(provider).not.toHaveProperty("skip_metadata_api_check");
    expect(JSON.stringify(lesson.alb)).not.toMatch(/access_key|secret_key/);
  });

  test("the offline switch adds the skip flags and keeps local state in the stack folder", () => {
    const json = stageJson("db", {}, true);
    expect(json.provider.aws[0]).toMatchObject({
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: "true",
    });
    expect(json.terraform.backend).toEqual({ local: { path: "terraform.db.tfstate" } });
  });

  test("each stage keeps its own state: an S3 backend gets one key per stage", () => {
    const backend = { type: "s3" as const, bucket: "workshop-state", keyPrefix: "course", lockTable: "workshop-locks" };
    const keyOf = (stage: StageName) => stageJson(stage, { backend }).terraform.backend?.s3;
    expect(keyOf("vpc-only")).toMatchObject({ bucket: "workshop-state", key: "course/vpc-only.tfstate", dynamodb_table: "workshop-locks", encrypt: true });
    expect(keyOf("alb")).toMatchObject({ key: "course/alb.tfstate", region: "eu-west-1" });
  });
});

describe("names", () => {
  const uniqueNames = (json: TerraformJson): string[] => {
    const named = (type: string, field = "name") => Object.values(resources(json, type)).map((r) => String(r[field]));
    return [
      ...named("aws_db_subnet_group"),
      ...named("aws_db_instance", "identifier"),
      ...named("aws_security_group"),
      ...named("aws_ecr_repository"),
      ...named("aws_ecs_cluster"),
      ...named("aws_ecs_task_definition", "family"),
      ...named("aws_cloudwatch_log_group"),
      ...named("aws_iam_role"),
      ...named("aws_lb"),
      ...named("aws_lb_target_group"),
    ];
  };

  test.each(STAGE_NAMES.slice(1))("every unique AWS name in %s carries the prefix and the stage", (stage) => {
    const names = uniqueNames(lesson[stage]);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toContain(`workshop-${stage}`);
  });

  test("a custom prefix reaches every unique name, and load balancer names stay within 32 characters", () => {
    const names = uniqueNames(stageJson("autoscaling", { namePrefix: "team-blue-12345" }));
    for (const name of names) expect(name).toContain("team-blue-12345-autoscaling");
    const json = stageJson("autoscaling", { namePrefix: "team-blue-12345" });
    for (const type of ["aws_lb", "aws_lb_target_group"]) {
      for (const r of Object.values(resources(json, type))) expect(String(r.name).length).toBeLessThanOrEqual(32);
    }
  });

  test("the lesson's named pieces keep their workshop names", () => {
    expect(Object.values(resources(lesson.db, "aws_db_subnet_group"))[0]).toMatchObject({ name: "workshop-db-main-private" });
    expect(Object.values(resources(lesson.fargate, "aws_ecs_service"))[0]).toMatchObject({ name: "my-nginx" });
    expect(Object.values(resources(lesson.autoscaling, "aws_appautoscaling_policy"))[0]).toMatchObject({
      name: "cloud-native-example-service-scaling",
    });
  });
});

describe("outputs", () => {
  const outputNames = (stage: StageName) => Object.keys(lesson[stage].output ?? {}).sort();
  const network = ["private_subnet_ids", "public_subnet_ids", "vpc_id"];
  const database = [
    "database_address",
    "database_master_secret_arn",
    "database_name",
    "database_port",
    // the jump host: a shell, psql on it, and the port forward with psql on the laptop
    "jump_host_instance_id",
    "jump_host_session_command",
    "jump_host_psql_command",
    "database_port_forward_command",
    "database_local_psql_command",
  ];
  const fargate = ["cluster_name", "docker_login_command", "docker_push_command", "docker_tag_command", "repository_url", "service_name"];

  test.each([
    ["vpc-only", network],
    ["db", [...network, ...database]],
    ["fargate", [...network, ...database, ...fargate]],
    ["alb", [...network, ...database, ...fargate, "load_balancer_url"]],
    ["autoscaling", [...network, ...database, ...fargate, "load_balancer_url"]],
  ] as const)("%s outputs exactly its lesson's values", (stage, expected) => {
    expect(outputNames(stage)).toEqual([...expected].sort());
  });

  test("the database outputs carry the secret's ARN, never a password", () => {
    const outputs = lesson.db.output ?? {};
    expect(outputs.database_master_secret_arn.value).toMatch(/^\$\{aws_db_instance\.database_instance_[A-F0-9]+\.master_user_secret\[0\]\.secret_arn\}$/);
    for (const stage of STAGE_NAMES) {
      expect(JSON.stringify(lesson[stage])).not.toMatch(/"(master_)?password"\s*:/);
    }
  });
});

describe("the security-group graph", () => {
  const graph = (stage: StageName, input = {}) => securityGraph(stageJson(stage, input), `workshop-${stage}`);
  /** The jump host's edges, from stage db on: it reaches the database and, over HTTPS, Session Manager. */
  const jumpHost = ["database <- jump-host tcp/5432", "jump-host -> 0.0.0.0/0 tcp/443", "jump-host -> database tcp/5432"];
  const behindLoadBalancer = [
    "alb -> tasks tcp/80",
    "alb <- 0.0.0.0/0 tcp/80",
    "alb <- ::/0 tcp/80",
    ...jumpHost,
    "database <- tasks tcp/5432",
    "tasks -> 0.0.0.0/0 tcp/443",
    "tasks -> database tcp/5432",
    "tasks <- alb tcp/80",
  ].sort();

  test("vpc-only admits nothing; in db the jump host is the database's only client, and nothing admits the internet", () => {
    expect(securityGraph(lesson["vpc-only"], "workshop-vpc-only")).toEqual([]);
    expect(securityGraph(lesson.db, "workshop-db")).toEqual(jumpHost);
  });

  test("db without the jump host admits nothing", () => {
    expect(graph("db", { jumpHost: { enable: false } })).toEqual([]);
  });

  test("fargate: the task port is open to anywhere for the lesson, the database only to the tasks", () => {
    expect(securityGraph(lesson.fargate, "workshop-fargate")).toEqual(
      [...jumpHost, "database <- tasks tcp/5432", "tasks -> 0.0.0.0/0 tcp/443", "tasks -> database tcp/5432", "tasks <- 0.0.0.0/0 tcp/80"].sort(),
    );
  });

  test.each(["alb", "autoscaling"] as const)("%s: only the load balancer faces the internet, on its listener port", (stage) => {
    expect(securityGraph(lesson[stage], `workshop-${stage}`)).toEqual(behindLoadBalancer);
  });

  test.each(["alb", "autoscaling"] as const)("%s: with NAT on the graph is the same", (stage) => {
    expect(graph(stage, { network: { nat: "perAz" } })).toEqual(behindLoadBalancer);
  });

  test.each(["fargate", "alb", "autoscaling"] as const)("%s: the database is reachable only from the jump host and the task security groups", (stage) => {
    const edges = securityGraph(lesson[stage], `workshop-${stage}`).filter((e) => e.startsWith("database <-"));
    expect(edges).toEqual(["database <- jump-host tcp/5432", "database <- tasks tcp/5432"]);
  });

  test.each(STAGE_NAMES)("%s uses no inline rules and leaves the default group empty", (stage) => {
    for (const group of Object.values(resources(lesson[stage], "aws_security_group"))) {
      expect(group).not.toHaveProperty("ingress");
      expect(group).not.toHaveProperty("egress");
    }
    const [defaultGroup] = Object.values(resources(lesson[stage], "aws_default_security_group"));
    expect(defaultGroup).not.toHaveProperty("ingress");
    expect(defaultGroup).not.toHaveProperty("egress");
  });
});

describe("where tasks run", () => {
  const networkConfiguration = (json: TerraformJson) =>
    Object.values(resources(json, "aws_ecs_service"))[0].network_configuration as { subnets: string[]; assign_public_ip: boolean };
  const subnetIds = (json: TerraformJson, kind: "public" | "private") =>
    Object.keys(resources(json, "aws_subnet"))
      .filter((name) => name.startsWith(`network_${kind}-subnet`))
      .map((name) => `\${aws_subnet.${name}.id}`)
      .sort();

  test.each(["fargate", "alb", "autoscaling"] as const)("%s without NAT: public subnets with a public IP", (stage) => {
    const config = networkConfiguration(lesson[stage]);
    expect(config.assign_public_ip).toBe(true);
    expect([...config.subnets].sort()).toEqual(subnetIds(lesson[stage], "public"));
  });

  test.each([
    ["alb", "single"],
    ["autoscaling", "perAz"],
  ] as const)("%s with NAT %s: no task has a public IP, all run in private subnets", (stage, nat) => {
    const json = stageJson(stage, { network: { nat } });
    const config = networkConfiguration(json);
    expect(config.assign_public_ip).toBe(false);
    expect([...config.subnets].sort()).toEqual(subnetIds(json, "private"));
  });

  test("fargate with NAT keeps its tasks public, with the port the lesson browses to open, so nothing is open that nobody can reach", () => {
    // GIVEN the fargate stage with a NAT gateway
    const json = stageJson("fargate", { network: { nat: "single" } });
    // THEN the tasks keep their public IP in the public subnets, and the open rule stays reachable
    const config = networkConfiguration(json);
    expect(config.assign_public_ip).toBe(true);
    expect([...config.subnets].sort()).toEqual(subnetIds(json, "public"));
    expect(securityGraph(json, "workshop-fargate")).toContain("tasks <- 0.0.0.0/0 tcp/80");
  });
});

describe("desired counts", () => {
  const desired = (json: TerraformJson) => Object.values(resources(json, "aws_ecs_service"))[0].desired_count;
  test("fargate runs 1 task, alb 3, autoscaling starts at 1", () => {
    expect(desired(lesson.fargate)).toBe(1);
    expect(desired(lesson.alb)).toBe(3);
    expect(desired(lesson.autoscaling)).toBe(1);
  });

  test("the cpu policy starts at its minimum of 2", () => {
    expect(desired(stageJson("autoscaling", { autoscaling: { policy: "cpu" } }))).toBe(2);
  });

  test("the stage is a WorkshopStage exposing the constructs later code builds on", () => {
    const stack = new WorkshopStage(Testing.app(), "autoscaling", { settings: defaultSettings() });
    expect(stack.names.base).toBe("workshop-autoscaling");
    expect(stack.database?.port).toBe(5432);
    expect(stack.service?.containerName).toBe("my-nginx");
    expect(stack.loadBalancer?.listenerPort).toBe(80);
    expect(stack.autoscaling?.policy).toBeDefined();
  });
});
