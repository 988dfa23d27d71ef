/**
 * The lesson's stages. Each is its own TerraformStack with its own state, and each contains everything of
 * the stage before it at the same construct ids, so at the same Terraform addresses.
 */
import { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { ServiceAutoscaling } from "./constructs/autoscaling";
import type { Settings } from "./settings/index";
import { Database } from "./constructs/database";
import { JumpHost } from "./constructs/jump-host";
import { LoadBalancer } from "./constructs/load-balancer/load-balancer";
import { STAGE_NAMES, StageNames, type StageName } from "./common/naming";
import { Network } from "./constructs/network";
import { addMicroservices, servicesOutput, type DeployedService } from "./constructs/ecs/services";
import type { ContainerRegistry } from "./constructs/registry";
import type { ContainerService } from "./constructs/ecs/service";
import { ServiceDiscovery } from "./constructs/service-discovery";
import { resolveServices } from "./settings/services";
import { configureStateBackend } from "./state/backend";
import { VpcEndpoints } from "./constructs/vpc-endpoints";

export { STAGE_NAMES, type StageName } from "./common/naming";

/** True when `stage` contains the lesson of `lesson` (every stage contains itself and all before it). */
export function stageIncludes(stage: StageName, lesson: StageName): boolean {
  return STAGE_NAMES.indexOf(stage) >= STAGE_NAMES.indexOf(lesson);
}

export interface WorkshopStageProps {
  readonly settings: Settings;
  /**
   * Plan without AWS: the provider skips credential and account checks and local state stays in the stack's
   * folder. Only the offline tools switch it on; a deploy never does.
   * @default false
   */
  readonly offline?: boolean;
  /**
   * The lesson to build under this stage's names, tags and state: a review of stage N against the lesson
   * before it (`--base-stage`) compares the same names, so only the lesson's own changes show.
   * @default - the stage's own lesson
   */
  readonly lesson?: StageName;
}

export class WorkshopStage extends TerraformStack {
  readonly stage: StageName;
  readonly names: StageNames;
  readonly network: Network;
  readonly database?: Database;
  readonly vpcEndpoints?: VpcEndpoints;
  readonly jumpHost?: JumpHost;
  /** The default service's (or the first one's) repository. */
  readonly registry?: ContainerRegistry;
  /** The default service (the one at "/"), or the first when none is. */
  readonly service?: ContainerService;
  readonly loadBalancer?: LoadBalancer;
  /** The default service's (or the first one's) scaling. */
  readonly autoscaling?: ServiceAutoscaling;
  /** Every service, in the settings' order; `registry`, `service` and `autoscaling` are the default service's. */
  readonly services: DeployedService[] = [];

  constructor(scope: Construct, stage: StageName, props: WorkshopStageProps) {
    super(scope, stage);
    const { settings } = props;
    const offline = props.offline ?? false;
    this.stage = stage;
    this.names = new StageNames(settings.namePrefix, stage);
    const has = (lesson: StageName) => stageIncludes(props.lesson ?? stage, lesson);

    const tags = { project: settings.namePrefix, stage, "managed-by": "cdktf", ...settings.extraTags };
    new AwsProvider(this, "aws", {
      region: settings.region,
      defaultTags: [{ tags }],
      ...(offline && { skipCredentialsValidation: true, skipRequestingAccountId: true, skipMetadataApiCheck: "true" }),
    });
    this.configureBackend(settings, offline);

    this.network = new Network(this, "network", { availabilityZones: settings.availabilityZones, settings: settings.network });
    this.output("vpc_id", this.network.vpc.id, "ID of the VPC");
    this.output("public_subnet_ids", this.network.publicSubnets.map(({ subnet }) => subnet.id), "Public subnets, in zone order");
    this.output("private_subnet_ids", this.network.privateSubnets.map(({ subnet }) => subnet.id), "Private subnets, in zone order");
    this.vpcEndpoints = this.network.hasVpcEndpoints
      ? new VpcEndpoints(this, "vpc-endpoints", {
          network: this.network,
          names: this.names,
          region: settings.region,
          ecsInstances: has("fargate") && settings.service.launchType === "EC2",
        })
      : undefined;
    if (!has("db")) return;

    const database = new Database(this, "database", {
      network: this.network,
      names: this.names,
      settings: settings.database,
      logRetentionDays: settings.service.logRetentionDays,
    });
    this.database = database;
    this.output("database_address", database.instance.address, "Host name of the PostgreSQL instance");
    this.output("database_port", database.instance.port, "Port of the PostgreSQL instance");
    this.output("database_name", database.instance.dbName, "Database created on the instance");
    this.output(
      "database_master_secret_arn",
      database.masterPasswordSecretArn,
      "Secrets Manager secret holding the master password (read it with aws secretsmanager get-secret-value)",
    );
    this.jumpHost = settings.jumpHost.enable ? this.addJumpHost(settings, database) : undefined;
    if (!has("fargate")) return;

    // From alb on, the tasks sit behind a load balancer (in private subnets when NAT is on); before it, the
    // lesson browses to a task's public IP, so in fargate they stay public even with NAT.
    const specs = resolveServices(settings);
    const defaultService = specs.find((spec) => spec.isDefault);
    const loadBalancer = has("alb")
      ? new LoadBalancer(this, "load-balancer", {
          network: this.network,
          names: this.names,
          targetPort: defaultService?.container.containerPort,
          targetHealthCheckPath: defaultService?.healthCheckPath,
          ...(settings.service.launchType === "EC2" && { targetType: "instance" as const }),
          settings: settings.loadBalancer,
        })
      : undefined;
    this.loadBalancer = loadBalancer;
    const discovery = settings.serviceDiscovery.enable
      ? new ServiceDiscovery(this, "service-discovery", { network: this.network, settings: settings.serviceDiscovery })
      : undefined;
    this.services = addMicroservices(this, {
      network: this.network,
      names: this.names,
      settings,
      services: specs,
      database,
      loadBalancer,
      autoscaled: has("autoscaling"),
      discovery,
      instanceTags: tags,
      vpcEndpoints: this.vpcEndpoints,
    });
    // The lesson's outputs describe the default service (or the first, when none is at "/").
    const main = this.services.find(({ spec }) => spec.isDefault) ?? this.services[0];
    const { registry, service, spec } = main;
    this.registry = registry;
    this.service = service;
    this.autoscaling = main.autoscaling;
    this.output("repository_url", registry.repositoryUrl, "ECR repository: <account>.dkr.ecr.<region>.amazonaws.com/<repository>");
    this.output("docker_login_command", registry.loginCommand, "Logs Docker in to the repository's registry");
    this.output("docker_tag_command", registry.tagCommand(spec.container.imageTag), `Tags the local image ${spec.name}:latest for the repository`);
    this.output("docker_push_command", registry.pushCommand(spec.container.imageTag), "Pushes the tagged image");
    this.output("cluster_name", service.cluster.name, "ECS cluster");
    this.output("service_name", service.service.name, "ECS service");
    const instances = service.ec2Capacity;
    if (instances) this.output("instance_ids_command", instances.listInstancesCommand, "Lists the ECS instances; aws ssm start-session --target <id> opens a shell on one");
    if (settings.services || discovery) this.output("service_details", servicesOutput(this.services, loadBalancer, discovery), "Each service: ECS service, repository and docker commands, paths and URL, DNS name");
    if (!loadBalancer) return;

    this.output("load_balancer_url", loadBalancer.url, "Open this in a browser");
  }

  /** The lesson's stepping stone to the database, reached through Session Manager. */
  private addJumpHost(settings: Settings, database: Database): JumpHost {
    const host = new JumpHost(this, "jump-host", {
      network: this.network,
      names: this.names,
      database,
      region: settings.region,
      engineVersion: settings.database.engineVersion,
      vpcEndpoints: this.vpcEndpoints,
      settings: settings.jumpHost,
    });
    this.output("jump_host_instance_id", host.instance.id, "The jump host (EC2 instance) to reach the database from");
    this.output("jump_host_session_command", host.sessionCommand, "Opens a shell on the jump host through Session Manager (needs the session-manager-plugin)");
    this.output("jump_host_psql_command", host.psqlOnHostCommand, "Run on the jump host; the password is in the master secret (database_master_secret_arn)");
    this.output(
      "database_port_forward_command",
      host.portForwardCommand,
      "Forwards the database port on this machine to the database, through the jump host; keep it running",
    );
    this.output("database_local_psql_command", host.psqlLocalCommand, "Run on this machine while the port forward runs");
    return host;
  }

  private output(id: string, value: unknown, description: string): TerraformOutput {
    return new TerraformOutput(this, id, { value, description });
  }

  private configureBackend(settings: Settings, offline: boolean): void {
    configureStateBackend(this, { settings, stack: this.stage, offline });
  }
}

/** All five stages, in lesson order. */
export function addStages(scope: Construct, props: WorkshopStageProps): WorkshopStage[] {
  return STAGE_NAMES.map((stage) => new WorkshopStage(scope, stage, props));
}
