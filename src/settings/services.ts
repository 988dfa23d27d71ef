/**
 * The services a stage runs, from the settings: the `services` list, each entry completed from the service,
 * loadBalancer and autoscaling sections, or, without a list, the lesson's one service (service.appName at "/",
 * with the database). `resolveServices` gives every service with every value filled in; `serviceListProblems`
 * checks the list as a whole (names, paths, priorities, calls, sizes, name lengths).
 */
import { NAME_RULES, SERVICE_NAME_KINDS, STAGE_NAMES, StageNames, targetGroupSuffix, type ServiceNames } from "../common/naming";
import { MAX_RULES_PER_LISTENER, MAX_TARGET_GROUPS_PER_LOAD_BALANCER } from "./facts/elb";
import { fargateMemoryOptions } from "./facts/fargate";
import { MAX_CPU_TARGET_PERCENT, type AutoscalingSettings, type ScalingPolicy } from "./autoscaling";
import { orderProblems, show } from "./blocks";
import { environmentProblems, type DiscoverySettings } from "./discovery";
import type { LoadBalancerSettings } from "./load-balancer";
import type { NetworkSettings } from "./network";
import { DEFAULT_PATH, derivedPriority, pathListProblems } from "./paths";
import type { RegistrySettings } from "./registry";
import { containerPortProblem, fargateSizeProblems, type ServiceEntry, type ServiceSettings } from "./service";

/** The sections a service list is completed from and checked against. */
export interface ServicesContext {
  readonly namePrefix: string;
  readonly network: NetworkSettings;
  readonly registry: RegistrySettings;
  readonly service: ServiceSettings;
  readonly loadBalancer: LoadBalancerSettings;
  readonly autoscaling: AutoscalingSettings;
  readonly serviceDiscovery: DiscoverySettings;
  readonly services?: readonly ServiceEntry[];
}

/** One service with every value decided. */
export interface ServiceSpec {
  readonly name: string;
  /** The service at "/": the listener's default action, and the lesson's construct ids (so its addresses). */
  readonly isDefault: boolean;
  /** Path patterns of its listener rule; empty for the default service and for services without paths. */
  readonly paths: string[];
  /** The load balancer sends it requests: it is the default service or has paths. */
  readonly routed: boolean;
  /** Its listener rule's priority; undefined when it has no rule. */
  readonly priority?: number;
  /** Names of the services it connects to. */
  readonly calls: string[];
  readonly useDatabase: boolean;
  /** Image, size and port, with the cluster-wide values of the service section. */
  readonly container: ServiceSettings;
  /** Tasks in fargate and alb when the entry sets it; otherwise the stage's default decides. */
  readonly desiredCount?: number;
  readonly healthCheckPath: string;
  /** Its scaling: the autoscaling section with this service's policy and range. */
  readonly scaling: AutoscalingSettings;
}

/** The services of the settings, in list order. */
export function resolveServices(settings: ServicesContext): ServiceSpec[] {
  const entries: readonly ServiceEntry[] = settings.services ?? [{ name: settings.service.appName, paths: [DEFAULT_PATH], calls: [], useDatabase: true }];
  return entries.map((entry) => resolveOne(settings, entry));
}

function resolveOne(settings: ServicesContext, entry: ServiceEntry): ServiceSpec {
  const { service, loadBalancer, autoscaling } = settings;
  const given = entry.paths ?? [];
  const isDefault = given.includes(DEFAULT_PATH);
  const paths = given.filter((path) => path !== DEFAULT_PATH);
  const routed = isDefault || paths.length > 0;
  // A service nobody routes to has no requests per target to scale on, so it scales on CPU unless told otherwise.
  const policy: ScalingPolicy = entry.scaling?.policy ?? (routed ? autoscaling.policy : "cpu");
  const range = autoscaling[policy];
  const pick = <T>(value: T | undefined, fallback: T): T => (value === undefined ? fallback : value);
  return {
    name: entry.name,
    isDefault,
    paths,
    routed,
    priority: paths.length > 0 ? pick(entry.priority, derivedPriority(entry.name)) : undefined,
    calls: entry.calls,
    useDatabase: pick(entry.useDatabase, isDefault),
    container: {
      ...service,
      appName: entry.name,
      imageSource: pick(entry.imageSource, service.imageSource),
      publicImage: pick(entry.publicImage, service.publicImage),
      imageTag: pick(entry.imageTag, service.imageTag),
      containerPort: pick(entry.containerPort, service.containerPort),
      cpu: pick(entry.cpu, service.cpu),
      memoryMiB: pick(entry.memoryMiB, service.memoryMiB),
    },
    desiredCount: entry.desiredCount,
    healthCheckPath: pick(entry.healthCheckPath, loadBalancer.healthCheckPath),
    scaling: {
      ...autoscaling,
      policy,
      [policy]: {
        target: pick(entry.scaling?.target, range.target),
        minCapacity: pick(entry.scaling?.minCapacity, range.minCapacity),
        desiredCount: pick(entry.scaling?.desiredCount, range.desiredCount),
        maxCapacity: pick(entry.scaling?.maxCapacity, range.maxCapacity),
      },
    },
  };
}

/**
 * Limits of the list as a whole: many services share one cause, so these lead, and the problems a count over a limit
 * brings along (names and priorities that hash alike among thousands) are left out until the count fits.
 * `specs` are resolveServices(settings); without a list that is the lesson's one service, within every limit.
 */
export function serviceLimitProblems(settings: ServicesContext, specs: readonly ServiceSpec[]): string[] {
  const problems: string[] = [];
  // Bridge tasks on EC2 share their instances' network and security group: services could not be kept apart
  // from each other, and Cloud Map would need SRV records instead of the A records it gives awsvpc tasks.
  if (settings.service.launchType === "EC2" && specs.length > 1) {
    problems.push(
      `services: ${specs.length} services with service.launchType "EC2", whose bridge tasks all share the instances' security group, ` +
        `so one service could reach every other; allowed: one service on "EC2", or several on "FARGATE"`,
    );
  }
  const rules = specs.filter((spec) => spec.priority !== undefined).length;
  if (rules > MAX_RULES_PER_LISTENER) {
    problems.push(`services: ${rules} services with paths need ${rules} listener rules; a listener takes at most ${MAX_RULES_PER_LISTENER}, so route fewer services by path`);
  }
  const routed = specs.filter((spec) => spec.routed).length;
  if (routed > MAX_TARGET_GROUPS_PER_LOAD_BALANCER) {
    problems.push(
      `services: ${routed} routed services (with paths or at "/") need ${routed} target groups; allowed: at most ${MAX_TARGET_GROUPS_PER_LOAD_BALANCER} ` +
        `on one load balancer (an ALB quota AWS does not raise)`,
    );
  }
  return problems;
}

/**
 * Every problem of the services list, as "<setting>: <value> <what is wrong>; <what is allowed>", causes first.
 * `specs` are resolveServices(settings); `overLimit` says serviceLimitProblems found some: the limits themselves are
 * listed first of all, and what they bring along is left out here.
 */
export function serviceListProblems(settings: ServicesContext, specs: readonly ServiceSpec[], overLimit: boolean): string[] {
  const entries = settings.services;
  if (!entries) return [];
  const problems: string[] = [];
  const at = (i: number) => `services[${i}]`;
  const firstIndex = new Map<string, number>();
  entries.forEach((entry, i) => {
    const first = firstIndex.get(entry.name);
    if (first === undefined) firstIndex.set(entry.name, i);
    else problems.push(`${at(i)}.name: ${show(entry.name)} is also the name of ${at(first)}; each service needs its own name`);
  });

  const defaults = specs.map((spec, i) => (spec.isDefault ? i : -1)).filter((i) => i >= 0);
  for (const i of defaults.slice(1)) {
    problems.push(`${at(i)}.paths: ${show(DEFAULT_PATH)} is already the default service ${show(entries[defaults[0]].name)}; only one service may be at "/"`);
  }
  problems.push(...pathListProblems(entries));
  if (!overLimit) problems.push(...priorityProblems(specs), ...targetGroupProblems(settings, specs));

  specs.forEach((spec, i) => {
    if (entries[i].priority !== undefined && spec.priority === undefined) {
      problems.push(
        `${at(i)}.priority: ${entries[i].priority} orders a listener rule, and this service has none: ` +
          `only a service with path patterns other than "/" gets one (the service at "/" is the listener's default action)`,
      );
    }
    if (entries[i].healthCheckPath !== undefined && !spec.routed) {
      problems.push(
        `${at(i)}.healthCheckPath: ${show(entries[i].healthCheckPath)} is what the load balancer's health checks ask for, and this service has no paths, ` +
          `so no target group checks it; allowed: healthCheckPath on a service with paths (or at "/"), or none`,
      );
    }
    spec.calls.forEach((callee, j) => {
      if (spec.calls.indexOf(callee) !== j) problems.push(`${at(i)}.calls[${j}]: ${show(callee)} is listed twice; list each service once`);
    });
    for (const callee of spec.calls) {
      if (callee === spec.name) problems.push(`${at(i)}.calls: ${show(callee)} is the service itself; list the other services it connects to`);
      else if (!firstIndex.has(callee)) {
        problems.push(`${at(i)}.calls: ${show(callee)} is not a service in the list; allowed: ${[...firstIndex.keys()].filter((n) => n !== spec.name).map((n) => show(n)).join(", ")}`);
      }
    }
    if (spec.calls.length > 0 && !settings.serviceDiscovery.enable) {
      problems.push(
        `${at(i)}.calls: ${show(spec.calls)} needs serviceDiscovery.enable: true, which gives each service the DNS name its callers use; enable it or leave calls empty`,
      );
    }
    problems.push(...environmentProblems(at(i), spec));
    // On EC2 the task has to fit on the instance type instead (ec2CapacityProblems). A size the entry takes from the
    // service section is that section's problem, reported once (serviceProblems), not once per service.
    const ownSize = entries[i].cpu !== undefined || (entries[i].memoryMiB !== undefined && fargateMemoryOptions(settings.service.cpu).length > 0);
    if (settings.service.launchType !== "EC2" && ownSize) problems.push(...fargateSizeProblems(at(i), spec.container.cpu, spec.container.memoryMiB));
    problems.push(...scalingProblems(at(i), entries[i], spec));
    if (settings.registry.imageTagMutability === "IMMUTABLE" && spec.container.imageTag === "latest" && entries[i].imageTag !== undefined) {
      problems.push(`${at(i)}.imageTag: "latest" cannot be pushed twice with registry.imageTagMutability "IMMUTABLE"; use a version such as "v1"`);
    }
    problems.push(...nameLengthProblems(settings, spec, at(i)));
  });
  return problems;
}

/** A service's own scaling: a policy it can use, a target the policy takes, a range in order. */
function scalingProblems(at: string, entry: ServiceEntry, spec: ServiceSpec): string[] {
  const problems: string[] = [];
  if (entry.scaling?.policy === "requestCount" && !spec.routed) {
    problems.push(`${at}.scaling.policy: "requestCount" scales on the load balancer's requests, and this service has no paths; use "cpu" or give it paths`);
  }
  const target = entry.scaling?.target;
  if (spec.scaling.policy === "cpu" && target !== undefined && target > MAX_CPU_TARGET_PERCENT) {
    problems.push(
      `${at}.scaling.target: ${target} is a CPU percentage with scaling policy "cpu"${entry.scaling?.policy === undefined ? " (this service's policy)" : ""}; ` +
        `allowed: 1 to ${MAX_CPU_TARGET_PERCENT}, as in autoscaling.cpu.target`,
    );
  }
  const { minCapacity, desiredCount, maxCapacity } = spec.scaling[spec.scaling.policy];
  problems.push(...orderProblems(`${at}.scaling`, { minCapacity, desiredCount, maxCapacity }));
  return problems;
}

/** Target group names carry a 4-character hash (see LoadBalancer.addTargetGroup); two routed services must not share one. */
function targetGroupProblems(settings: ServicesContext, specs: readonly ServiceSpec[]): string[] {
  const problems: string[] = [];
  const taken = new Map<string, string>();
  specs.forEach((spec, i) => {
    if (!spec.routed) return;
    // Several services run on Fargate only, so their target groups are of type ip, the key's default.
    const suffix = targetGroupSuffix({
      port: spec.container.containerPort,
      vpc: settings.network.cidr,
      service: spec.isDefault ? undefined : spec.name,
    });
    const other = taken.get(suffix);
    if (other !== undefined) {
      problems.push(
        `services[${i}].name: ${show(spec.name)} gets the same target group name "<prefix>-<stage>-${suffix}" as ${show(other)} ` +
          `(a 4-character hash of name, port and VPC); rename one of them or change its containerPort`,
      );
    } else taken.set(suffix, spec.name);
  });
  return problems;
}

function priorityProblems(specs: readonly ServiceSpec[]): string[] {
  const problems: string[] = [];
  const taken = new Map<number, string>();
  specs.forEach((spec, i) => {
    if (spec.priority === undefined) return;
    const other = taken.get(spec.priority);
    if (other !== undefined && other !== spec.name) {
      problems.push(
        `services[${i}].priority: ${spec.priority} (for ${show(spec.name)}) is also the priority of ${show(other)}; ` +
          `give one of them an explicit priority from 1 to 50000 that no other service has`,
      );
    } else taken.set(spec.priority, spec.name);
  });
  return problems;
}

/** Names a non-default service adds: the same kinds as the lesson's, with its name in them, in every stage. */
function nameLengthProblems(settings: ServicesContext, spec: ServiceSpec, where: string): string[] {
  const names = STAGE_NAMES.flatMap((stage) => {
    const own = new StageNames(settings.namePrefix, stage).forService(spec.name, spec.isDefault);
    return (Object.keys(SERVICE_NAME_KINDS) as Array<keyof ServiceNames>).map((key) => ({ stage, kind: SERVICE_NAME_KINDS[key], name: own[key] }));
  });
  // The name furthest over its limit decides how long the service name may be.
  const excess = ({ kind, name }: { kind: keyof typeof NAME_RULES; name: string }) => name.length - NAME_RULES[kind].maxLength;
  const tooLong = names.reduce((a, b) => (excess(b) > excess(a) ? b : a));
  if (excess(tooLong) <= 0) return [];
  const max = NAME_RULES[tooLong.kind].maxLength;
  const room = spec.name.length - (tooLong.name.length - max);
  return [
    `${where}.name: ${show(spec.name)} makes the ${tooLong.stage} ${tooLong.kind} name ${show(tooLong.name)} ${tooLong.name.length} characters; ` +
      `AWS allows ${max}, so with namePrefix ${show(settings.namePrefix)} the name may have at most ${room}`,
  ];
}

/**
 * Without NAT, VPC endpoints reach the stage's own ECR repositories but not public registries: a service with a
 * public image could not pull it from the private subnets.
 */
export function imagePullProblems(s: ServicesContext, specs: readonly ServiceSpec[]): string[] {
  const problems: string[] = [];
  if (!s.network.enableVpcEndpoints || s.network.nat !== "none") return problems;
  specs.forEach(({ name, container }, i) => {
    if (container.imageSource !== "public") return;
    const setting = s.services ? `services[${i}].imageSource` : "service.imageSource";
    problems.push(
      `${setting}: "public" runs ${show(container.publicImage)}${s.services ? ` in service ${show(name)}` : ""}, which tasks in the private subnets cannot pull: ` +
        `network.enableVpcEndpoints reaches the stage's own ECR repositories but not public registries, and network.nat is "none"; ` +
        `set ${setting} to "repository" (and push the image, see docker_push_command), or network.nat to "single"`,
    );
  });
  return problems;
}

/** Container ports the services cannot use (containerPortProblem), named where they are set: the entry or the service section. */
export function containerPortProblems(s: ServicesContext, specs: readonly ServiceSpec[]): string[] {
  const problems = specs.flatMap((spec, i) => {
    const problem = containerPortProblem(spec.container.containerPort, s.service.launchType, spec.routed);
    const setting = s.services?.[i]?.containerPort !== undefined ? `services[${i}].containerPort` : "service.containerPort";
    return problem ? [`${setting}: ${problem}`] : [];
  });
  return [...new Set(problems)];
}
