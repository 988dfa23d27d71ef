/**
 * The Database construct: PostgreSQL on RDS in the private subnets, reachable only from the security groups
 * it is given, with a password that RDS generates and keeps. Resources are found by the values the lesson
 * gives them (subnet CIDRs, the instance's security group), not by construct ids.
 */
import "cdktf/lib/testing/adapters/jest"; // types of the Testing matchers registered in setup.js
import { Testing, TerraformOutput, TerraformStack, Token } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Database } from "../src/constructs/database";
import type { DatabaseSettings } from "../src/settings/database";
import { StageNames } from "../src/common/naming";
import { Network } from "../src/constructs/network";
import {
  PRIVATE_CIDRS,
  PUBLIC_CIDRS,
  ZONES,
  outputValue,
  ref,
  resourcesOf,
  rulesOn,
  subnetRef,
  synthesizedStack,
  theOne,
  type Attributes,
  type SynthesizedStack,
} from "./support/synth";

// ---------------------------------------------------------------------------------------------
// Reading the synthesized Terraform JSON.

/** Every key anywhere in a JSON value, with its path. */
function keysIn(value: unknown, path = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => keysIn(item, `${path}[${i}]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) => [`${path}.${key}`, ...keysIn(child, `${path}.${key}`)]);
}

// ---------------------------------------------------------------------------------------------
// A stage-like stack: the lesson network, the database, and optionally a client security group.

type ClientWiring = "none" | "props" | "allowFrom";

interface Built extends SynthesizedStack {
  readonly stack: TerraformStack;
  readonly database: Database;
}

function build(options: { settings?: Partial<DatabaseSettings>; client?: ClientWiring } = {}): Built {
  const stack = new TerraformStack(Testing.app(), "db");
  const network = new Network(stack, "network", { availabilityZones: ZONES });
  const tasks = new SecurityGroup(stack, "tasks", { name: "workshop-db-tasks", vpcId: network.vpc.id });
  const client = options.client ?? "none";
  const database = new Database(stack, "database", {
    network,
    names: new StageNames("workshop", "db"),
    settings: options.settings,
    clients: client === "props" ? { tasks } : undefined,
  });
  if (client === "allowFrom") database.allowFrom("tasks", tasks);
  return { stack, database, ...synthesizedStack(stack) };
}

function instanceOf({ json }: Built): Attributes {
  return theOne(json, DbInstance)[1];
}

/** The security group the instance is placed in: the one its vpc_security_group_ids names. */
function databaseGroupRef(built: Built): string {
  const groups = instanceOf(built).vpc_security_group_ids;
  expect(groups).toHaveLength(1);
  return (groups as string[])[0];
}

/** The client security group the test made (named workshop-db-tasks). */
function clientGroupRef({ json }: Built): string {
  return ref(SecurityGroup, theOne(json, SecurityGroup, (g) => g.name === "workshop-db-tasks")[0]);
}

// ---------------------------------------------------------------------------------------------

describe("the DB subnet group", () => {
  test('is named "<prefix>-<stage>-main-private" and described as the private subnets of the main VPC', () => {
    // GIVEN prefix "workshop", stage "db" and the lesson defaults
    const built = build();
    // THEN the subnet group carries the prefix and the stage
    expect(built.text).toHaveResourceWithProperties(DbSubnetGroup, {
      name: "workshop-db-main-private",
      description: "The private subnets of the main VPC",
    });
  });

  test("holds exactly the three private subnets and none of the public ones", () => {
    // GIVEN the lesson network
    const built = build();
    // THEN the subnet group lists the three private subnets, no more
    const [, group] = theOne(built.json, DbSubnetGroup);
    const subnetIds = group.subnet_ids as string[];
    expect([...subnetIds].sort()).toEqual(PRIVATE_CIDRS.map((cidr) => subnetRef(built.json, cidr)).sort());
    // AND none of the public subnets
    for (const cidr of PUBLIC_CIDRS) expect(subnetIds).not.toContain(subnetRef(built.json, cidr));
  });

  test("is the subnet group the instance is placed in", () => {
    // GIVEN the lesson defaults
    const built = build();
    // THEN the instance names the subnet group
    const [groupId] = theOne(built.json, DbSubnetGroup);
    expect(instanceOf(built).db_subnet_group_name).toBe(ref(DbSubnetGroup, groupId, "name"));
  });
});

describe("the instance", () => {
  test('runs PostgreSQL 17 on a db.t4g.micro named "workshop-db-postgres"', () => {
    // GIVEN prefix "workshop", stage "db" and the lesson defaults
    const built = build();
    // THEN there is one instance with the lesson's engine, version, class and unique identifier
    expect(resourcesOf(built.json, DbInstance)).toHaveLength(1);
    expect(built.text).toHaveResourceWithProperties(DbInstance, {
      identifier: "workshop-db-postgres",
      engine: "postgres",
      engine_version: "17",
      instance_class: "db.t4g.micro",
    });
  });

  test("has 20 GiB of encrypted gp3 storage", () => {
    // GIVEN the lesson defaults
    const built = build();
    // THEN the storage is the free-tier size, gp3 and encrypted at rest
    expect(built.text).toHaveResourceWithProperties(DbInstance, {
      allocated_storage: 20,
      storage_type: "gp3",
      storage_encrypted: true,
    });
  });

  test("stays out of paid RDS Extended Support", () => {
    // GIVEN the lesson defaults
    const built = build();
    // THEN the instance opts out of Extended Support
    expect(built.text).toHaveResourceWithProperties(DbInstance, {
      engine_lifecycle_support: "open-source-rds-extended-support-disabled",
    });
  });

  test("listens on port 5432 and is not publicly accessible", () => {
    // GIVEN the lesson defaults
    const built = build();
    // THEN the instance has the PostgreSQL port and no public address
    expect(built.text).toHaveResourceWithProperties(DbInstance, { port: 5432, publicly_accessible: false });
  });

  test("an explicit port: undefined keeps the default port 5432", () => {
    // GIVEN settings that name port but leave it undefined
    const built = build({ settings: { port: undefined } });
    // THEN the undefined never overrides the lesson default: the instance listens on 5432
    expect(built.text).toHaveResourceWithProperties(DbInstance, { port: 5432 });
  });

  test("is single-AZ by default", () => {
    // GIVEN the lesson defaults
    const built = build();
    // THEN there is no standby
    expect(built.text).toHaveResourceWithProperties(DbInstance, { multi_az: false });
  });

  test("is multi-AZ when enableMultiAz is set", () => {
    // GIVEN a database with a standby
    const built = build({ settings: { enableMultiAz: true } });
    // THEN the instance is multi-AZ
    expect(built.text).toHaveResourceWithProperties(DbInstance, { multi_az: true });
  });

  test("the lesson profile skips the final snapshot and has no deletion protection", () => {
    // GIVEN the lesson defaults
    const built = build();
    // THEN a destroy deletes the instance without a snapshot
    expect(built.text).toHaveResourceWithProperties(DbInstance, { skip_final_snapshot: true, deletion_protection: false });
    // AND no final snapshot identifier is set
    expect(instanceOf(built)).not.toHaveProperty("final_snapshot_identifier");
  });

  test("with skipFinalSnapshot false a final snapshot identifier is set", () => {
    // GIVEN a database that keeps a final snapshot
    const built = build({ settings: { skipFinalSnapshot: false } });
    // THEN the snapshot is named after the instance (Terraform requires a name when the snapshot is not skipped)
    expect(built.text).toHaveResourceWithProperties(DbInstance, {
      skip_final_snapshot: false,
      final_snapshot_identifier: "workshop-db-postgres-final",
    });
  });

  test("with enableDeletionProtection the instance is protected", () => {
    // GIVEN a database with deletion protection
    const built = build({ settings: { enableDeletionProtection: true } });
    // THEN the instance carries it
    expect(built.text).toHaveResourceWithProperties(DbInstance, { deletion_protection: true });
  });
});

describe("when a change reaches the running instance", () => {
  test("the lesson applies a change now, and never allows a major upgrade it did not ask for", () => {
    // GIVEN the lesson defaults
    const instance = instanceOf(build());
    // THEN changes are applied immediately, not in the maintenance window
    expect(instance.apply_immediately).toBe(true);
    // AND the major-upgrade flag is not written at all, so a stage that never upgrades keeps its configuration
    expect(instance).not.toHaveProperty("allow_major_version_upgrade");
  });

  test("applyImmediately false leaves changes to the maintenance window", () => {
    expect(instanceOf(build({ settings: { applyImmediately: false } })).apply_immediately).toBe(false);
  });

  test("allowMajorVersionUpgrade lets RDS move to another major in place", () => {
    // GIVEN a database asked to upgrade to PostgreSQL 18
    const instance = instanceOf(build({ settings: { engineVersion: "18", allowMajorVersionUpgrade: true } }));
    // THEN the instance carries the flag RDS requires for a major change
    expect(instance).toMatchObject({ engine_version: "18", allow_major_version_upgrade: true });
  });
});

describe("IAM authentication and logs", () => {
  test("IAM database authentication is on, beside password login", () => {
    // GIVEN the lesson defaults
    const built = build();
    // THEN the instance accepts IAM tokens, and RDS still manages the master password
    expect(instanceOf(built)).toMatchObject({ iam_database_authentication_enabled: true, manage_master_user_password: true });
  });

  test("exports the postgresql and upgrade logs into log groups the stack creates first, with 7 days' retention", () => {
    // GIVEN the lesson defaults
    const built = build();
    // THEN both log types are exported
    const instance = instanceOf(built);
    expect(instance.enabled_cloudwatch_logs_exports).toEqual(["postgresql", "upgrade"]);
    // AND each goes to /aws/rds/instance/<identifier>/<type>, kept 7 days, which the instance depends on
    for (const type of ["postgresql", "upgrade"]) {
      const [id] = theOne(built.json, CloudwatchLogGroup, (g) => g.name === `/aws/rds/instance/workshop-db-postgres/${type}` && g.retention_in_days === 7);
      expect(instance.depends_on).toContain(`aws_cloudwatch_log_group.${id}`);
    }
  });

  test("logRetentionDays sets the retention of the database's log groups", () => {
    // GIVEN 30 days of retention
    const stack = new TerraformStack(Testing.app(), "db");
    const network = new Network(stack, "network", { availabilityZones: ZONES });
    new Database(stack, "database", { network, names: new StageNames("workshop", "db"), logRetentionDays: 30 });
    // THEN both log groups keep 30 days
    const groups = resourcesOf(synthesizedStack(stack).json, CloudwatchLogGroup).map(([, g]) => g.retention_in_days);
    expect(groups).toEqual([30, 30]);
  });
});

describe("the master password", () => {
  test("the master user is postgres and RDS manages its password", () => {
    // GIVEN the lesson defaults
    const built = build();
    // THEN RDS generates the password and keeps it in Secrets Manager
    expect(built.text).toHaveResourceWithProperties(DbInstance, { username: "postgres", manage_master_user_password: true });
  });

  test("no password attribute appears anywhere in the synthesized configuration", () => {
    // GIVEN the lesson defaults, with a client wired in
    const built = build({ client: "props" });
    // THEN the only key mentioning a password is manage_master_user_password
    const passwordKeys = keysIn(built.json).filter((path) => /password/i.test(path.split(".").pop() ?? ""));
    expect(passwordKeys.map((path) => path.split(".").pop())).toEqual(["manage_master_user_password"]);
    // AND the instance sets neither password nor password_wo
    expect(instanceOf(built)).not.toHaveProperty("password");
    expect(instanceOf(built)).not.toHaveProperty("password_wo");
  });

  test("masterPasswordSecretArn is a token for the ARN of the secret RDS keeps", () => {
    // GIVEN the lesson defaults
    const built = build();
    // WHEN the ARN the construct exposes is used as an output
    const arn = built.database.masterPasswordSecretArn;
    new TerraformOutput(built.stack, "secret_arn", { value: arn });
    const { json } = synthesizedStack(built.stack);
    // THEN it is only known after apply, and points at master_user_secret of the instance
    expect(Token.isUnresolved(arn)).toBe(true);
    const [instanceId] = theOne(built.json, DbInstance);
    expect(outputValue(json, "secret_arn")).toBe(`\${${DbInstance.tfResourceType}.${instanceId}.master_user_secret[0].secret_arn}`);
  });
});

describe("who can reach the database", () => {
  test("the instance is in the database security group of the VPC", () => {
    // GIVEN prefix "workshop", stage "db"
    const built = build();
    // THEN the instance's only security group is the database group, named with prefix and stage
    const [groupId, group] = theOne(built.json, SecurityGroup, (g) => g.name === "workshop-db-database");
    expect(databaseGroupRef(built)).toBe(ref(SecurityGroup, groupId));
    expect(group.vpc_id).toBe(ref(Vpc, theOne(built.json, Vpc)[0]));
  });

  test("without clients the database security group has no ingress rule", () => {
    // GIVEN no clients
    const built = build();
    const databaseGroup = databaseGroupRef(built);
    // THEN no standalone ingress rule targets the database group
    expect(rulesOn(built.json, VpcSecurityGroupIngressRule, databaseGroup)).toEqual([]);
    // AND the group has no inline ingress, and no legacy aws_security_group_rule exists
    const [, group] = theOne(built.json, SecurityGroup, (g) => g.name === "workshop-db-database");
    expect(group.ingress ?? []).toEqual([]);
    expect(built.text).not.toHaveResource(SecurityGroupRule);
  });

  test.each(["none", "props", "allowFrom"] as const)("no rule opens the database to an address range (clients: %s)", (client) => {
    // GIVEN the database with or without a client
    const built = build({ client });
    const databaseGroup = databaseGroupRef(built);
    // THEN no ingress rule on the database group names a CIDR or a prefix list
    for (const rule of rulesOn(built.json, VpcSecurityGroupIngressRule, databaseGroup)) {
      expect(rule).not.toHaveProperty("cidr_ipv4");
      expect(rule).not.toHaveProperty("cidr_ipv6");
      expect(rule).not.toHaveProperty("prefix_list_id");
    }
    // AND there is no legacy rule resource and no inline rule that could
    expect(built.text).not.toHaveResource(SecurityGroupRule);
    const [, group] = theOne(built.json, SecurityGroup, (g) => g.name === "workshop-db-database");
    expect(group.ingress ?? []).toEqual([]);
  });

  test.each(["props", "allowFrom"] as const)("a client (via %s) gets exactly one ingress rule from its group on 5432/tcp", (client) => {
    // GIVEN a client security group, passed in props or through allowFrom
    const built = build({ client });
    // THEN the database group has exactly one ingress rule, from the client group, on the PostgreSQL port
    expect(rulesOn(built.json, VpcSecurityGroupIngressRule, databaseGroupRef(built))).toEqual([
      expect.objectContaining({
        referenced_security_group_id: clientGroupRef(built),
        ip_protocol: "tcp",
        from_port: 5432,
        to_port: 5432,
      }),
    ]);
  });

  test.each(["props", "allowFrom"] as const)("a client (via %s) gets exactly one egress rule to the database on 5432/tcp", (client) => {
    // GIVEN a client security group, passed in props or through allowFrom
    const built = build({ client });
    // THEN the client group has exactly one egress rule, to the database group, on the PostgreSQL port
    expect(rulesOn(built.json, VpcSecurityGroupEgressRule, clientGroupRef(built))).toEqual([
      expect.objectContaining({
        referenced_security_group_id: databaseGroupRef(built),
        ip_protocol: "tcp",
        from_port: 5432,
        to_port: 5432,
      }),
    ]);
  });

  test("a custom port is the port of the instance and of the client rules", () => {
    // GIVEN a database on port 6543 with a client
    const built = build({ settings: { port: 6543 }, client: "props" });
    // THEN the instance listens on it and both rules open exactly it
    expect(built.text).toHaveResourceWithProperties(DbInstance, { port: 6543 });
    const [ingress] = rulesOn(built.json, VpcSecurityGroupIngressRule, databaseGroupRef(built));
    const [egress] = rulesOn(built.json, VpcSecurityGroupEgressRule, clientGroupRef(built));
    for (const rule of [ingress, egress]) expect(rule).toEqual(expect.objectContaining({ from_port: 6543, to_port: 6543 }));
  });
});
