/**
 * The ec2Capacity section (stages fargate on, with service.launchType "EC2"): the Auto Scaling group of ECS
 * instances, its size, and the checks a task must pass to fit on the instance type.
 */
import type { z } from "zod";
import {
  CPU_UNITS_PER_VCPU,
  ECS_REGISTERED_MEMORY_RATIO,
  INSTANCE_TYPES,
  RESERVED_CAPACITY_PROVIDER_STARTS,
} from "./facts/instance-types";
import { instanceType, keyPairName, orderProblems, section, sectionDefaults, wholeNumber } from "./blocks";
import type { ServiceEntry, ServiceSettings } from "./service";

export const ec2CapacitySettings = section(
  {
    instanceType: instanceType('"t3.small" or "t4g.small"')
      .default("t3.small")
      .describe('Instance type of the ECS instances; Graviton types (t4g, m7g, ...) get the arm64 AMI and ARM64 tasks. @default "t3.small"'),
    minSize: wholeNumber(0, 100, 2, "Fewest instances the Auto Scaling group keeps. @default 2"),
    desiredCapacity: wholeNumber(0, 100, 2, "Instances at creation; afterwards the capacity provider sets it. @default 2"),
    maxSize: wholeNumber(1, 100, 4, "Most instances the capacity provider may start. @default 4"),
    targetCapacityPercent: wholeNumber(1, 100, 100, "Managed scaling keeps the instances this full with tasks. @default 100"),
    sshKeyPairName: keyPairName()
      .optional()
      .describe("EC2 key pair for SSH through Session Manager; no SSH port is opened. @default - none"),
  },
  'EC2 instances for the tasks (stages fargate, alb, autoscaling), used only with service.launchType "EC2".',
);

export type Ec2CapacitySettings = z.output<typeof ec2CapacitySettings>;
export const EC2_CAPACITY_DEFAULTS = sectionDefaults(ec2CapacitySettings);

/**
 * The settings problems of EC2 capacity, only when the launch type is EC2: the capacity range, the capacity
 * provider's name and a task that cannot fit on the instance type.
 */
export function ec2CapacityProblems(s: {
  readonly namePrefix: string;
  readonly service: ServiceSettings;
  readonly ec2Capacity: Ec2CapacitySettings;
  readonly serviceDiscovery: { readonly enable: boolean };
  readonly services?: readonly ServiceEntry[];
}): string[] {
  if (s.service.launchType !== "EC2") return [];
  const problems: string[] = [];
  const { instanceType, minSize, desiredCapacity, maxSize } = s.ec2Capacity;
  problems.push(...orderProblems("ec2Capacity", { minSize, desiredCapacity, maxSize }));
  const reserved = RESERVED_CAPACITY_PROVIDER_STARTS.find((start) => s.namePrefix.startsWith(start));
  if (reserved) {
    problems.push(
      `namePrefix: ${JSON.stringify(s.namePrefix)} starts with "${reserved}", which AWS refuses at the start of a capacity provider's name ` +
        `(service.launchType "EC2" names one "<namePrefix>-<stage>-instances"); choose a prefix that does not start with ${RESERVED_CAPACITY_PROVIDER_STARTS.join(", ")}`,
    );
  }
  if (s.serviceDiscovery.enable) {
    problems.push(
      `serviceDiscovery.enable: true registers A records, which need awsvpc tasks; service.launchType "EC2" runs bridge tasks ` +
        `(Cloud Map would need SRV records); allowed: serviceDiscovery with "FARGATE", or "EC2" without it`,
    );
  }
  const type = INSTANCE_TYPES[instanceType];
  if (!type) return problems;
  // The one service on EC2: the lesson's, or the single entry of the services list.
  const only = s.services?.[0];
  const cpu = only?.cpu ?? s.service.cpu;
  const memoryMiB = only?.memoryMiB ?? s.service.memoryMiB;
  const at = only?.cpu === undefined ? "service" : "services[0]";
  const atMemory = only?.memoryMiB === undefined ? "service" : "services[0]";
  const cpuUnits = type.vcpus * CPU_UNITS_PER_VCPU;
  if (cpu > cpuUnits) {
    problems.push(`${at}.cpu: ${cpu} units do not fit on ec2Capacity.instanceType "${instanceType}", which has ${cpuUnits} (${type.vcpus} vCPUs); allowed: 256 to ${cpuUnits}, or a larger type`);
  }
  const usable = Math.floor(type.memoryMiB * ECS_REGISTERED_MEMORY_RATIO);
  if (memoryMiB > usable) {
    problems.push(
      `${atMemory}.memoryMiB: ${memoryMiB} does not fit on ec2Capacity.instanceType "${instanceType}" (${type.memoryMiB} MiB installed, ` +
        `of which ECS can give tasks at most about ${usable}); allowed: 512 to ${usable}, or a larger type`,
    );
  }
  return problems;
}
