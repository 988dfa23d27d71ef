import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { parseSettings, type SettingsInput } from "../src/settings/index";
import { STAGE_NAMES, WorkshopStage, addStages, type StageName } from "../src/stages";
import { synthesize } from "../src/synth";
import { cost, HOURS_PER_MONTH, PRICES } from "../src/review/cost";
import type { PlanJson } from "../src/review/plan";
import { terraformEnv } from "../src/terraform/config";
import { planStack, planTogether, showPlan, type StagePlan } from "../src/terraform/plan";
import { POOL_ENV, providersFor } from "../src/terraform/provider-pool";
import { README_EXAMPLE, THREE_SERVICES, TWO_SERVICES } from "./support/services";
import { describeWithTerraform, planEachShared, type SharedPlan } from "./support/terraform";

jest.setTimeout(600_000);

const network = {
  aws_vpc: 1,
  aws_subnet: 6,
  aws_internet_gateway: 1,
  aws_route_table: 4,
  aws_route: 1,
  aws_route_table_association: 6,
  aws_default_security_group: 1,
};
// The database's postgresql and upgrade log groups come with it, and the jump host the lesson reaches it from:
// its group (HTTPS out), the database's rules for it, role, SSM policy attachment, profile, launch template, instance.
const db = {
  ...network,
  aws_db_subnet_group: 1,
  aws_db_instance: 1,
  aws_security_group: 2,
  aws_cloudwatch_log_group: 2,
  aws_vpc_security_group_ingress_rule: 1,
  aws_vpc_security_group_egress_rule: 2,
  aws_iam_role: 1,
  aws_iam_role_policy_attachment: 1,
  aws_iam_instance_profile: 1,
  aws_launch_template: 1,
  aws_instance: 1,
};
const fargate = {
  ...db,
  aws_security_group: 3,
  aws_vpc_security_group_ingress_rule: 3,
  aws_vpc_security_group_egress_rule: 4,
  aws_ecr_repository: 1,
  aws_ecr_lifecycle_policy: 1,
  aws_ecs_cluster: 1,
  aws_cloudwatch_log_group: 3,
  aws_iam_role: 3,
  aws_iam_role_policy: 1,
  aws_ecs_task_definition: 1,
  aws_ecs_service: 1,
};
const alb = {
  ...fargate,
  aws_security_group: 4,
  aws_vpc_security_group_ingress_rule: 5,
  aws_vpc_security_group_egress_rule: 5,
  aws_lb: 1,
  aws_lb_target_group: 1,
  aws_lb_listener: 1,
};
const autoscaling = { ...alb, aws_appautoscaling_target: 1, aws_appautoscaling_policy: 1 };
// service.launchType "EC2": the instances' group stands where the tasks' group was, plus the instances.
const ec2Capacity = {
  aws_iam_role: 1,
  aws_iam_role_policy_attachment: 2,
  aws_iam_instance_profile: 1,
  aws_launch_template: 1,
  aws_autoscaling_group: 1,
  aws_ecs_capacity_provider: 1,
  aws_ecs_cluster_capacity_providers: 1,
};
/** Counts per type, added up. */
const plus = (base: Record<string, number>, extra: Record<string, number>) =>
  Object.fromEntries([...new Set([...Object.keys(base), ...Object.keys(extra)])].map((type) => [type, (base[type] ?? 0) + (extra[type] ?? 0)]));
const EC2_STAGES = ["alb", "autoscaling"] as const;

/** Planned creations per resource type, per stage, with the lesson's settings. */
const EXPECTED: Record<StageName, Record<string, number>> = { "vpc-only": network, db, fargate, alb, autoscaling };

/** Variants planned beside the lesson (names without hyphens: "<variant>-<stage>" is split at the first). */
const VARIANTS: Array<{ variant: string; stage: StageName; input: SettingsInput }> = [
  { variant: "nat", stage: "vpc-only", input: { network: { nat: "perAz" } } },
  { variant: "two", stage: "autoscaling", input: TWO_SERVICES },
  { variant: "example", stage: "alb", input: README_EXAMPLE },
  { variant: "three", stage: "autoscaling", input: THREE_SERVICES },
  // alb with VPC endpoints instead of NAT, and db with SSH on an x86 jump host
  { variant: "endpoints", stage: "alb", input: { network: { enableVpcEndpoints: true }, service: { imageSource: "repository" } } },
  { variant: "ssh", stage: "db", input: { jumpHost: { instanceType: "t3.micro", sshKeyPairName: "lesson-key", sshAllowedCidr: "203.0.113.7/32" } } },
];

/** A plan's show -json, without what differs between any two runs: the time, and the order of relevant_attributes. */
function comparable(shown: string): Record<string, unknown> {
  const { timestamp, relevant_attributes, ...plan } = JSON.parse(shown) as Record<string, unknown> & { relevant_attributes?: unknown[] };
  expect(timestamp).toEqual(expect.any(String));
  const sorted = (relevant_attributes ?? []).map((a) => JSON.stringify(a)).sort();
  return { ...plan, relevant_attributes: sorted };
}

interface Shown {
  resource_changes: Array<{ address: string; module_address?: string }>;
  planned_values: { root_module: { resources?: Array<{ address: string }>; child_modules?: Array<{ address: string; resources: Array<{ address: string }> }> } };
}

/** One module's resource changes and planned resources from the plan of every module, addressed as in the stage's own folder. */
function moduleAsOwnFolder(shown: Shown, module: string) {
  const prefix = `module.${module}.`;
  const own = <T extends { address: string; module_address?: string }>({ module_address: _, ...item }: T) => ({ ...item, address: item.address.slice(prefix.length) });
  return {
    resource_changes: shown.resource_changes.filter((r) => r.address.startsWith(prefix)).map(own),
    resources: (shown.planned_values.root_module.child_modules ?? []).find((m) => m.address === `module.${module}`)?.resources.map(own),
  };
}

describeWithTerraform("terraform validate and plan, offline, per stage", () => {
  let workDir: string;
  let env: NodeJS.ProcessEnv;
  // Every stack planned the fast way (planEach: a folder of its own, a provider lent from the pool), by
  // "<variant>/<stage>", with its plan read whole; hcl-plan.test plans some of the same files, and the run
  // plans each once
  const plans = new Map<string, SharedPlan>();
  const plan = (stage: StageName, variant = "lesson") => plans.get(`${variant}/${stage}`) as SharedPlan;
  const shownOf = <T>(stage: StageName, variant = "lesson") => JSON.parse(plan(stage, variant).shown) as T;
  // The plain way: the lesson's stages as modules of one root, each with a provider of its own; its show -json
  // runs once, for the comparison. And alb in a folder of its own, planned and shown by plain Terraform.
  let plainTogether: Record<string, StagePlan>;
  let shown: Promise<string> | undefined;
  const shownPlain = () => (shown ??= showPlan(plainTogether["lesson-db"].planFile, env));
  const pooled = new Map<StageName, boolean>();
  let plainAlb = "";

  beforeAll(async () => {
    // GIVEN every stage synthesized with the offline switch, and vpc-only with NAT in every zone
    workDir = mkdtempSync(join(tmpdir(), "workshop-plan-"));
    const lesson = new App({ outdir: join(workDir, "lesson") });
    addStages(lesson, { settings: parseSettings({}), offline: true });
    lesson.synth();
    // AND the variants: NAT in every zone, VPC endpoints, SSH on the jump host, and several services with and
    // without discovery and HTTPS
    for (const { variant, stage, input } of VARIANTS) {
      const app = new App({ outdir: join(workDir, variant) });
      new WorkshopStage(app, stage, { settings: parseSettings(input), offline: true });
      app.synth();
    }
    // AND alb on EC2 capacity as JSON, and autoscaling (all of alb's resources and more) as HCL, so that both
    // renderings of the EC2 resources are validated and planned in the same run
    const ec2Settings = parseSettings({ service: { launchType: "EC2" } });
    const ec2 = new App({ outdir: join(workDir, "ec2") });
    new WorkshopStage(ec2, "alb", { settings: ec2Settings, offline: true });
    ec2.synth();
    await synthesize({ outdir: join(workDir, "ec2"), hcl: true }, (app) => new WorkshopStage(app, "autoscaling", { settings: ec2Settings, offline: true }));
    env = terraformEnv(workDir, { offline: true });
    // WHEN every stack is planned the fast way (plan validates), each in a folder of its own
    const copy = (way: string, stage: StageName) => {
      const dir = join(workDir, way, stage);
      cpSync(join(workDir, "lesson", "stacks", stage), dir, { recursive: true });
      return dir;
    };
    const stacks = Object.fromEntries([
      ...STAGE_NAMES.map((stage) => [`lesson-${stage}`, copy("fast", stage)]),
      ...VARIANTS.map(({ variant, stage }) => [`${variant}-${stage}`, join(workDir, variant, "stacks", stage)]),
      ...EC2_STAGES.map((stage) => [`ec2-${stage}`, join(workDir, "ec2", "stacks", stage)]),
    ]);
    for (const stage of STAGE_NAMES) pooled.set(stage, providersFor(stacks[`lesson-${stage}`], env) !== undefined);
    // AND the lesson's stages plainly, as modules of one root, and alb plainly in a folder of its own
    const plainEnv = { ...env, [POOL_ENV]: "off" };
    const lessonStacks = Object.fromEntries(STAGE_NAMES.map((stage) => [`lesson-${stage}`, join(workDir, "lesson", "stacks", stage)]));
    const [results] = await Promise.all([
      planEachShared(stacks, env),
      planTogether(lessonStacks, join(workDir, "root"), plainEnv).then((together) => (plainTogether = together)),
      (async () => (plainAlb = await showPlan((await planStack(copy("plain", "alb"), plainEnv)).planFile, plainEnv)))(),
    ]);
    for (const [name, result] of Object.entries(results)) plans.set(name.replace("-", "/"), result);
  });

  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  test.each([...STAGE_NAMES])("%s planned the fast way (a lent provider, the stage's types of schema) equals plain Terraform's plan of it", async (stage) => {
    // THEN the pool served it (the test machine has the mirror), and every change and planned value is the
    // same as in the plain run of every stage as a module, each with a provider of its own
    expect(pooled.get(stage)).toBe(true);
    const own = comparable(plan(stage).shown) as unknown as Shown;
    const plain = moduleAsOwnFolder(JSON.parse(await shownPlain()) as Shown, `lesson-${stage}`);
    expect(own.resource_changes).toHaveLength(Object.values(EXPECTED[stage]).reduce((a, b) => a + b, 0));
    expect(own.resource_changes).toEqual(plain.resource_changes);
    expect(own.planned_values.root_module.resources).toEqual(plain.resources);
    // AND it carries its own stage's tags, not another's
    const vpc = (own.planned_values.root_module.resources as Array<{ type?: string; values?: { tags_all?: object } }>).find((r) => r.type === "aws_vpc");
    expect(vpc?.values?.tags_all).toMatchObject({ stage });
  });

  test("alb planned the fast way equals a plain terraform plan of its own folder, the whole show -json", () => {
    expect(comparable(plan("alb").shown)).toEqual(comparable(plainAlb));
  });

  test.each(Object.keys(EXPECTED) as StageName[])("%s: validates and plans exactly the lesson's resources", (stage) => {
    // THEN the plan creates exactly these, and changes or deletes nothing, planned plainly too
    const result = plan(stage);
    expect(result.counts).toEqual(EXPECTED[stage]);
    expect(plainTogether[`lesson-${stage}`].counts).toEqual(EXPECTED[stage]);
    expect([...new Set(Object.values(result.actions))]).toEqual(["create"]);
  });

  test("the db plan never holds a password value", async () => {
    const text = plan("db").shown;
    expect(text).toMatch(/"manage_master_user_password":true/);
    expect(text).not.toMatch(/"password":"[^"]/);
  });

  test("NAT per zone plans 3 Elastic IPs, 3 NAT gateways and a default route in each private table", () => {
    const { counts } = plan("vpc-only", "nat");
    expect(counts).toMatchObject({ aws_eip: 3, aws_nat_gateway: 3, aws_route: 4, aws_route_table: 4 });
  });

  test.each<[string, StageName, Record<string, number>]>([
    // two services without discovery: a second target group and rule, its own scaling
    ["two", "autoscaling", { aws_ecs_service: 2, aws_ecr_repository: 2, aws_lb_target_group: 2, aws_lb_listener: 1, aws_lb_listener_rule: 1, aws_appautoscaling_policy: 2, aws_security_group: 5 }],
    // the README's example: discovery, frontend calls backend
    ["example", "alb", { aws_ecs_service: 2, aws_service_discovery_private_dns_namespace: 1, aws_service_discovery_service: 2, aws_lb_listener_rule: 1 }],
    // three services, discovery and HTTPS with an extra certificate; the worker has no target group
    ["three", "autoscaling", { aws_ecs_service: 3, aws_lb_target_group: 2, aws_lb_listener: 2, aws_lb_listener_certificate: 1, aws_service_discovery_service: 3, aws_appautoscaling_policy: 3, aws_security_group: 6 }],
  ])("%s services (%s): validate and plan only creations, with each service's resources", (variant, stage, counts) => {
    const result = plan(stage, variant);
    expect(result.counts).toMatchObject(counts);
    expect([...new Set(Object.values(result.actions))]).toEqual(["create"]);
  });

  test.each(EC2_STAGES)("%s on EC2 capacity (alb as JSON, autoscaling as HCL): validates and plans the lesson's resources with the instances instead of Fargate", (stage) => {
    const result = plan(stage, "ec2");
    expect(result.counts).toEqual(plus(EXPECTED[stage], ec2Capacity));
    expect([...new Set(Object.values(result.actions))]).toEqual(["create"]);
  });

  test("on EC2 the plan keeps the AMI's SSM parameter, not an image id, and the user data names the stage's cluster", async () => {
    interface Planned {
      readonly type: string;
      readonly values: Record<string, unknown>;
    }
    for (const stage of EC2_STAGES) {
      const { resources } = shownOf<{ planned_values: { root_module: { resources: Planned[] } } }>(stage, "ec2").planned_values.root_module;
      // (the stage's other launch template is the jump host's)
      const template = resources.find((r) => r.type === "aws_launch_template" && r.values.name === `workshop-${stage}-instances`)?.values ?? {};
      expect(template.image_id).toBe("resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id");
      expect(Buffer.from(String(template.user_data), "base64").toString()).toBe(`#!/bin/bash\necho ECS_CLUSTER=workshop-${stage} >> /etc/ecs/ecs.config\n`);
      expect(resources.find((r) => r.type === "aws_lb_target_group")?.values).toMatchObject({ target_type: "instance", health_check: [expect.objectContaining({ healthy_threshold: 3, interval: 6 })] });
    }
  });

  test("the EC2 variants were planned from JSON (alb) and from HCL (autoscaling)", () => {
    const files = (stage: string) => readdirSync(join(workDir, "ec2", "stacks", stage)).filter((f) => f.startsWith("cdk.tf"));
    expect([files("alb"), files("autoscaling")]).toEqual([["cdk.tf.json"], ["cdk.tf"]]);
  });

  test("alb on EC2 outputs the command that lists its instances", () => {
    expect(plan("alb", "ec2").outputs).toContain("instance_ids_command");
  });

  test("VPC endpoints plan 7 interface endpoints, the S3 gateway and their group on top of alb, and nothing else", () => {
    const { counts } = plan("alb", "endpoints");
    expect(counts).toEqual({ ...alb, aws_vpc_endpoint: 8, aws_security_group: 5, aws_vpc_security_group_ingress_rule: 7, aws_vpc_security_group_egress_rule: 7 });
  });

  test("db with SSH plans the one extra ingress rule, and the jump host's outputs", () => {
    const { counts, outputs } = plan("db", "ssh");
    expect(counts).toEqual({ ...db, aws_vpc_security_group_ingress_rule: 2 });
    expect(outputs).toEqual(
      expect.arrayContaining(["jump_host_instance_id", "jump_host_session_command", "jump_host_psql_command", "database_port_forward_command", "database_local_psql_command"]),
    );
  });

  test("the review's cost prices each interface endpoint in its 3 zones and the jump host's hours and address, to compare with NAT", async () => {
    // GIVEN the plans' values, priced with the eu-west-1 table
    const eu = PRICES["eu-west-1"];
    const monthly = (hourly: number) => Math.round(hourly * HOURS_PER_MONTH * 100) / 100;
    const of = (stack: string) => {
      const [variant, stage] = stack.split(/-(.*)/) as [string, StageName];
      return cost(shownOf<PlanJson>(stage, variant), "eu-west-1").lines.map(({ item, monthly }) => ({ item, monthly }));
    };
    // THEN alb with endpoints pays 7 endpoints x 3 zones, and its private jump host has no public address
    const endpoints = of("endpoints-alb").filter((l) => l.item.startsWith("VPC interface endpoint"));
    expect(endpoints.map((l) => l.item).sort()).toEqual(
      ["ec2messages", "ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm", "ssmmessages"].map((s) => `VPC interface endpoint ${s}: 3 zone(s)`),
    );
    for (const line of endpoints) expect(line.monthly).toBe(monthly(3 * eu.interfaceEndpointHour));
    expect(of("endpoints-alb").filter((l) => l.item.includes("instance") || l.item.startsWith("EC2"))).toEqual([{ item: "EC2 t4g.nano", monthly: monthly(eu.ec2Hour["t4g.nano"]) }]);
    // AND the lesson's db pays the host and its public IP; the SSH variant's t3.micro is priced as such
    expect(of("lesson-db")).toEqual(
      expect.arrayContaining([
        { item: "EC2 t4g.nano", monthly: monthly(eu.ec2Hour["t4g.nano"]) },
        { item: "public IPv4: instance with a public IP", monthly: monthly(eu.publicIpv4Hour) },
      ]),
    );
    expect(of("ssh-db")).toContainEqual({ item: "EC2 t3.micro", monthly: monthly(eu.ec2Hour["t3.micro"]) });
  });

  test("alb's plan outputs the load balancer URL and the ECR commands", () => {
    expect(plan("alb").outputs).toEqual(expect.arrayContaining(["load_balancer_url", "repository_url", "docker_login_command", "vpc_id"]));
  });
});
