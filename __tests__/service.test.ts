/**
 * The ContainerService construct as the stages wire it: cluster, log group, task definition with the database
 * connection, least-privilege IAM roles, the service's placement and deployment, and the security groups
 * around the tasks. Cross-resource facts are checked by following Terraform references from the service,
 * never by construct ids.
 */
import "cdktf/lib/testing/adapters/jest"; // types of the Testing matchers registered in setup.js
import { Testing, TerraformStack } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import type { SettingsInput } from "../src/settings/index";
import type { NatMode } from "../src/settings/network";
import { StageNames } from "../src/common/naming";
import { Network } from "../src/constructs/network";
import { ContainerRegistry } from "../src/constructs/registry";
import { ContainerService } from "../src/constructs/ecs/service";
import type { StageName } from "../src/stages";
import { decodeJsonencode } from "./support/hcl";
import {
  PRIVATE_CIDRS,
  PUBLIC_CIDRS,
  SynthesizedView,
  ZONES,
  ref,
  resourcesOf,
  rulesOn,
  subnetRef,
  synthesizedStack,
  synthesizedStage,
  theOne,
  type Attributes,
  type ResourceType,
  type Synthesized,
} from "./support/synth";

// ---------------------------------------------------------------------------------------------
// Reading the synthesized Terraform JSON.

/** The logical id a reference such as "${aws_iam_role.<id>.arn}" points at, checking the resource type. */
function idOf(type: ResourceType, expression: unknown): string {
  const match = /^\$\{([a-z0-9_]+)\.([^.}]+)\.[^}]+\}$/.exec(String(expression));
  if (!match || match[1] !== type.tfResourceType) throw new Error(`not a reference to a ${type.tfResourceType}: ${String(expression)}`);
  return match[2];
}

function byId(json: Synthesized, type: ResourceType, id: string): Attributes {
  const attributes = json.resource?.[type.tfResourceType]?.[id];
  if (!attributes) throw new Error(`no ${type.tfResourceType}.${id}`);
  return attributes;
}

/** "<type>.<id>" of every resource whose configuration mentions `address` ("aws_iam_role.<id>"). */
function resourcesReferring(json: Synthesized, address: string): string[] {
  return Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName ?? {})
      .filter(([id, attributes]) => `${type}.${id}` !== address && JSON.stringify(attributes).includes(`${address}.`))
      .map(([id]) => `${type}.${id}`),
  );
}

interface KeyValue {
  readonly name: string;
  readonly value: string;
}
interface ContainerDefinition {
  readonly name: string;
  readonly image: string;
  readonly essential?: boolean;
  readonly portMappings: Array<{ readonly containerPort: number; readonly protocol: string }>;
  readonly logConfiguration: { readonly logDriver: string; readonly options: Record<string, string> };
  readonly environment?: KeyValue[];
  readonly secrets?: Array<{ readonly name: string; readonly valueFrom: string }>;
}
interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly [key: string]: unknown;
}
interface PolicyDocument {
  readonly Version: string;
  readonly Statement: PolicyStatement[];
}
/** What a statement grants, without its Sid; any other key (Condition, NotAction, ...) is kept so it shows. */
interface Grant {
  readonly effect: string;
  readonly actions: string[];
  readonly resources: string[];
  readonly [key: string]: unknown;
}

function grantsOf(document: PolicyDocument): Grant[] {
  return document.Statement.map(({ Sid: _sid, Effect, Action, Resource, ...rest }) => ({
    effect: Effect,
    actions: [Action].flat().sort(),
    resources: [Resource].flat(),
    ...rest,
  }));
}

/** A security group rule reduced to what it lets through; undefined fields are absent. */
function ruleOf(rule: Attributes): Attributes {
  return {
    protocol: rule.ip_protocol,
    fromPort: rule.from_port,
    toPort: rule.to_port,
    cidrIpv4: rule.cidr_ipv4,
    cidrIpv6: rule.cidr_ipv6,
    prefixList: rule.prefix_list_id,
    securityGroup: rule.referenced_security_group_id,
  };
}

/** One synthesized stage (or bare stack), read from the service outwards. */
class SynthesizedService extends SynthesizedView {
  get service(): Attributes {
    return theOne(this.json, EcsService)[1];
  }

  get taskDefinitionId(): string {
    return idOf(EcsTaskDefinition, this.service.task_definition);
  }

  get taskDefinition(): Attributes {
    return byId(this.json, EcsTaskDefinition, this.taskDefinitionId);
  }

  /** The task definition's only container. */
  get container(): ContainerDefinition {
    const containers = decodeJsonencode(this.taskDefinition.container_definitions) as ContainerDefinition[];
    expect(containers).toHaveLength(1);
    return containers[0];
  }

  get executionRoleId(): string {
    return idOf(IamRole, this.taskDefinition.execution_role_arn);
  }

  get taskRoleId(): string {
    return idOf(IamRole, this.taskDefinition.task_role_arn);
  }

  /** Inline policies (aws_iam_role_policy) of a role. */
  policiesOf(roleId: string): Array<[string, Attributes]> {
    return resourcesOf(this.json, IamRolePolicy).filter(([, policy]) => idOf(IamRole, policy.role) === roleId);
  }

  /** The document of the execution role's one inline policy. */
  get executionPolicy(): PolicyDocument {
    const policies = this.policiesOf(this.executionRoleId);
    expect(policies).toHaveLength(1);
    return decodeJsonencode(policies[0][1].policy) as PolicyDocument;
  }

  get repositoryId(): string {
    return theOne(this.json, EcrRepository)[0];
  }

  get logGroupId(): string {
    return theOne(this.json, CloudwatchLogGroup, (group) => String(group.name).startsWith("/ecs/"))[0];
  }

  get databaseId(): string {
    return theOne(this.json, DbInstance)[0];
  }

  /** "${aws_db_instance.<id>.master_user_secret[0].secret_arn}": the secret RDS keeps the master password in. */
  get masterSecretArn(): string {
    return ref(DbInstance, this.databaseId, "master_user_secret[0].secret_arn");
  }

  get networkConfiguration(): Attributes {
    return this.service.network_configuration as Attributes;
  }

  /** The security group the tasks run in: the service's only one. */
  get taskGroup(): string {
    const groups = this.networkConfiguration.security_groups as string[];
    expect(groups).toHaveLength(1);
    return groups[0];
  }

  /** The security group the database instance is placed in. */
  get databaseGroup(): string {
    const groups = byId(this.json, DbInstance, this.databaseId).vpc_security_group_ids as string[];
    expect(groups).toHaveLength(1);
    return groups[0];
  }

  /** The security group of the load balancer. */
  get loadBalancerGroup(): string {
    const groups = theOne(this.json, Lb)[1].security_groups as string[];
    expect(groups).toHaveLength(1);
    return groups[0];
  }

  ingressOn(group: string): Attributes[] {
    return rulesOn(this.json, VpcSecurityGroupIngressRule, group).map(ruleOf);
  }

  egressOn(group: string): Attributes[] {
    return rulesOn(this.json, VpcSecurityGroupEgressRule, group).map(ruleOf);
  }

  subnetRefs(cidrs: string[]): string[] {
    return cidrs.map((cidr) => subnetRef(this.json, cidr));
  }
}

function stage(name: StageName, input: SettingsInput = {}): SynthesizedService {
  return new SynthesizedService(synthesizedStage(name, input));
}

/** A bare stack: network, registry and service, without database or load balancer. */
function bareService(options: { nat?: NatMode; openToInternet?: boolean } = {}): SynthesizedService {
  const stack = new TerraformStack(Testing.app(), "bare");
  const names = new StageNames("workshop", "fargate");
  const network = new Network(stack, "network", { availabilityZones: ZONES, settings: { nat: options.nat } });
  const registry = new ContainerRegistry(stack, "registry", { names, appName: "my-nginx", region: "eu-west-1" });
  new ContainerService(stack, "service", { network, names, region: "eu-west-1", registry, openToInternet: options.openToInternet });
  return new SynthesizedService(synthesizedStack(stack));
}

// ---------------------------------------------------------------------------------------------

describe("stage fargate with the lesson defaults", () => {
  let fargate: SynthesizedService;
  beforeAll(() => {
    // GIVEN prefix "workshop", stage "fargate" and the lesson's settings
    fargate = stage("fargate");
  });

  describe("the cluster and the log group", () => {
    test('the cluster is named "workshop-fargate" with Container Insights disabled', () => {
      // THEN one cluster, without the extra cost of Container Insights
      expect(resourcesOf(fargate.json, EcsCluster)).toHaveLength(1);
      expect(fargate.text).toHaveResourceWithProperties(EcsCluster, {
        name: "workshop-fargate",
        setting: [expect.objectContaining({ name: "containerInsights", value: "disabled" })],
      });
    });

    test('the log group is "/ecs/workshop-fargate/my-nginx" and keeps logs 7 days', () => {
      // THEN one log group of the service (the others are the database's), named by stage and app, with the lesson's retention
      expect(resourcesOf(fargate.json, CloudwatchLogGroup).filter(([, group]) => !String(group.name).startsWith("/aws/rds/"))).toHaveLength(1);
      expect(fargate.text).toHaveResourceWithProperties(CloudwatchLogGroup, {
        name: "/ecs/workshop-fargate/my-nginx",
        retention_in_days: 7,
      });
    });
  });

  describe("the task definition", () => {
    test("is a Fargate task in awsvpc mode with 256 CPU units and 512 MiB", () => {
      // THEN the service's task definition has the lesson's size and networking
      expect(fargate.taskDefinition).toEqual(
        expect.objectContaining({ requires_compatibilities: ["FARGATE"], network_mode: "awsvpc", cpu: "256", memory: "512" }),
      );
    });

    test('runs one container "my-nginx" from the public nginx image', () => {
      // THEN the container runs public.ecr.aws/nginx/nginx:stable, so a deploy works before anything is pushed
      expect(fargate.container.name).toBe("my-nginx");
      expect(fargate.container.image).toBe("public.ecr.aws/nginx/nginx:stable");
    });

    test("the container listens on port 80/tcp", () => {
      // THEN one port mapping
      expect(fargate.container.portMappings).toEqual([expect.objectContaining({ containerPort: 80, protocol: "tcp" })]);
    });

    test("the container logs with awslogs to the log group in eu-west-1", () => {
      // THEN the awslogs driver writes to the stage's log group, by reference, in the stage's region
      const { logConfiguration } = fargate.container;
      expect(logConfiguration.logDriver).toBe("awslogs");
      expect(logConfiguration.options).toEqual(
        expect.objectContaining({ "awslogs-group": ref(CloudwatchLogGroup, fargate.logGroupId, "name"), "awslogs-region": "eu-west-1" }),
      );
    });

    test("hands the container DB_HOST, DB_PORT, DB_NAME and DB_USER as environment", () => {
      // THEN the host is the instance's address and the rest are the lesson's database values
      expect(fargate.container.environment).toEqual([
        { name: "DB_HOST", value: ref(DbInstance, fargate.databaseId, "address") },
        { name: "DB_PORT", value: "5432" },
        { name: "DB_NAME", value: "workshop" },
        { name: "DB_USER", value: "postgres" },
      ]);
    });

    test("hands the container DB_PASSWORD only as a secret from the password key of the RDS master secret", () => {
      // THEN the password comes from Secrets Manager at run time
      expect(fargate.container.secrets).toEqual([{ name: "DB_PASSWORD", valueFrom: `${fargate.masterSecretArn}:password::` }]);
      // AND never as plain environment
      const environment = fargate.container.environment ?? [];
      expect(environment.map(({ name }) => name)).not.toContain("DB_PASSWORD");
      for (const { value } of environment) expect(value).not.toContain("master_user_secret");
    });
  });

  describe("the IAM roles", () => {
    test.each([
      ["execution", (s: SynthesizedService) => s.executionRoleId],
      ["task", (s: SynthesizedService) => s.taskRoleId],
    ])("the %s role can be assumed by ecs-tasks.amazonaws.com only", (_role, roleId) => {
      // THEN its trust policy names the ECS tasks service and nothing else
      const role = byId(fargate.json, IamRole, roleId(fargate));
      expect(decodeJsonencode(role.assume_role_policy)).toEqual({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
      });
    });

    test("the execution role has a single inline policy and no attached policies", () => {
      // THEN besides the task definition, only its one aws_iam_role_policy refers to the role
      const roleAddress = `${IamRole.tfResourceType}.${fargate.executionRoleId}`;
      const policies = fargate.policiesOf(fargate.executionRoleId);
      expect(policies).toHaveLength(1);
      expect(resourcesReferring(fargate.json, roleAddress).sort()).toEqual(
        [`${EcsTaskDefinition.tfResourceType}.${fargate.taskDefinitionId}`, `${IamRolePolicy.tfResourceType}.${policies[0][0]}`].sort(),
      );
      // AND the role itself carries no inline or managed policies
      const role = byId(fargate.json, IamRole, fargate.executionRoleId);
      expect(role.inline_policy).toBeUndefined();
      expect(role.managed_policy_arns).toBeUndefined();
    });

    test("the execution policy allows exactly: ECR token, pull from the repository, write to the log group, read the master secret", () => {
      // THEN four grants, each on its one resource
      const grants = grantsOf(fargate.executionPolicy);
      expect(grants).toHaveLength(4);
      expect(grants).toEqual(
        expect.arrayContaining([
          { effect: "Allow", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
          {
            effect: "Allow",
            actions: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
            resources: [ref(EcrRepository, fargate.repositoryId, "arn")],
          },
          {
            effect: "Allow",
            actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
            resources: [`${ref(CloudwatchLogGroup, fargate.logGroupId, "arn")}:*`],
          },
          { effect: "Allow", actions: ["secretsmanager:GetSecretValue"], resources: [fargate.masterSecretArn] },
        ]),
      );
    });

    test('the execution policy uses the resource "*" only for ecr:GetAuthorizationToken', () => {
      // THEN every grant on "*" is the token call, which has no resource to narrow to
      const onEverything = grantsOf(fargate.executionPolicy).filter(({ resources }) => resources.includes("*"));
      expect(onEverything.flatMap(({ actions }) => actions)).toEqual(["ecr:GetAuthorizationToken"]);
    });

    test("the execution policy names every action in full, without wildcards", () => {
      // THEN no action is "*" or ends in "*"
      const actions = grantsOf(fargate.executionPolicy).flatMap((grant) => grant.actions);
      expect(actions.length).toBeGreaterThan(0);
      for (const action of actions) expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
    });

    test("the task role has no policy attached at all", () => {
      // THEN nothing but the task definition refers to the task role
      const roleAddress = `${IamRole.tfResourceType}.${fargate.taskRoleId}`;
      expect(resourcesReferring(fargate.json, roleAddress)).toEqual([`${EcsTaskDefinition.tfResourceType}.${fargate.taskDefinitionId}`]);
      expect(fargate.policiesOf(fargate.taskRoleId)).toHaveLength(0);
      // AND the role itself carries no inline or managed policies
      const role = byId(fargate.json, IamRole, fargate.taskRoleId);
      expect(role.inline_policy).toBeUndefined();
      expect(role.managed_policy_arns).toBeUndefined();
    });

    test("the execution role and the task role are different roles", () => {
      // THEN the app's permissions (task role) are not ECS's (execution role)
      expect(fargate.taskRoleId).not.toBe(fargate.executionRoleId);
    });
  });

  describe("the service", () => {
    test("runs the task definition on Fargate in the stage's cluster", () => {
      // THEN the service points at the cluster and the task definition by reference
      const [clusterId] = theOne(fargate.json, EcsCluster);
      expect(fargate.service).toEqual(
        expect.objectContaining({
          launch_type: "FARGATE",
          cluster: ref(EcsCluster, clusterId, "arn"),
          task_definition: ref(EcsTaskDefinition, fargate.taskDefinitionId, "arn"),
        }),
      );
    });

    test("runs 1 task", () => {
      // THEN the fargate stage's desired count
      expect(fargate.text).toHaveResourceWithProperties(EcsService, { desired_count: 1 });
    });

    test("rolls a failed deployment back with the deployment circuit breaker", () => {
      // THEN the circuit breaker is on, with rollback
      expect(fargate.text).toHaveResourceWithProperties(EcsService, {
        deployment_circuit_breaker: expect.objectContaining({ enable: true, rollback: true }),
      });
    });

    test("is deployed by the ECS deployment controller", () => {
      // THEN rolling updates by ECS
      expect(fargate.text).toHaveResourceWithProperties(EcsService, { deployment_controller: expect.objectContaining({ type: "ECS" }) });
    });

    test("without NAT, runs in the 3 public subnets with a public IP", () => {
      // THEN the tasks can pull images over the internet gateway
      expect(fargate.networkConfiguration.subnets).toEqual(fargate.subnetRefs(PUBLIC_CIDRS));
      expect(fargate.networkConfiguration.assign_public_ip).toBe(true);
    });

    test("registers with no load balancer and leaves desired_count to Terraform", () => {
      // THEN no target group, and no lifecycle rule ignoring desired_count
      expect(fargate.service.load_balancer).toBeUndefined();
      expect(fargate.service.lifecycle).toBeUndefined();
    });
  });

  describe("the security groups", () => {
    test("the tasks admit the container port 80 from 0.0.0.0/0 and nothing else", () => {
      // THEN the task security group has exactly one ingress rule
      expect(fargate.ingressOn(fargate.taskGroup)).toEqual([{ protocol: "tcp", fromPort: 80, toPort: 80, cidrIpv4: "0.0.0.0/0" }]);
    });

    test("the tasks may connect out only to HTTPS anywhere and to the database on 5432", () => {
      // THEN exactly two egress rules: 443 to 0.0.0.0/0 and 5432 to the database security group
      const egress = fargate.egressOn(fargate.taskGroup);
      expect(egress).toHaveLength(2);
      expect(egress).toEqual(
        expect.arrayContaining([
          { protocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" },
          { protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroup: fargate.databaseGroup },
        ]),
      );
    });

    test("the database admits 5432 from the task security group, and otherwise only from the jump host's", () => {
      // THEN the database security group has two ingress rules: the tasks' and the jump host's (src/constructs/jump-host.ts)
      const jumpHostGroup = ref(SecurityGroup, theOne(fargate.json, SecurityGroup, (group) => group.name === "workshop-fargate-jump-host")[0]);
      expect(fargate.ingressOn(fargate.databaseGroup)).toEqual([
        { protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroup: jumpHostGroup },
        { protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroup: fargate.taskGroup },
      ]);
    });

    test("the task security group has no inline rules and no aws_security_group_rule", () => {
      // THEN every rule of the tasks is one of the standalone rules checked above
      const taskGroup = byId(fargate.json, SecurityGroup, idOf(SecurityGroup, fargate.taskGroup));
      expect(taskGroup.ingress).toBeUndefined();
      expect(taskGroup.egress).toBeUndefined();
      const legacy = resourcesOf(fargate.json, SecurityGroupRule).filter(([, rule]) => rule.security_group_id === fargate.taskGroup);
      expect(legacy).toHaveLength(0);
    });
  });
});

describe("stage fargate with service settings", () => {
  let customised: SynthesizedService;
  beforeAll(() => {
    // GIVEN Container Insights on, 30 days of logs and the image from the stage's repository at tag "v1"
    customised = stage("fargate", {
      service: { enableContainerInsights: true, logRetentionDays: 30, imageSource: "repository", imageTag: "v1" },
    });
  });

  test("enableContainerInsights turns Container Insights on", () => {
    // THEN the cluster setting is enabled
    expect(customised.text).toHaveResourceWithProperties(EcsCluster, {
      setting: [expect.objectContaining({ name: "containerInsights", value: "enabled" })],
    });
  });

  test("logRetentionDays sets the log group's retention", () => {
    // THEN logs are kept 30 days
    expect(customised.text).toHaveResourceWithProperties(CloudwatchLogGroup, { retention_in_days: 30 });
  });

  test('imageSource "repository" runs <repository_url>:<imageTag>', () => {
    // THEN the container image is the stage's repository at tag v1
    expect(customised.container.image).toBe(`${ref(EcrRepository, customised.repositoryId, "repository_url")}:v1`);
  });
});

describe.each<NatMode>(["single", "perAz"])('stage fargate with nat "%s"', (nat) => {
  test("keeps the tasks in the 3 public subnets with a public IP, because the lesson browses to them", () => {
    // GIVEN NAT gateways for the private subnets
    const synthesized = stage("fargate", { network: { nat } });
    // THEN the tasks stay where the open task port can be reached
    expect(synthesized.networkConfiguration.subnets).toEqual(synthesized.subnetRefs(PUBLIC_CIDRS));
    expect(synthesized.networkConfiguration.assign_public_ip).toBe(true);
    expect(synthesized.ingressOn(synthesized.taskGroup)).toEqual([{ protocol: "tcp", fromPort: 80, toPort: 80, cidrIpv4: "0.0.0.0/0" }]);
  });
});

describe.each<NatMode>(["single", "perAz"])('stage alb with nat "%s"', (nat) => {
  test("runs the service in the 3 private subnets without a public IP, reachable only from the load balancer", () => {
    // GIVEN NAT gateways for the private subnets, and a load balancer in front of the tasks
    const synthesized = stage("alb", { network: { nat } });
    // THEN the tasks sit in the private subnets and reach the internet through NAT only
    expect(synthesized.networkConfiguration.subnets).toEqual(synthesized.subnetRefs(PRIVATE_CIDRS));
    expect(synthesized.networkConfiguration.assign_public_ip).toBe(false);
    expect(synthesized.ingressOn(synthesized.taskGroup)).toEqual([
      { protocol: "tcp", fromPort: 80, toPort: 80, securityGroup: synthesized.loadBalancerGroup },
    ]);
  });
});

describe("where the construct places its tasks", () => {
  test.each([
    ["none", false, "public", true],
    ["single", false, "private", false],
    ["single", true, "public", true],
  ] as const)("nat %s, openToInternet %s: %s subnets, public IP %s", (nat, openToInternet, kind, publicIp) => {
    // GIVEN a service on a network with or without NAT, open to the internet or not
    const bare = bareService({ nat, openToInternet });
    // THEN tasks open to the internet stay reachable; others go private as soon as NAT gives them a way out
    expect(bare.networkConfiguration.subnets).toEqual(bare.subnetRefs(kind === "public" ? PUBLIC_CIDRS : PRIVATE_CIDRS));
    expect(bare.networkConfiguration.assign_public_ip).toBe(publicIp);
  });
});

describe("stage alb: the service behind the load balancer", () => {
  let alb: SynthesizedService;
  beforeAll(() => {
    // GIVEN stage "alb" with the lesson's settings
    alb = stage("alb");
  });

  test("registers container my-nginx on port 80 with the target group", () => {
    // THEN the service has one load_balancer block naming the target group by reference
    const [targetGroupId] = theOne(alb.json, LbTargetGroup);
    expect(alb.service.load_balancer).toEqual([
      { target_group_arn: ref(LbTargetGroup, targetGroupId, "arn"), container_name: "my-nginx", container_port: 80 },
    ]);
  });

  test("is created after the listener", () => {
    // THEN the service depends on the listener, so the target group has a load balancer when it registers
    const [listenerId] = theOne(alb.json, LbListener);
    expect(alb.service.depends_on).toEqual(expect.arrayContaining([`${LbListener.tfResourceType}.${listenerId}`]));
  });

  test("runs 3 tasks", () => {
    // THEN the alb stage's desired count
    expect(alb.text).toHaveResourceWithProperties(EcsService, { desired_count: 3 });
  });

  test("the tasks admit port 80 only from the load balancer security group, from no CIDR range", () => {
    // THEN one ingress rule on the tasks, from the load balancer's group
    expect(alb.ingressOn(alb.taskGroup)).toEqual([{ protocol: "tcp", fromPort: 80, toPort: 80, securityGroup: alb.loadBalancerGroup }]);
  });
});

describe("stage autoscaling: the desired count belongs to Application Auto Scaling", () => {
  let autoscaling: SynthesizedService;
  beforeAll(() => {
    // GIVEN stage "autoscaling" with the lesson's settings
    autoscaling = stage("autoscaling");
  });

  test("Terraform ignores changes to desired_count", () => {
    // THEN the service's lifecycle ignores desired_count
    expect(autoscaling.service.lifecycle).toEqual(expect.objectContaining({ ignore_changes: expect.arrayContaining(["desired_count"]) }));
  });

  test("starts with 1 task", () => {
    // THEN the requestCount policy's desired count
    expect(autoscaling.text).toHaveResourceWithProperties(EcsService, { desired_count: 1 });
  });
});

describe("the service without a database and without openToInternet", () => {
  let bare: SynthesizedService;
  beforeAll(() => {
    // GIVEN a bare stack: network, registry and service, nothing else
    bare = bareService();
  });

  test("hands the container no environment and no secrets", () => {
    // THEN there is no connection to hand over
    expect(bare.container.environment).toBeUndefined();
    expect(bare.container.secrets).toBeUndefined();
  });

  test("the execution policy reads no secret", () => {
    // THEN no Secrets Manager action is granted
    const actions = grantsOf(bare.executionPolicy).flatMap((grant) => grant.actions);
    expect(actions.filter((action) => action.startsWith("secretsmanager:"))).toEqual([]);
  });

  test("the tasks admit nothing", () => {
    // THEN the task security group has no ingress rule
    expect(bare.ingressOn(bare.taskGroup)).toEqual([]);
  });
});
