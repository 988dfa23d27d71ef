/**
 * The stage's services (src/settings/services.ts says which), each with its own repository, log group, roles, task
 * definition, ECS service and security group, and from alb on its own target group and path rule, from
 * autoscaling on its own scaling; all in one ECS cluster.
 *
 * Addresses: the default service (the one at "/", the lesson's) keeps the lesson's construct ids: "registry",
 * "service" (with the cluster at service/cluster), "load-balancer/target-group" and "autoscaling". Every other
 * service lives under "services/<name>/...", keyed by its name, so reordering the list moves nothing. Without
 * a default service the cluster still stands at service/cluster.
 */
import { Construct } from "constructs";
import type { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import type { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import type { ServiceDiscoveryService } from "@cdktf/provider-aws/lib/service-discovery-service";
import { ServiceAutoscaling } from "../autoscaling";
import type { Settings } from "../../settings/index";
import type { Database } from "../database";
import type { LoadBalancer } from "../load-balancer/load-balancer";
import type { Network, } from "../network";
import type { StageNames } from "../../common/naming";
import { pathRule } from "../load-balancer/path-routing";
import { ContainerRegistry } from "../registry";
import { ecsCluster, ContainerService } from "./service";
import type { ServiceDiscovery } from "../service-discovery";
import type { ServiceSpec } from "../../settings/services";
import { allowConnection } from "../security-group";
import type { VpcEndpoints } from "../vpc-endpoints";

export interface MicroservicesProps {
  readonly network: Network;
  readonly names: StageNames;
  readonly settings: Settings;
  readonly services: readonly ServiceSpec[];
  /** Given to the services whose useDatabase is true. */
  readonly database: Database;
  /** From stage alb on: routed services register with it. @default - none: routed services are open to the internet (stage fargate) */
  readonly loadBalancer?: LoadBalancer;
  /** From stage autoscaling on. @default false */
  readonly autoscaled?: boolean;
  /** Cloud Map names for every service and its callers. @default - none */
  readonly discovery?: ServiceDiscovery;
  /** Tags of EC2 instances (launch type "EC2"), which the provider's default tags do not reach. @default - none */
  readonly instanceTags?: Readonly<Record<string, string>>;
  /** The stage's VPC endpoints, which every service's tasks use. @default - none */
  readonly vpcEndpoints?: VpcEndpoints;
}

/** One service of the stage and what belongs to it. */
export interface DeployedService {
  readonly spec: ServiceSpec;
  readonly registry: ContainerRegistry;
  readonly service: ContainerService;
  readonly targetGroup?: LbTargetGroup;
  readonly listenerRule?: LbListenerRule;
  readonly discovery?: ServiceDiscoveryService;
  readonly autoscaling?: ServiceAutoscaling;
}

/** Creates every service in `stage`, in list order; the security-group paths between callers and callees come last. */
export function addMicroservices(stage: Construct, props: MicroservicesProps): DeployedService[] {
  const { network, names, settings, loadBalancer, discovery } = props;
  const defaultService = props.services.find((spec) => spec.isDefault);
  let group: Construct | undefined;
  const scopeOf = (spec: ServiceSpec): Construct => {
    if (spec.isDefault) return stage;
    group ??= new Construct(stage, "services");
    return new Construct(group, spec.name);
  };
  // The default service makes the cluster at service/cluster; without one, an empty "service" construct holds it.
  // Set once the default service (created first) has made it.
  let cluster = defaultService ? undefined : ecsCluster(new Construct(stage, "service"), "cluster", { names, settings: settings.service });
  const byName = new Map(props.services.map((spec) => [spec.name, spec]));
  const ordered = [...props.services].sort((a, b) => Number(b.isDefault) - Number(a.isDefault));

  const deployed = new Map<string, DeployedService>();
  for (const spec of ordered) {
    const scope = scopeOf(spec);
    const registry = new ContainerRegistry(scope, "registry", { names, appName: spec.name, region: settings.region, settings: settings.registry });
    const behindLoadBalancer = loadBalancer && spec.routed ? loadBalancer : undefined;
    const targetGroup = !behindLoadBalancer
      ? undefined
      : spec.isDefault
        ? behindLoadBalancer.targetGroup
        : behindLoadBalancer.addTargetGroup(scope, "target-group", { port: spec.container.containerPort, healthCheckPath: spec.healthCheckPath, service: spec.name });
    const listenerRule =
      behindLoadBalancer && targetGroup && spec.priority !== undefined
        ? pathRule(scope, "listener-rule", { listener: behindLoadBalancer.forwardingListener, targetGroup, paths: spec.paths, priority: spec.priority })
        : undefined;
    const autoscaled = props.autoscaled ?? false;
    const desiredCount = autoscaled
      ? spec.scaling[spec.scaling.policy].desiredCount
      : (spec.desiredCount ?? (behindLoadBalancer ? settings.loadBalancer.desiredCount : settings.service.desiredCount));
    const registration = discovery?.register(spec.name);
    const service = new ContainerService(scope, "service", {
      network,
      names,
      region: settings.region,
      registry,
      database: spec.useDatabase ? props.database : undefined,
      loadBalancer: behindLoadBalancer,
      targetGroup,
      listenerRule,
      // Before alb the lesson browses to a routed task's public IP; a service nobody routes to stays closed.
      openToInternet: !loadBalancer && spec.routed,
      desiredCount,
      autoscaled,
      cluster,
      serviceNames: spec.isDefault ? undefined : names.forService(spec.name, false),
      discovery: registration,
      environment: discovery
        ? spec.calls.flatMap((callee) => discovery.addressOf(callee, byName.get(callee)?.container.containerPort ?? 80))
        : undefined,
      settings: spec.container,
      ec2Capacity: settings.ec2Capacity,
      instanceTags: props.instanceTags,
      vpcEndpoints: props.vpcEndpoints,
    });
    cluster ??= service.cluster;
    const autoscaling = autoscaled
      ? new ServiceAutoscaling(scope, "autoscaling", { service, loadBalancer: behindLoadBalancer, targetGroup, settings: spec.scaling })
      : undefined;
    deployed.set(spec.name, { spec, registry, service, targetGroup, listenerRule, discovery: registration, autoscaling });
  }

  for (const caller of deployed.values()) {
    for (const name of caller.spec.calls) {
      const callee = deployed.get(name);
      if (!callee) continue;
      allowConnection(caller.service, `calls-${name}`, {
        from: caller.service.securityGroup,
        to: callee.service.securityGroup,
        port: callee.service.containerPort,
        description: `${caller.spec.name} calls ${name}`,
      });
    }
  }
  return props.services.map((spec) => deployed.get(spec.name) as DeployedService);
}

/**
 * The "service_details" output: per service its ECS service, repository and docker commands, path patterns, the URL
 * that reaches it through the load balancer (the first pattern up to its first wildcard) and its DNS name in the VPC.
 */
export function servicesOutput(services: readonly DeployedService[], loadBalancer?: LoadBalancer, discovery?: ServiceDiscovery): Record<string, object> {
  return Object.fromEntries(
    services.map(({ spec, registry, service }) => {
      const path = spec.isDefault ? "/" : spec.paths[0]?.replace(/\*.*$|\?.*$/, "");
      return [
        spec.name,
        {
          ecs_service: service.service.name,
          repository_url: registry.repositoryUrl,
          docker_tag_command: registry.tagCommand(spec.container.imageTag),
          docker_push_command: registry.pushCommand(spec.container.imageTag),
          paths: spec.isDefault ? ["/"] : spec.paths,
          ...(loadBalancer && path !== undefined && { url: `${loadBalancer.url}${path}` }),
          ...(discovery && { dns_name: discovery.dnsName(spec.name) }),
        },
      ];
    }),
  );
}
