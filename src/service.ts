/**
 * The app on ECS Fargate: cluster, log group, execution and task roles, task definition and service.
 * Tasks get the database connection as environment variables and the password from the RDS-managed
 * secret through the task definition's `secrets`, never as plain environment.
 */
import { Construct } from "constructs";
import type { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { defaultSettings, withDefaults, type Settings } from "./config";
import type { Database } from "./database";
import { DYNAMIC_HOST_PORTS, Ec2Capacity, type Ec2CapacitySettings } from "./ec2-capacity";
import { jsonDocument, taskRole, type PolicyStatement } from "./iam";
import type { LoadBalancer } from "./load-balancer";
import { logGroup } from "./log-group";
import type { StageNames } from "./naming";
import type { Network } from "./network";
import { REASONS } from "./policy/reasons";
import { waive } from "./policy/waivers";
import type { ContainerRegistry } from "./registry";
import { ANYWHERE_IPV4, allowConnection, allowEgress, allowIngress } from "./security-group";

export type ServiceSettings = Settings["service"];

export interface FargateServiceProps {
  /**
   * Tasks run in its private subnets without a public IP when it has NAT, else in its public subnets with one;
   * tasks open to the internet always run public.
   */
  readonly network: Network;
  readonly names: StageNames;
  readonly region: string;
  /** The stage's repository: the task may pull from it, and imageSource "repository" runs its image. */
  readonly registry: ContainerRegistry;
  /** Handed to the container as DB_HOST, DB_PORT, DB_NAME, DB_USER and the secret DB_PASSWORD. @default - no database */
  readonly database?: Database;
  /** When given, the service registers with its target group and the tasks admit only its security group. @default - none */
  readonly loadBalancer?: LoadBalancer;
  /**
   * Admit the container port from 0.0.0.0/0 and give the tasks a public IP in the public subnets, even with NAT,
   * so the lesson can browse to a task. @default false
   */
  readonly openToInternet?: boolean;
  /** Tasks to run. @default settings.desiredCount */
  readonly desiredCount?: number;
  /** Application Auto Scaling owns the desired count: Terraform ignores changes to it. @default false */
  readonly autoscaled?: boolean;
  /** App name, image, size, logs. @default - the lesson's: my-nginx, public nginx image, 256 CPU / 512 MiB, port 80 */
  readonly settings?: Partial<ServiceSettings>;
  /** The instances when settings.launchType is "EC2". @default - the lesson's: 2 t3.small, up to 4 */
  readonly ec2Capacity?: Partial<Ec2CapacitySettings>;
  /** Tags of the EC2 instances and their volumes, which the provider's default tags do not reach. @default - none */
  readonly instanceTags?: Readonly<Record<string, string>>;
}

export class FargateService extends Construct {
  readonly cluster: EcsCluster;
  readonly logGroup: CloudwatchLogGroup;
  readonly executionRole: IamRole;
  readonly taskRole: IamRole;
  readonly taskDefinition: EcsTaskDefinition;
  readonly service: EcsService;
  readonly securityGroup: SecurityGroup;
  readonly containerName: string;
  readonly containerPort: number;
  readonly image: string;
  readonly desiredCount: number;
  readonly assignPublicIp: boolean;
  /** The instances the tasks run on with launch type "EC2"; their security group is then `securityGroup`. */
  readonly ec2Capacity?: Ec2Capacity;

  constructor(scope: Construct, id: string, props: FargateServiceProps) {
    super(scope, id);
    const settings = withDefaults(defaultSettings().service, props.settings);
    const { network, names, registry, database, loadBalancer } = props;
    this.containerName = settings.appName;
    this.containerPort = settings.containerPort;
    this.desiredCount = props.desiredCount ?? settings.desiredCount;
    // A task the lesson browses to must be reachable; any other task goes private as soon as NAT gives it a way out.
    const subnets = props.openToInternet ? network.publicSubnets : network.workloadSubnets;
    this.assignPublicIp = subnets === network.publicSubnets;
    this.image = settings.imageSource === "repository" ? registry.imageUri(settings.imageTag) : settings.publicImage;

    this.cluster = new EcsCluster(this, "cluster", {
      name: names.base,
      setting: [{ name: "containerInsights", value: settings.enableContainerInsights ? "enabled" : "disabled" }],
    });
    if (!settings.enableContainerInsights) waive(this.cluster, "ECS-CONTAINER-INSIGHTS", REASONS.paidMonitoring);
    // On EC2, tasks share their instance's network (bridge): the instances' group is the tasks' group.
    const ec2 =
      settings.launchType === "EC2"
        ? new Ec2Capacity(this, "ec2-capacity", { network, names, region: props.region, cluster: this.cluster, subnets, assignPublicIp: this.assignPublicIp, tags: props.instanceTags, settings: props.ec2Capacity })
        : undefined;
    this.ec2Capacity = ec2;
    this.logGroup = logGroup(this, "log-group", { name: names.logGroup(settings.appName), retentionDays: settings.logRetentionDays });

    const statements: PolicyStatement[] = [
      { Sid: "EcrToken", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
      {
        Sid: "PullFromRepository",
        Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
        Resource: registry.repository.arn,
      },
      { Sid: "WriteLogs", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${this.logGroup.arn}:*` },
    ];
    if (database) {
      statements.push({ Sid: "ReadDatabasePassword", Action: ["secretsmanager:GetSecretValue"], Resource: database.masterPasswordSecretArn });
    }
    this.executionRole = taskRole(this, "execution-role", {
      name: names.of("task-execution"),
      description: "ECS pulls the image, writes logs and reads the database password for the tasks",
      statements,
    });
    this.taskRole = taskRole(this, "task-role", {
      name: names.of("task"),
      description: "The app's own AWS permissions: none by default",
      statements: [],
    });

    this.taskDefinition = new EcsTaskDefinition(this, "task-definition", {
      family: names.of(settings.appName),
      requiresCompatibilities: [ec2 ? "EC2" : "FARGATE"],
      networkMode: ec2 ? "bridge" : "awsvpc",
      cpu: String(settings.cpu),
      memory: String(settings.memoryMiB),
      executionRoleArn: this.executionRole.arn,
      taskRoleArn: this.taskRole.arn,
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: ec2?.cpuArchitecture ?? "X86_64" },
      containerDefinitions: jsonDocument([
        {
          name: settings.appName,
          image: this.image,
          essential: true,
          // On EC2 behind a load balancer, Docker picks a free host port (0: dynamic), so tasks share an instance;
          // browsed to directly, the task takes the container port on its instance.
          portMappings: [{ containerPort: settings.containerPort, protocol: "tcp", ...(ec2 && { hostPort: loadBalancer ? 0 : settings.containerPort }) }],
          logConfiguration: {
            logDriver: "awslogs",
            options: { "awslogs-group": this.logGroup.name, "awslogs-region": props.region, "awslogs-stream-prefix": settings.appName },
          },
          ...(database && {
            environment: [
              { name: "DB_HOST", value: database.instance.address },
              { name: "DB_PORT", value: String(database.port) },
              { name: "DB_NAME", value: database.databaseName },
              { name: "DB_USER", value: database.masterUsername },
            ],
            secrets: [{ name: "DB_PASSWORD", valueFrom: `${database.masterPasswordSecretArn}:password::` }],
          }),
        },
      ]),
    });

    this.securityGroup = ec2?.securityGroup ?? new SecurityGroup(this, "security-group", {
      name: names.of("tasks"),
      description: "Fargate tasks of the service",
      vpcId: network.vpc.id,
      tags: { Name: names.of("tasks") },
    });
    // EC2 instances have an HTTPS egress rule of their own (Ec2Capacity).
    const egress = ec2 ? undefined : allowEgress(this, "egress-https", {
      group: this.securityGroup,
      peer: ANYWHERE_IPV4,
      port: 443,
      description: "HTTPS: image pulls, logs and the database secret",
    });
    if (egress) waive(egress, "SG-NO-WORLD-EGRESS", REASONS.egressWithoutEndpoints);
    if (props.openToInternet) {
      const open = allowIngress(this, "ingress-from-anywhere", {
        group: this.securityGroup,
        peer: ANYWHERE_IPV4,
        port: settings.containerPort,
        description: "The lesson browses to the task's public IP",
      });
      waive(open, "SG-NO-WORLD-INGRESS", "The fargate lesson browses to the task's public IP; from alb on, only the load balancer may reach the tasks");
    }
    if (loadBalancer) {
      allowConnection(this, "from-load-balancer", {
        from: loadBalancer.securityGroup,
        to: this.securityGroup,
        ...(ec2 ? { port: DYNAMIC_HOST_PORTS.from, toPort: DYNAMIC_HOST_PORTS.to } : { port: settings.containerPort }),
        description: "Traffic and health checks from the load balancer",
      });
    }
    database?.allowFrom("tasks", this.securityGroup);

    this.service = new EcsService(this, "service", {
      name: settings.appName,
      cluster: this.cluster.arn,
      taskDefinition: this.taskDefinition.arn,
      ...(ec2 ? { capacityProviderStrategy: [ec2.strategy] } : { launchType: "FARGATE" }),
      desiredCount: this.desiredCount,
      deploymentController: { type: "ECS" },
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      ...(ec2
        ? { orderedPlacementStrategy: [{ type: "spread", field: "attribute:ecs.availability-zone" }] }
        : {
            networkConfiguration: {
              subnets: subnets.map(({ subnet }) => subnet.id),
              securityGroups: [this.securityGroup.id],
              assignPublicIp: this.assignPublicIp,
            },
          }),
      propagateTags: "SERVICE",
      enableEcsManagedTags: true,
      ...(loadBalancer && {
        loadBalancer: [{ targetGroupArn: loadBalancer.targetGroup.arn, containerName: settings.appName, containerPort: settings.containerPort }],
        healthCheckGracePeriodSeconds: 30,
        // Creating the service before the listener fails: "target group has no associated load balancer".
        dependsOn: [loadBalancer.listener],
      }),
      // The capacity provider must be attached to the cluster before a service can use it.
      ...(ec2 && { dependsOn: [...(loadBalancer ? [loadBalancer.listener] : []), ec2.clusterCapacityProviders] }),
      ...(props.autoscaled && { lifecycle: { ignoreChanges: ["desired_count"] } }),
    });
    waive(this.taskDefinition, "ECS-READONLY-ROOT", REASONS.stockImage);
    if (this.assignPublicIp && !ec2) {
      waive(
        this.service,
        "ECS-NO-PUBLIC-IP",
        props.openToInternet
          ? "The fargate lesson browses to the task's public IP"
          : "Without NAT (network.nat), tasks pull their image over the internet gateway, which needs a public IP",
      );
    }
  }
}
