/**
 * What AWS does on apply, as data the review's risks read: what an in-place change of an attribute costs
 * (an outage, a refusal, a deferral to the maintenance window, a companion step it needs), which resources
 * hold network interfaces and what a delete does while they do, and the partitions of Region names.
 *
 * Whether a change is in place or a replacement is never guessed here: the plan says it (replace_paths).
 * The attributes below were planned in place by hashicorp/aws 5.100.0 (offline plans against a prior state);
 * those marked "replaced" were planned as replacements and are listed only so that the table shows they
 * were checked. Durations are typical values, not promises.
 */

/** A condition on the values before and after a change (evaluated in in-place.ts). */
export type Condition =
  | "decrease" // a number gets smaller
  | "small-increase" // a number grows by less than 10 %
  | "unprotected-decrease" // an Auto Scaling size gets smaller and its instances are not protected from scale-in
  | "downgrade" // a version gets older
  | "major-upgrade" // a version's major part changes
  | "major-without-flag" // a major version change while allow_major_version_upgrade is not true
  | "gp3-baseline" // IOPS or throughput set on gp3 storage below the size that allows them
  | "magnetic" // storage changes from or to "standard" (magnetic)
  | "architecture-change" // an EC2 instance type of another processor architecture (arm64 <-> x86_64)
  | "to-or-from-zero" // a number changes from 0 or to 0
  | "multi-az" // the instance is Multi-AZ before and after
  | "same-vpc" // the new DB subnet group is in the VPC of the old one
  | "no-healthy-minimum" // an ECS service may stop every old task first (deployment_minimum_healthy_percent 0)
  | "public-ip-tasks" // the service's tasks were reached on their public IPs (no load balancer in front)
  | "feeds-running-group"; // a launch template that an Auto Scaling group, kept by the plan, launches from

export interface InPlaceFact {
  /** What stops, and for how long, typically, while AWS applies the change: the first whose condition holds. */
  readonly outage?: ReadonlyArray<{ readonly when?: Condition; readonly what: string }>;
  /** AWS refuses the change under these conditions: the apply fails. */
  readonly refused?: ReadonlyArray<{ readonly when: Condition; readonly why: string }>;
  /** RDS applies it in the next maintenance window unless apply_immediately is true. */
  readonly deferred?: true;
  /** It takes effect only with this companion step or setting (under a condition); `unless` names the setting that provides it. */
  readonly companion?: { readonly needs: string; readonly unless?: string; readonly when?: Condition };
  /** What else to know; no risk. */
  readonly note?: string;
}

// source: Amazon RDS User Guide, "Modifying an Amazon RDS DB instance" (the settings table: when each change
// occurs, downtime notes; "Using the Apply Immediately setting"), "Increasing DB instance storage capacity",
// "Amazon RDS DB instance storage" (gp3 baselines), "Maintenance for Multi-AZ deployments", "Updating the VPC
// for a DB instance"; re:Post "What factors affect my downtime ... in Amazon RDS?"; the ModifyDBInstance API
// reference; provider issues hashicorp/terraform-provider-aws#512 (a subnet group in the same VPC); read
// 2026-12-06. AWS publishes no durations for most changes: these are typical, not promised.
const GP3_FIXED = "gp3 storage below 400 GiB (PostgreSQL, MySQL, MariaDB) has a fixed baseline of 3,000 IOPS and 125 MiB/s that cannot be provisioned";
const RDS: Readonly<Record<string, InPlaceFact>> = {
  instance_class: {
    outage: [
      { when: "multi-az", what: "RDS modifies the standby and fails over to it: no connections for typically 1 to 2 minutes" },
      { what: "RDS moves the instance to a host of the new class and restarts it: no connections for typically a few minutes (AWS publishes no figure)" },
    ],
    deferred: true,
  },
  allocated_storage: {
    refused: [
      { when: "decrease", why: "RDS can only increase allocated storage; a smaller volume takes a new instance and a dump and restore" },
      { when: "small-increase", why: "RDS takes an increase of at least 10 %" },
    ],
    deferred: true,
    note: "no outage; I/O may be slower while RDS optimizes the storage (hours), and it takes no other storage change meanwhile",
  },
  storage_type: {
    outage: [{ when: "magnetic", what: "a brief outage while RDS starts the migration from or to magnetic storage, which then takes hours to days" }],
    deferred: true,
    note: "between SSD types (gp2, gp3, io1, io2): no outage, hours of storage optimization",
  },
  iops: { refused: [{ when: "gp3-baseline", why: GP3_FIXED }], deferred: true },
  storage_throughput: { refused: [{ when: "gp3-baseline", why: GP3_FIXED }], deferred: true },
  engine_version: {
    refused: [
      { when: "downgrade", why: "RDS never downgrades an engine; going back means restoring a snapshot taken before the upgrade into a new instance" },
      { when: "major-without-flag", why: "RDS upgrades a major version only with allow_major_version_upgrade = true (database.allowMajorVersionUpgrade)" },
    ],
    outage: [
      {
        when: "major-upgrade",
        what: "RDS snapshots the instance, upgrades the engine (both zones at once, Multi-AZ or not) and restarts it: no connections for typically 10 to 30 minutes, longer for large databases",
      },
      { what: "RDS upgrades the engine and restarts it (both zones at once, Multi-AZ or not): no connections for typically a few minutes" },
    ],
    deferred: true,
  },
  multi_az: { deferred: true, note: "no outage: RDS builds the standby from a snapshot; writes may be slower meanwhile" },
  port: { outage: [{ what: "RDS reboots the instance at once, whatever apply_immediately says: no connections for a few minutes, and clients must use the new port" }] },
  parameter_group_name: {
    companion: {
      needs: "a reboot: RDS attaches the group at once, but its parameters apply only after a reboot (status pending-reboot), which neither Terraform nor the maintenance window makes",
    },
  },
  db_subnet_group_name: {
    refused: [
      { when: "same-vpc", why: "RDS moves an instance only to a DB subnet group in another VPC (InvalidVPCNetworkStateFault)" },
      { when: "multi-az", why: "RDS moves only a Single-AZ instance to another VPC" },
    ],
    outage: [{ what: "RDS moves the instance into the new VPC's subnets: no connections for typically a few minutes" }],
    deferred: true,
  },
  identifier: { outage: [{ what: "RDS renames the instance and restarts it: no connections for a few minutes, and its endpoint (address) changes" }], deferred: true },
  backup_retention_period: { outage: [{ when: "to-or-from-zero", what: "turning automated backups on or off restarts the instance: a few minutes" }], deferred: true },
  ca_cert_identifier: {
    outage: [{ what: "RDS restarts the instance to serve the new certificate (unless the engine version rotates without a restart): a few minutes" }],
    deferred: true,
  },
  network_type: { outage: [{ what: "RDS may restart the instance: a few minutes" }], deferred: true },
};

// source: Amazon EC2 User Guide, "Change the instance type" (stop and start; an instance store and a public IPv4
// address that is not an Elastic IP are lost; the AMI's architecture must match), "Run commands when you launch
// an EC2 instance with user data input" (a stopped instance's new user data is not run), and the aws_instance
// resource of hashicorp/aws 5.100.0 (instance_type and user_data: stop, modify, start; a type of another
// architecture and user data with user_data_replace_on_change are replacements); read 2026-12-06.
const USER_DATA: InPlaceFact = {
  outage: [{ what: "EC2 stops the instance to change its user data and starts it again: a few minutes" }],
  companion: { needs: "user_data_replace_on_change = true: the new script runs only at an instance's first boot, so this instance never runs it", unless: "user_data_replace_on_change" },
};
const EC2_INSTANCE: Readonly<Record<string, InPlaceFact>> = {
  instance_type: {
    refused: [{ when: "architecture-change", why: "the instance's image is built for one processor architecture; an arm64 (Graviton) image cannot start on an x86_64 type, or the other way round" }],
    outage: [{ what: "EC2 stops the instance, changes its type and starts it: a few minutes, and a public IPv4 address that is not an Elastic IP changes" }],
  },
  user_data: USER_DATA,
  user_data_base64: USER_DATA,
  vpc_security_group_ids: { note: "in place, no stop; connections the old groups allowed and the new ones do not are cut" },
};

// source: Elastic Load Balancing User Guide for Application Load Balancers ("Availability Zones for your
// Application Load Balancer", "Security groups for your Application Load Balancer"), the SetSubnets and
// SetSecurityGroups API references, and plans of hashicorp/aws 5.100.0 (internal and load_balancer_type are
// replaced; so are a Network Load Balancer's removed subnets and its first or last security group); read 2026-12-06.
const LOAD_BALANCER: Readonly<Record<string, InPlaceFact>> = {
  internal: { note: "replaced (a new load balancer and DNS name), never changed in place" },
  subnets: { note: "in place for an Application Load Balancer: a removed zone's node stops, and its targets get no more requests" },
  security_groups: { note: "in place, no outage; a group that does not allow the listener ports cuts traffic at once" },
};

// source: Amazon ECS API Reference, UpdateService (a change of network configuration or load balancers starts
// new tasks, then stops the old ones), and plans of hashicorp/aws 5.100.0 (launch_type, a change between
// launch_type and capacity_provider_strategy, and a strategy change without force_new_deployment are
// replacements); read 2026-12-06.
const ECS_SERVICE: Readonly<Record<string, InPlaceFact>> = {
  network_configuration: {
    outage: [
      { when: "no-healthy-minimum", what: "ECS replaces every task, stopping the old ones before the new ones run (deployment_minimum_healthy_percent 0)" },
      { when: "public-ip-tasks", what: "ECS replaces every task: the tasks' public IP addresses change, and whoever browses to a task's address loses it" },
    ],
    note: "a new deployment: new tasks start in the new subnets and groups before the old ones stop",
  },
  load_balancer: { note: "a new deployment registers the new tasks with the new target group, then stops the old ones" },
  capacity_provider_strategy: { note: "in place only with force_new_deployment = true and a strategy before and after; from or to launch_type it is replaced" },
  launch_type: { note: "replaced, never changed in place" },
};

// source: Amazon EC2 Auto Scaling User Guide ("Create an Auto Scaling group using a launch template": existing
// instances are not affected; "Use an instance refresh"; "Use instance scale-in protection") and the
// aws_autoscaling_group resource of hashicorp/aws 5.100.0; read 2026-12-06.
const AUTOSCALING_GROUP: Readonly<Record<string, InPlaceFact>> = {
  launch_template: {
    companion: { needs: "an instance refresh (an instance_refresh block) or new instances: running instances keep the old launch template", unless: "instance_refresh" },
  },
  max_size: { outage: [{ when: "unprotected-decrease", what: "Auto Scaling terminates the instances above the new size at once, and the tasks on them stop" }] },
  desired_capacity: { outage: [{ when: "unprotected-decrease", what: "Auto Scaling terminates instances at once, and the tasks on them stop until ECS places them elsewhere" }] },
  vpc_zone_identifier: { note: "in place; Auto Scaling rebalances, launching instances in the new subnets before it terminates old ones" },
};

// source: Amazon EC2 Auto Scaling User Guide, "Create an Auto Scaling group using a launch template" ("existing
// instances are not affected") and plans of hashicorp/aws 5.100.0 (a launch template changes in place: a new
// version; a group on "$Latest" shows no change at all); read 2026-12-06.
const NEW_VERSION: InPlaceFact = {
  companion: {
    when: "feeds-running-group",
    needs: "new instances: the Auto Scaling group launches only new instances from the new version, and its running instances keep the old one until they are replaced (an instance refresh)",
  },
};
const LAUNCH_TEMPLATE: Readonly<Record<string, InPlaceFact>> = Object.fromEntries(
  ["image_id", "instance_type", "user_data", "key_name", "network_interfaces", "vpc_security_group_ids", "iam_instance_profile", "block_device_mappings", "metadata_options"].map(
    (attribute) => [attribute, NEW_VERSION],
  ),
);

/** In-place facts per resource type and top-level attribute. */
export const IN_PLACE: Readonly<Record<string, Readonly<Record<string, InPlaceFact>>>> = {
  aws_db_instance: RDS,
  aws_instance: EC2_INSTANCE,
  aws_lb: LOAD_BALANCER,
  aws_alb: LOAD_BALANCER,
  aws_ecs_service: ECS_SERVICE,
  aws_autoscaling_group: AUTOSCALING_GROUP,
  aws_launch_template: LAUNCH_TEMPLATE,
};

/** Engines whose gp3 storage has a fixed baseline below GP3_BASELINE_GIB. */
export const GP3_BASELINE_ENGINES = ["postgres", "mysql", "mariadb"];
export const GP3_BASELINE_GIB = 400;

// source: AWS Identity and Access Management User Guide, "IAM identifiers" (ARN partitions) and the endpoint data
// of hashicorp/aws 5.100.0 (Region name prefixes per partition); read 2026-12-06. Longer prefixes first.
export const PARTITIONS: ReadonlyArray<readonly [prefix: string, partition: string]> = [
  ["cn-", "aws-cn"],
  ["us-gov-", "aws-us-gov"],
  ["us-isob-", "aws-iso-b"],
  ["us-isof-", "aws-iso-f"],
  ["us-iso-", "aws-iso"],
  ["eu-isoe-", "aws-iso-e"],
];

// source: Amazon VPC User Guide ("Delete your VPC": DependencyViolation while network interfaces remain), the
// Timeouts of aws_subnet (delete 20m) and aws_security_group (delete 15m) in hashicorp/aws 5.100.0, and the
// DeleteDBSubnetGroup API reference (InvalidDBSubnetGroupStateFault); read 2026-12-06.
/** What a delete does while a network interface still uses the resource, by type. */
export const DELETE_IN_USE: Readonly<Record<string, string>> = {
  aws_subnet: "the subnet's delete is retried for 20 minutes",
  aws_security_group: "the security group's delete is retried for 15 minutes",
  aws_vpc: "the VPC's delete is retried for a few minutes",
  aws_db_subnet_group: "RDS refuses the DB subnet group's delete at once (InvalidDBSubnetGroupStateFault)",
};

/** Resources that keep network interfaces in subnets and security groups, and how to say so. */
export const NETWORK_HOLDERS: Readonly<Record<string, string>> = {
  aws_db_instance: "the database's network interface stays",
  aws_lb: "the load balancer's nodes keep their network interfaces",
  aws_alb: "the load balancer's nodes keep their network interfaces",
  aws_ecs_service: "the service's running tasks keep their network interfaces",
  aws_instance: "the instance keeps its network interface",
  aws_autoscaling_group: "the group's running instances keep their network interfaces",
  aws_vpc_endpoint: "the endpoint keeps its network interfaces",
};

// source: Amazon RDS User Guide, "Updating the VPC for a DB instance" and the ModifyDBSubnetGroup API reference
// (InvalidSubnet: all subnets in one VPC); Elastic Load Balancing User Guide (a load balancer's subnets are in
// its VPC); read 2026-12-06.
/** Holders that cannot follow their network to another VPC in place. */
export const CANNOT_CHANGE_VPC: Readonly<Record<string, string>> = {
  aws_db_instance:
    "RDS cannot move a DB instance to another VPC in place: a DB subnet group in use only takes subnets of its own VPC (InvalidSubnet), and the instance only security groups of that VPC",
  aws_lb: "a load balancer cannot change VPC: its new subnets and security groups must be in the VPC it was created in",
  aws_alb: "a load balancer cannot change VPC: its new subnets and security groups must be in the VPC it was created in",
};
