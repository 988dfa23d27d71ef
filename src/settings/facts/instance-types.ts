/**
 * EC2 instance types an ECS cluster of the lesson may use: their vCPUs, installed memory and processor
 * architecture, and what ECS keeps of them. Types missing from the table are allowed; only the size check
 * (settings/ec2-capacity.ts) is skipped for them (the README says so).
 */
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

/** Graviton (arm64) families: a "g" right after the generation digit (t4g, m7g, c7gn, im4gn), and the first one, a1. */
export function isGraviton(instanceType: string): boolean {
  const family = instanceType.split(".")[0];
  return family === "a1" || /^[a-z]+\d+g/.test(family);
}

/** The processor architecture of the instance type, as ECS task definitions name it. */
export function cpuArchitecture(instanceType: string): "ARM64" | "X86_64" {
  return isGraviton(instanceType) ? "ARM64" : "X86_64";
}
