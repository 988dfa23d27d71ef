/**
 * EC2 instance types an ECS cluster of the lesson may use: their vCPUs, installed memory and processor
 * architecture, and the checks a task must pass to fit on one. Types missing from the table are allowed;
 * only the size check is skipped for them (the README says so).
 */
import { orderProblems, type Settings } from "./index";

export interface InstanceType {
  readonly vcpus: number;
  /** Installed memory; ECS registers less (see ECS_REGISTERED_MEMORY_RATIO). */
  readonly memoryMiB: number;
}

// source: Amazon EC2 instance types (aws.amazon.com/ec2/instance-types: T3, T3a, T4g, M5, M6i, M6g, M7g, C5, C6i,
// C6g, C7g, R6g), read 2026-11-22
export const INSTANCE_TYPES: Readonly<Record<string, InstanceType>> = {
  "t3.nano": { vcpus: 2, memoryMiB: 512 },
  "t3.micro": { vcpus: 2, memoryMiB: 1024 },
  "t3.small": { vcpus: 2, memoryMiB: 2048 },
  "t3.medium": { vcpus: 2, memoryMiB: 4096 },
  "t3.large": { vcpus: 2, memoryMiB: 8192 },
  "t3.xlarge": { vcpus: 4, memoryMiB: 16384 },
  "t3a.micro": { vcpus: 2, memoryMiB: 1024 },
  "t3a.small": { vcpus: 2, memoryMiB: 2048 },
  "t3a.medium": { vcpus: 2, memoryMiB: 4096 },
  "t3a.large": { vcpus: 2, memoryMiB: 8192 },
  "t4g.nano": { vcpus: 2, memoryMiB: 512 },
  "t4g.micro": { vcpus: 2, memoryMiB: 1024 },
  "t4g.small": { vcpus: 2, memoryMiB: 2048 },
  "t4g.medium": { vcpus: 2, memoryMiB: 4096 },
  "t4g.large": { vcpus: 2, memoryMiB: 8192 },
  "t4g.xlarge": { vcpus: 4, memoryMiB: 16384 },
  "m5.large": { vcpus: 2, memoryMiB: 8192 },
  "m5.xlarge": { vcpus: 4, memoryMiB: 16384 },
  "m6i.large": { vcpus: 2, memoryMiB: 8192 },
  "m6g.large": { vcpus: 2, memoryMiB: 8192 },
  "m7g.large": { vcpus: 2, memoryMiB: 8192 },
  "c5.large": { vcpus: 2, memoryMiB: 4096 },
  "c6i.large": { vcpus: 2, memoryMiB: 4096 },
  "c6g.large": { vcpus: 2, memoryMiB: 4096 },
  "c7g.large": { vcpus: 2, memoryMiB: 4096 },
  "r6g.large": { vcpus: 2, memoryMiB: 16384 },
};

/**
 * Share of the installed memory ECS can give to tasks: the kernel and platform keep the rest. The figure is the
 * ECS guide's example (an m4.large, 8192 MiB installed, registers 7985 MiB); smaller types keep proportionally
 * more for themselves, so a task above this share never fits on the type.
 */
// source: Amazon ECS Developer Guide, "Reserving Amazon ECS Linux container instance memory", read 2026-11-22
export const ECS_REGISTERED_MEMORY_RATIO = 7985 / 8192;

/** ECS registers 1024 CPU units per vCPU. */
export const CPU_UNITS_PER_VCPU = 1024;

/** Names AWS reserves at the start of a capacity provider's name. */
// source: Amazon ECS API Reference, CreateCapacityProvider, name, read 2026-11-22
export const RESERVED_CAPACITY_PROVIDER_STARTS = ["aws", "ecs", "fargate"];

/** "t3.small": family, then size; families may hold digits and letters ("c7gn", "u-6tb1"). */
export const INSTANCE_TYPE_PATTERN = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;

/** Graviton (arm64) families: a "g" right after the generation digit (t4g, m7g, c7gn, im4gn), and the first one, a1. */
export function isGraviton(instanceType: string): boolean {
  const family = instanceType.split(".")[0];
  return family === "a1" || /^[a-z]+\d+g/.test(family);
}

/** The processor architecture of the instance type, as ECS task definitions name it. */
export function cpuArchitecture(instanceType: string): "ARM64" | "X86_64" {
  return isGraviton(instanceType) ? "ARM64" : "X86_64";
}

/**
 * The settings problems of EC2 capacity, only when the launch type is EC2: the capacity range, the capacity
 * provider's name and a task that cannot fit on the instance type.
 */
export function ec2CapacityProblems(s: Settings): string[] {
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
