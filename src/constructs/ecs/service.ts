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
import type { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import type { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import type { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import type { ServiceDiscoveryService } from "@cdktf/provider-aws/lib/service-discovery-service";
import { withDefaults } from "../../settings/blocks";
import { DATABASE_ENVIRONMENT } from "../../settings/discovery";
import { SERVICE_DEFAULTS, type ServiceSettings } from "../../settings/service";
import type { Database } from "../database";
import type { Ec2CapacitySettings } from "../../settings/ec2-capacity";
import { DYNAMIC_HOST_PORTS, Ec2Capacity } from "./ec2-capacity";
import { jsonDocument, taskRole, type PolicyStatement } from "../iam";
import type { LoadBalancer } from "../load-balancer/load-balancer";
import { logGroup } from "../log-group";
import type { ServiceNames, StageNames } from "../../common/naming";
import type { Network } from "../network";
import { REASONS } from "../../policy/reasons";
import { waive } from "../../policy/waivers";
import type { ContainerRegistry } from "../registry";
import { ANYWHERE_IPV4, allowConnection, allowIngress, namedSecurityGroup } from "../security-group";
import { allowAwsHttps, type VpcEndpoints } from "../vpc-endpoints";

/** A plain environment variable of the container. */
export interface EnvironmentVariable {
  readonly name: string;
  readonly value: string;
}

/** The ECS cluster, "<prefix>-<stage>", with Container Insights as the settings say. */
export function ecsCluster(scope: Construct, id: string, props: { names: StageNames; settings: ServiceSettings }): EcsCluster {
  const cluster = new EcsCluster(scope, id, {
    name: props.names.base,
    setting: [{ name: "containerInsights", value: props.settings.enableContainerInsights ? "enabled" : "disabled" }],
  });
  if (!props.settings.enableContainerInsights) waive(cluster, "ECS-CONTAINER-INSIGHTS", REASONS.paidMonitoring);
  return cluster;
}

export interface ContainerServiceProps {
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
  /** The target group the tasks register with. @default - the load balancer's default target group */
  readonly targetGroup?: LbTargetGroup;
  /** The path rule that ties `targetGroup` to the listener; the service waits for it. @default - none (the default action) */
  readonly listenerRule?: LbListenerRule;
  /** The cluster to run in. @default - a new cluster at "<id>/cluster" */
  readonly cluster?: EcsCluster;
  /** The service's AWS names. @default - the lesson's: names.forService(appName, true) */
  readonly serviceNames?: ServiceNames;
  /** Cloud Map service the tasks register their IPs with (A records). @default - none */
  readonly discovery?: ServiceDiscoveryService;
  /** More plain environment variables, such as the addresses of the services it calls. @default - none */
  readonly environment?: readonly EnvironmentVariable[];
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
  readonly instanceTags?: Readonly<Record<string, string>>;  /** The stage's VPC endpoints: the tasks (or instances) use them, and only them where there is no NAT. @default - none */
  readonly vpcEndpoints?: VpcEndpoints;
}

export class ContainerService extends Construct {
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

  constructor(scope: Construct, id: string, props: ContainerServiceProps) {
    super(scope, id);
    const settings = withDefaults(SERVICE_DEFAULTS, props.settings);
    const { network, names, registry, database, loadBalancer } = props;
    const own = props.serviceNames ?? names.forService(settings.appName, true);
    const targetGroup = props.targetGroup ?? loadBalancer?.targetGroup;
    if (loadBalancer && !targetGroup) throw new Error(`ContainerService ${settings.appName}: the load balancer has no default target group; pass targetGroup`);
    this.containerName = settings.appName;
    this.containerPort = settings.containerPort;
    this.desiredCount = props.desiredCount ?? settings.desiredCount;
    // A task the lesson browses to must be reachable; any other task goes private as soon as NAT gives it a way out.
    const subnets = props.openToInternet ? network.publicSubnets : network.workloadSubnets;
    this.assignPublicIp = subnets === network.publicSubnets;
    this.image = settings.imageSource === "repository" ? registry.imageUri(settings.imageTag) : settings.publicImage;

    this.cluster = props.cluster ?? ecsCluster(this, "cluster", { names, settings });
    // On EC2, tasks share their instance's network (bridge): the instances' group is the tasks' group.
    // The settings allow the EC2 launch type with a single service only, so the instances are this service's.
    const ec2 =
      settings.launchType === "EC2"
        ? new Ec2Capacity(this, "ec2-capacity", {
            network,
            names,
            region: props.region,
            cluster: this.cluster,
            subnets,
            assignPublicIp: this.assignPublicIp,
            tags: props.instanceTags,
            vpcEndpoints: props.vpcEndpoints,
            settings: props.ec2Capacity,
          })
        : undefined;
    this.ec2Capacity = ec2;
    this.logGroup = logGroup(this, "log-group", { name: own.logGroup, retentionDays: settings.logRetentionDays });

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
      name: own.executionRole,
      description: "ECS pulls the image, writes logs and reads the database password for the tasks",
      statements,
    });
    this.taskRole = taskRole(this, "task-role", {
      name: own.taskRole,
      description: "The app's own AWS permissions: none by default",
      statements: [],
    });

    // (the names the settings check for clashes with the variables of called services)
    const [dbHost, dbPort, dbName, dbUser, dbPassword] = DATABASE_ENVIRONMENT;
    const environment: EnvironmentVariable[] = [
      ...(database
        ? [
            { name: dbHost, value: database.instance.address },
            { name: dbPort, value: String(database.port) },
            { name: dbName, value: database.databaseName },
            { name: dbUser, value: database.masterUsername },
          ]
        : []),
      ...(props.environment ?? []),
    ];
    this.taskDefinition = new EcsTaskDefinition(this, "task-definition", {
      family: own.taskFamily,
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
          ...(environment.length > 0 && { environment }),
          ...(database && { secrets: [{ name: dbPassword, valueFrom: `${database.masterPasswordSecretArn}:password::` }] }),
        },
      ]),
    });

    // Rules of other groups name this one by its role: "tasks" for the lesson's service, "<name>-tasks" for the others.
    const role = own.securityGroup.slice(names.base.length + 1);
    this.securityGroup =
      ec2?.securityGroup ??
      namedSecurityGroup(this, "security-group", {
        name: own.securityGroup,
        description: props.serviceNames ? `Fargate tasks of the service ${settings.appName}` : "Fargate tasks of the service",
        vpcId: network.vpc.id,
      });
    // EC2 instances have an HTTPS egress rule of their own (Ec2Capacity).
    if (!ec2) {
      allowAwsHttps(this, "egress-https", {
        group: this.securityGroup,
        client: role,
        description: "image pulls, logs and the database secret",
        reason: REASONS.egressWithoutEndpoints,
        endpoints: props.vpcEndpoints,
      });
    }
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
    database?.allowFrom(role, this.securityGroup);

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
      ...(loadBalancer &&
        targetGroup && {
          loadBalancer: [{ targetGroupArn: targetGroup.arn, containerName: settings.appName, containerPort: settings.containerPort }],
          healthCheckGracePeriodSeconds: 30,
        }),
      // Creating the service before the listener fails ("target group has no associated load balancer"), and a
      // capacity provider must be attached to the cluster before a service can use it.
      ...((loadBalancer || ec2) && {
        dependsOn: [
          ...(loadBalancer && targetGroup ? [loadBalancer.forwardingListener, ...(props.listenerRule ? [props.listenerRule] : [])] : []),
          ...(ec2 ? [ec2.clusterCapacityProviders] : []),
        ],
      }),
      ...(props.discovery && { serviceRegistries: { registryArn: props.discovery.arn } }),
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
    if (this.assignPublicIp && ec2) {
      waive(
        ec2.launchTemplate,
        "EC2-NO-PUBLIC-IP",
        props.openToInternet ? "The fargate lesson browses to the task on its instance's public IP" : REASONS.publicIpWithoutNat,
      );
    }
  }
}
