/** Ports with a meaning of their own: the ones scanners call administration ports, and the ones ECS keeps for itself. */

/** SSH and RDP: a rule that opens one of them to the internet is refused (policy rule SG-NO-WORLD-ADMIN-PORTS). */
// source: checkov CKV_AWS_24 (22) and CKV_AWS_25 (3389), AWS Security Hub EC2.13 and EC2.14, read 2026-11-22
export const ADMIN_PORTS: readonly number[] = [22, 3389];

/**
 * Host ports the ECS container agent reserves on an EC2 container instance (SSH, the Docker daemon, the agent's
 * introspection and metadata endpoints): a task asking for one of them is never placed.
 */
// source: Amazon ECS API Reference, Resource / RegisterContainerInstance ("reserved ports ... 22, 2375, 2376, 51678,
// 51679"), and the ECS Developer Guide, PortMapping hostPort, read 2026-12-06
export const ECS_AGENT_RESERVED_PORTS: readonly number[] = [22, 2375, 2376, 51678, 51679];
