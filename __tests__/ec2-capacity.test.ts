/**
 * EC2 capacity instead of Fargate (service.launchType "EC2"): the instances, their Auto Scaling group and the
 * capacity provider, the bridge-network tasks on dynamic host ports, the instance target group, the
 * security-group graph of each container stage, and the settings errors. Resources are found by type and
 * followed through their references, never by construct ids.
 */
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { EcsCapacityProvider } from "@cdktf/provider-aws/lib/ecs-capacity-provider";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { Testing } from "cdktf";
import { parseSettings, type SettingsInput } from "../src/settings/index";
import { checkPolicies } from "../src/policy";
import { ECS_REGISTERED_MEMORY_RATIO, cpuArchitecture, isGraviton } from "../src/settings/facts/instance-types";
import { HOURS_PER_MONTH, PRICES, cost } from "../src/review/cost";
import { exposure } from "../src/review/exposure";
import type { PlanJson } from "../src/review/plan";
import { WorkshopStage, type StageName } from "../src/stages";
import { decodeJsonencode } from "./support/hcl";
import { securityGraph } from "./support/security-graph";
import { PRIVATE_CIDRS, PUBLIC_CIDRS, ref, referencedAddress, resourcesOf, stageJson, subnetRef, theOne, type Attributes, type TerraformJson } from "./support/synth";

const EC2: SettingsInput = { service: { launchType: "EC2" } };
const ec2Stage = (stage: StageName, more: SettingsInput = {}): TerraformJson =>
  stageJson(stage, { ...more, service: { launchType: "EC2", ...more.service } });

/** The logical id an expression such as "${aws_x.<id>.arn}" points at. */
const idIn = (expression: unknown): string => String(referencedAddress(expression)).split(".")[1];

function view(json: TerraformJson) {
  const [groupId, group] = theOne(json, AutoscalingGroup);
  // The stage's other launch template is the jump host's: the instances' is the one the group launches from.
  const [templateId, template] = theOne(json, LaunchTemplate, (_, id) => ref(LaunchTemplate, id) === (group.launch_template as Attributes).id);
  const [providerId, provider] = theOne(json, EcsCapacityProvider);
  const [, service] = theOne(json, EcsService);
  const [clusterId] = theOne(json, EcsCluster);
  const task = theOne(json, EcsTaskDefinition, (_, id) => `\${aws_ecs_task_definition.${id}.arn}` === service.task_definition)[1];
  const [container] = decodeJsonencode(task.container_definitions) as Array<{ portMappings: Attributes[] }>;
  return { groupId, group, templateId, template, providerId, provider, service, clusterId, task, container };
}

describe("the instances (stage alb, EC2)", () => {
  const json = ec2Stage("alb");
  const v = view(json);

  test("an Auto Scaling group of 2 instances, 2 to 4, in the public subnets without NAT, from the launch template", () => {
    expect(v.group).toMatchObject({ min_size: 2, desired_capacity: 2, max_size: 4, health_check_type: "EC2" });
    expect(v.group.launch_template).toEqual({ id: ref(LaunchTemplate, v.templateId), version: "$Latest" });
    expect([...(v.group.vpc_zone_identifier as string[])].sort()).toEqual(PUBLIC_CIDRS.map((cidr) => subnetRef(json, cidr)).sort());
    expect(v.template.network_interfaces).toEqual([expect.objectContaining({ associate_public_ip_address: "true", device_index: 0 })]);
  });

  test("the group lets ECS manage it and still tears down: scale-in protection, force delete, the AmazonECSManaged tag", () => {
    expect(v.group).toMatchObject({ protect_from_scale_in: true, force_delete: true, lifecycle: { ignore_changes: ["desired_capacity"] } });
    expect(v.group.tag).toContainEqual({ key: "AmazonECSManaged", value: "", propagate_at_launch: true });
  });

  test("the ECS-optimized Amazon Linux 2023 AMI resolves from its public SSM parameter at launch, not at plan", () => {
    expect(v.template.image_id).toBe("resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id");
    expect(v.template.instance_type).toBe("t3.small");
    // AND the stage reads nothing from AWS: no data source
    expect((json as { data?: unknown }).data).toBeUndefined();
  });

  test("IMDSv2 is required with one hop, and the root volume is encrypted gp3", () => {
    expect(v.template.metadata_options).toEqual({ http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 });
    expect(v.template.block_device_mappings).toEqual([
      { device_name: "/dev/xvda", ebs: { volume_size: 30, volume_type: "gp3", encrypted: "true", delete_on_termination: "true" } },
    ]);
  });

  test("the user data joins the instance to the stage's cluster", () => {
    expect(v.template.user_data).toBe(
      `\${base64encode("#!/bin/bash\\necho ECS_CLUSTER=\${aws_ecs_cluster.${v.clusterId}.name} >> /etc/ecs/ecs.config\\n")}`,
    );
  });

  test("the instance profile's role is trusted by EC2 and has exactly the ECS agent's and Session Manager's managed policies", () => {
    const [, profile] = theOne(json, IamInstanceProfile, (_, id) => ref(IamInstanceProfile, id, "arn") === (v.template.iam_instance_profile as Attributes).arn);
    expect(profile.name).toBe("workshop-alb-instances");
    const roleId = idIn(profile.role);
    const role = theOne(json, IamRole, (_, id) => id === roleId)[1];
    expect(decodeJsonencode(role.assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    const attached = resourcesOf(json, IamRolePolicyAttachment).filter(([, a]) => idIn(a.role) === roleId).map(([, a]) => a.policy_arn);
    expect(attached.sort()).toEqual([
      "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
      "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
    ]);
    // AND no key pair unless one is named
    expect(v.template).not.toHaveProperty("key_name");
  });

  test("a capacity provider with managed scaling at 100 % and managed termination protection, the cluster's default", () => {
    expect(v.provider.auto_scaling_group_provider).toEqual({
      auto_scaling_group_arn: ref(AutoscalingGroup, v.groupId, "arn"),
      managed_termination_protection: "ENABLED",
      managed_draining: "ENABLED",
      managed_scaling: { status: "ENABLED", target_capacity: 100, minimum_scaling_step_size: 1, maximum_scaling_step_size: 2 },
    });
    const [attachmentId, attachment] = theOne(json, EcsClusterCapacityProviders);
    const providerName = ref(EcsCapacityProvider, v.providerId, "name");
    expect(attachment).toMatchObject({
      cluster_name: ref(EcsCluster, v.clusterId, "name"),
      capacity_providers: [providerName],
      default_capacity_provider_strategy: [{ capacity_provider: providerName, weight: 1, base: 0 }],
    });
    // AND the service runs on it, created only once the provider is attached
    expect(v.service.capacity_provider_strategy).toEqual([{ capacity_provider: providerName, weight: 1, base: 0 }]);
    expect(v.service.depends_on).toContain(`aws_ecs_cluster_capacity_providers.${attachmentId}`);
  });

  test("tasks use bridge networking with dynamic host ports and task-level CPU and memory; the service has no launch type and no awsvpc configuration", () => {
    expect(v.task).toMatchObject({
      requires_compatibilities: ["EC2"],
      network_mode: "bridge",
      cpu: "256",
      memory: "512",
      runtime_platform: { operating_system_family: "LINUX", cpu_architecture: "X86_64" },
    });
    expect(v.container.portMappings).toEqual([{ containerPort: 80, hostPort: 0, protocol: "tcp" }]);
    expect(v.service).not.toHaveProperty("launch_type");
    expect(v.service).not.toHaveProperty("network_configuration");
    expect(v.service.ordered_placement_strategy).toEqual([{ type: "spread", field: "attribute:ecs.availability-zone" }]);
  });

  test("the target group registers instances, with the lesson's health check, under a name of its own", () => {
    const [, group] = theOne(json, LbTargetGroup);
    expect(group).toMatchObject({ target_type: "instance", port: 80, protocol: "HTTP" });
    expect(group.health_check).toMatchObject({ healthy_threshold: 3, interval: 6, path: "/" });
    // AND the name differs from the ip target group's, so switching creates the new group before destroying the old
    const [, fargateGroup] = theOne(stageJson("alb"), LbTargetGroup);
    expect(group.name).toMatch(/^workshop-alb-[0-9a-f]{4}$/);
    expect(group.name).not.toBe(fargateGroup.name);
  });

  test("an output gives the command that lists the instances, for a Session Manager shell", () => {
    expect(json.output?.instance_ids_command.value).toBe(
      `aws autoscaling describe-auto-scaling-groups --region eu-west-1 --auto-scaling-group-names \${aws_autoscaling_group.${v.groupId}.name} ` +
        `--query 'AutoScalingGroups[0].Instances[].InstanceId' --output text`,
    );
    expect(stageJson("alb").output).not.toHaveProperty("instance_ids_command");
  });

  test("the group, its instances and their volumes carry the stage's tags, which the provider's default tags do not reach", () => {
    const tagged = ec2Stage("alb", { extraTags: { owner: "team-a" } });
    const common = { project: "workshop", stage: "alb", "managed-by": "cdktf", owner: "team-a", Name: "workshop-alb-instances" };
    const { group, template } = view(tagged);
    expect(group.tag).toEqual([
      ...Object.entries(common).map(([key, value]) => ({ key, value, propagate_at_launch: true })),
      { key: "AmazonECSManaged", value: "", propagate_at_launch: true },
    ]);
    expect(template.tag_specifications).toEqual([
      { resource_type: "instance", tags: common },
      { resource_type: "volume", tags: common },
    ]);
  });

  test("every unique name carries the prefix and the stage", () => {
    const profile = theOne(json, IamInstanceProfile, (_, id) => ref(IamInstanceProfile, id, "arn") === (v.template.iam_instance_profile as Attributes).arn)[1];
    const names = [v.group.name, v.template.name, v.provider.name, profile.name];
    expect(names).toEqual(Array(4).fill("workshop-alb-instances"));
  });
});

describe("settings of the instances", () => {
  test("a Graviton type gets the arm64 AMI and ARM64 tasks", () => {
    const v = view(ec2Stage("alb", { ec2Capacity: { instanceType: "t4g.small" } }));
    expect(v.template.image_id).toBe("resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id");
    expect(v.task.runtime_platform).toEqual({ operating_system_family: "LINUX", cpu_architecture: "ARM64" });
    expect([isGraviton("m7g.large"), isGraviton("c7gn.large"), isGraviton("a1.medium"), isGraviton("m6i.large"), isGraviton("g5.xlarge")]).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(cpuArchitecture("t3a.small")).toBe("X86_64");
  });

  test("size, scaling target and key pair reach the group, the provider and the template", () => {
    const v = view(ec2Stage("autoscaling", { ec2Capacity: { minSize: 1, desiredCapacity: 3, maxSize: 6, targetCapacityPercent: 80, sshKeyPairName: "workshop" } }));
    expect(v.group).toMatchObject({ min_size: 1, desired_capacity: 3, max_size: 6 });
    expect(v.provider.auto_scaling_group_provider).toMatchObject({ managed_scaling: { target_capacity: 80, maximum_scaling_step_size: 5 } });
    expect(v.template.key_name).toBe("workshop");
  });

  test("with NAT the instances run in the private subnets without public IPs", () => {
    const json = ec2Stage("alb", { network: { nat: "single" } });
    const v = view(json);
    expect([...(v.group.vpc_zone_identifier as string[])].sort()).toEqual(PRIVATE_CIDRS.map((cidr) => subnetRef(json, cidr)).sort());
    expect(v.template.network_interfaces).toEqual([expect.objectContaining({ associate_public_ip_address: "false" })]);
  });

  test("stage fargate: the lesson browses to a task, so it takes port 80 on a public instance, even with NAT", () => {
    const json = ec2Stage("fargate", { network: { nat: "single" } });
    const v = view(json);
    expect(v.container.portMappings).toEqual([{ containerPort: 80, hostPort: 80, protocol: "tcp" }]);
    expect([...(v.group.vpc_zone_identifier as string[])].sort()).toEqual(PUBLIC_CIDRS.map((cidr) => subnetRef(json, cidr)).sort());
    expect(v.template.network_interfaces).toEqual([expect.objectContaining({ associate_public_ip_address: "true" })]);
    expect(v.service.depends_on).toEqual([`aws_ecs_cluster_capacity_providers.${theOne(json, EcsClusterCapacityProviders)[0]}`]);
  });

  test("stage autoscaling: service auto scaling stays on the service, the capacity provider scales the instances", () => {
    const json = ec2Stage("autoscaling");
    const v = view(json);
    expect(theOne(json, AppautoscalingTarget)[1]).toMatchObject({ min_capacity: 1, max_capacity: 10, scalable_dimension: "ecs:service:DesiredCount" });
    expect(v.service.lifecycle).toEqual({ ignore_changes: ["desired_count"] });
    expect(v.provider.auto_scaling_group_provider).toMatchObject({ managed_scaling: { status: "ENABLED" } });
  });

  test("Fargate, the default, makes no EC2 capacity: the only instance is the lesson's jump host", () => {
    const json = stageJson("autoscaling");
    for (const type of [AutoscalingGroup, EcsCapacityProvider, EcsClusterCapacityProviders]) {
      expect(resourcesOf(json, type)).toEqual([]);
    }
    for (const type of [LaunchTemplate, IamInstanceProfile]) {
      expect(resourcesOf(json, type).map(([, r]) => r.name)).toEqual(["workshop-autoscaling-jump-host"]);
    }
    expect(theOne(json, EcsService)[1].launch_type).toBe("FARGATE");
  });
});

describe("the security-group graph with EC2", () => {
  // The lesson's jump host and its one path, to the database, are there whatever the launch type.
  const jumpHost = ["database <- jump-host tcp/5432", "jump-host -> 0.0.0.0/0 tcp/443", "jump-host -> database tcp/5432"];
  const graph = (stage: StageName, more: SettingsInput = {}) => securityGraph(ec2Stage(stage, more), `workshop-${stage}`);
  const withJumpHost = (edges: string[]) => [...edges, ...jumpHost].sort();
  const behindLoadBalancer = withJumpHost([
    "alb -> instances tcp/32768-65535",
    "alb <- 0.0.0.0/0 tcp/80",
    "alb <- ::/0 tcp/80",
    "database <- instances tcp/5432",
    "instances -> 0.0.0.0/0 tcp/443",
    "instances -> database tcp/5432",
    "instances <- alb tcp/32768-65535",
  ]);

  test("fargate: the instances admit the task's port 80 from anywhere, the lesson browses to it; the database admits only the instances", () => {
    expect(graph("fargate")).toEqual(
      withJumpHost(["database <- instances tcp/5432", "instances -> 0.0.0.0/0 tcp/443", "instances -> database tcp/5432", "instances <- 0.0.0.0/0 tcp/80"]),
    );
  });

  test.each(["alb", "autoscaling"] as const)("%s: the instances admit the dynamic port range only from the load balancer", (stage) => {
    expect(graph(stage)).toEqual(behindLoadBalancer);
  });

  test("alb with NAT: the same graph", () => {
    expect(graph("alb", { network: { nat: "perAz" } })).toEqual(behindLoadBalancer);
  });
});

describe("settings errors", () => {
  test("the capacity range must hold the desired capacity", () => {
    expect(() => parseSettings({ ...EC2, ec2Capacity: { minSize: 3, desiredCapacity: 2 } })).toThrow(
      /ec2Capacity: minSize 3, desiredCapacity 2, maxSize 4 must satisfy minSize <= desiredCapacity <= maxSize/,
    );
  });

  test("an instance type must look like one", () => {
    expect(() => parseSettings({ ...EC2, ec2Capacity: { instanceType: "small" } })).toThrow(
      /ec2Capacity\.instanceType: "small" must be an EC2 instance type such as "t3\.small"/,
    );
  });

  test("a task must fit on the instance type: memory", () => {
    const usable = Math.floor(1024 * ECS_REGISTERED_MEMORY_RATIO);
    expect(() => parseSettings({ service: { launchType: "EC2", memoryMiB: 1024 }, ec2Capacity: { instanceType: "t3.micro" } })).toThrow(
      new RegExp(`service\\.memoryMiB: 1024 does not fit on ec2Capacity\\.instanceType "t3\\.micro" \\(1024 MiB installed, of which ECS can give tasks at most about ${usable}\\); allowed: 512 to ${usable}, or a larger type`),
    );
  });

  test("a task must fit on the instance type: CPU", () => {
    expect(() => parseSettings({ service: { launchType: "EC2", cpu: 4096, memoryMiB: 1024 } })).toThrow(
      /service\.cpu: 4096 units do not fit on ec2Capacity\.instanceType "t3\.small", which has 2048 \(2 vCPUs\); allowed: 256 to 2048, or a larger type/,
    );
  });

  test("on EC2 CPU and memory need not be a Fargate pair; on Fargate they must", () => {
    expect(parseSettings({ service: { launchType: "EC2", cpu: 256, memoryMiB: 1536 } }).service.memoryMiB).toBe(1536);
    expect(() => parseSettings({ service: { cpu: 256, memoryMiB: 1536 } })).toThrow(/service\.memoryMiB: 1536 does not pair with cpu 256 on Fargate/);
    // AND an instance type the table does not know is allowed, unchecked
    expect(parseSettings({ ...EC2, ec2Capacity: { instanceType: "m8g.large" } }).ec2Capacity.instanceType).toBe("m8g.large");
  });

  test("EC2 runs one service: a second one, or service discovery, is refused with the reason", () => {
    const two = { services: [{ name: "web", paths: ["/"] }, { name: "api", paths: ["/api/*"] }] };
    expect(() => parseSettings({ ...EC2, ...two })).toThrow(
      /services: 2 services with service\.launchType "EC2", whose bridge tasks all share the instances' security group.*allowed: one service on "EC2", or several on "FARGATE"/,
    );
    expect(() => parseSettings({ ...EC2, serviceDiscovery: { enable: true } })).toThrow(
      /serviceDiscovery\.enable: true registers A records, which need awsvpc tasks; service\.launchType "EC2" runs bridge tasks/,
    );
    // AND the same two services on Fargate are fine
    expect(parseSettings(two).services).toHaveLength(2);
  });

  test("a single listed service on EC2 must fit on the instance type, and its setting is named", () => {
    expect(() => parseSettings({ ...EC2, services: [{ name: "api", paths: ["/api/*"], cpu: 4096, memoryMiB: 1536 }] })).toThrow(
      /services\[0\]\.cpu: 4096 units do not fit on ec2Capacity\.instanceType "t3\.small"/,
    );
    // AND it need not be a Fargate pair
    expect(parseSettings({ ...EC2, services: [{ name: "api", paths: ["/api/*"], cpu: 256, memoryMiB: 1536 }] }).services?.[0].memoryMiB).toBe(1536);
  });

  test("a single listed service away from \"/\" runs on the instances, behind its own instance target group", () => {
    // GIVEN one service at /api/* on EC2
    const json = ec2Stage("alb", { services: [{ name: "api", paths: ["/api/*"] }] });
    // THEN its target group registers instances, and its ECS service uses the capacity provider
    expect(resourcesOf(json, LbTargetGroup).map(([, group]) => group.target_type)).toEqual(["instance"]);
    const [, service] = theOne(json, EcsService);
    expect(service.capacity_provider_strategy).toEqual([expect.objectContaining({ weight: 1 })]);
    expect(service).not.toHaveProperty("launch_type");
  });

  test("a name prefix AWS refuses for a capacity provider is an error only on EC2", () => {
    expect(() => parseSettings({ ...EC2, namePrefix: "ecs-lab" })).toThrow(
      /namePrefix: "ecs-lab" starts with "ecs", which AWS refuses at the start of a capacity provider's name .*choose a prefix that does not start with aws, ecs, fargate/,
    );
    expect(parseSettings({ namePrefix: "ecs-lab" }).namePrefix).toBe("ecs-lab");
  });

  test("the Auto Scaling group's extra tag leaves room for one extra tag less", () => {
    const extraTags = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, "v"]));
    expect(() => parseSettings({ ...EC2, extraTags: extraTags(46) })).toThrow(
      /extraTags: 46 tags; with service\.launchType "EC2" the Auto Scaling group also carries the tag AmazonECSManaged, so at most 45 fit in the 50 AWS allows/,
    );
    expect(Object.keys(parseSettings({ ...EC2, extraTags: extraTags(45) }).extraTags)).toHaveLength(45);
    expect(Object.keys(parseSettings({ extraTags: extraTags(46) }).extraTags)).toHaveLength(46);
  });

  test("an unknown launch type or key of ec2Capacity is refused with what is allowed", () => {
    expect(() => parseSettings({ service: { launchType: "EXTERNAL" } })).toThrow(/service\.launchType: "EXTERNAL" must be one of "FARGATE", "EC2"/);
    expect(() => parseSettings({ ec2Capacity: { desired: 2 } })).toThrow(/ec2Capacity\.desired: unknown setting; allowed here: instanceType, minSize, desiredCapacity, maxSize/);
  });
});

describe("the plan review's cost of the instances", () => {
  const eu = PRICES["eu-west-1"];
  const monthly = (hourly: number) => Math.round(hourly * HOURS_PER_MONTH * 100) / 100;
  /** A plan creating a launch template and a group of `instances` from it, the group finding it by configuration reference. */
  const planOf = (instanceType: string, publicIp: boolean, instances = 2): PlanJson => ({
    format_version: "1.2",
    configuration: {
      provider_config: { aws: { name: "aws", expressions: { region: { constant_value: "eu-west-1" } } } },
      root_module: { resources: [{ address: "aws_autoscaling_group.g", expressions: { launch_template: [{ id: { references: ["aws_launch_template.t.id", "aws_launch_template.t"] } }] } }] },
    },
    resource_changes: [
      {
        address: "aws_launch_template.t",
        mode: "managed",
        type: "aws_launch_template",
        name: "t",
        change: {
          actions: ["create"],
          before: null,
          after: { instance_type: instanceType, block_device_mappings: [{ ebs: [{ volume_size: 30 }] }], network_interfaces: [{ associate_public_ip_address: String(publicIp) }] },
          after_unknown: { id: true },
        },
      },
      {
        address: "aws_autoscaling_group.g",
        mode: "managed",
        type: "aws_autoscaling_group",
        name: "g",
        change: { actions: ["create"], before: null, after: { desired_capacity: instances, launch_template: [{}] }, after_unknown: { launch_template: [{ id: true }] } },
      },
    ],
  });

  test("prices the desired capacity of the launch template's type, its gp3 root volumes and public IPs", () => {
    const c = cost(planOf("t3.small", true));
    expect(c.lines).toEqual([
      { address: "aws_autoscaling_group.g", item: "EC2: 2 x t3.small", monthly: monthly(2 * eu.ec2Hour["t3.small"]) },
      { address: "aws_autoscaling_group.g", item: "EBS gp3: 2 x 30 GiB", monthly: Math.round(2 * 30 * eu.ebsGp3GbMonth * 100) / 100 },
      { address: "aws_autoscaling_group.g", item: "public IPv4: 2 instance(s) with a public IP", monthly: monthly(2 * eu.publicIpv4Hour) },
    ]);
    expect(c.unpriced).toEqual([]);
  });

  test("instances without public IPs pay none, and a type without a price is named as unpriced", () => {
    expect(cost(planOf("t4g.small", false, 3)).lines.map((l) => l.item)).toEqual(["EC2: 3 x t4g.small", "EBS gp3: 3 x 30 GiB"]);
    expect(cost(planOf("m8g.large", false)).unpriced).toEqual(["aws_autoscaling_group.g: EC2 m8g.large"]);
  });
});

describe("the plan review's exposure of the instances", () => {
  /** A plan creating the instances' group, a rule from anywhere on port 80, and a launch template using the group. */
  const planOf = (publicIp: boolean): PlanJson => {
    const create = (type: string, after: Record<string, unknown>) => ({
      address: `${type}.x`,
      mode: "managed" as const,
      type,
      name: "x",
      change: { actions: ["create" as const], before: null, after },
    });
    return {
      format_version: "1.2",
      resource_changes: [
        create("aws_security_group", { id: "sg-1", name: "workshop-fargate-instances" }),
        create("aws_vpc_security_group_ingress_rule", { security_group_id: "sg-1", cidr_ipv4: "0.0.0.0/0", ip_protocol: "tcp", from_port: 80, to_port: 80 }),
        create("aws_launch_template", { name: "workshop-fargate-instances", network_interfaces: [{ associate_public_ip_address: String(publicIp), security_groups: ["sg-1"] }] }),
      ],
    };
  };

  test("the open port of public instances is a new internet path to the launch template's instances", () => {
    expect(exposure(planOf(true)).newInternetPaths).toEqual([
      { from: "0.0.0.0/0", to: "instances of launch template workshop-fargate-instances", port: 80, via: "aws_vpc_security_group_ingress_rule.x", publicIp: true },
    ]);
  });

  test("private instances are named the same, without a public IP", () => {
    expect(exposure(planOf(false)).after).toEqual([expect.not.objectContaining({ publicIp: true })]);
    expect(exposure(planOf(false)).after[0].to).toBe("instances of launch template workshop-fargate-instances");
  });
});

describe("the policy checks hold the instances to IMDSv2 and encrypted volumes", () => {
  test.each([
    ["metadata_options.http_tokens", "optional", "EC2-IMDSV2"],
    ["block_device_mappings.0.ebs.encrypted", "false", "EC2-EBS-ENCRYPTED"],
  ])("a launch template with %s = %s fails the synth on %s", (path, value, rule) => {
    // GIVEN the alb stage on EC2 WHEN its launch template is weakened
    const app = Testing.app();
    const stage = new WorkshopStage(app, "alb", { settings: parseSettings(EC2) });
    const template = stage.service?.ec2Capacity?.launchTemplate;
    if (!template) throw new Error("no launch template");
    template.addOverride(path, value);
    // THEN the policy check fails on the rule, at the template
    expect(() => checkPolicies(app)).toThrow(new RegExp(`alb: aws_launch_template\\.service_ec2-capacity_launch-template_\\w+ .*\\n\\s+${rule}: `));
  });
});
