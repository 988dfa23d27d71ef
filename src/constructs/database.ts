/**
 * PostgreSQL on RDS in the private subnets. Only the security groups handed to the construct may reach the
 * database port; no CIDR range ever can. The master password is generated and kept by RDS in Secrets
 * Manager, so it appears in no code, setting, output or Terraform state. IAM database authentication is on
 * (password login keeps working), and the server and upgrade logs go to log groups the stage creates
 * itself, with the stage's retention, before the instance: otherwise RDS would create them never to expire.
 */
import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import type { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { withDefaults } from "../settings/blocks";
import { DATABASE_DEFAULTS, type DatabaseSettings } from "../settings/database";
import { SERVICE_DEFAULTS } from "../settings/service";
import { logGroup } from "./log-group";
import type { StageNames } from "../common/naming";
import type { Network } from "./network";
import { REASONS } from "../policy/reasons";
import { RDS_LOG_EXPORTS, rdsLogGroupName } from "../policy/rules/rds";
import { waive } from "../policy/waivers";
import { allowConnection, namedSecurityGroup } from "./security-group";

export interface DatabaseProps {
  /** The network whose private subnets hold the instance. */
  readonly network: Network;
  /** Unique AWS names of the stage. */
  readonly names: StageNames;
  /** Security groups allowed to connect on the database port, by a stable id. @default - none */
  readonly clients?: Readonly<Record<string, SecurityGroup>>;
  /** Engine, size and lesson profile. @default - the lesson's database: PostgreSQL 17, db.t4g.micro, 20 GiB */
  readonly settings?: Partial<DatabaseSettings>;
  /** Days the exported database logs are kept. @default - the stage's service.logRetentionDays (7) */
  readonly logRetentionDays?: number;
}

export class Database extends Construct {
  static readonly ENGINE = "postgres";
  readonly instance: DbInstance;
  readonly subnetGroup: DbSubnetGroup;
  readonly securityGroup: SecurityGroup;
  /** The log group of each exported log type ("postgresql", "upgrade"), created before the instance. */
  readonly logGroups: Readonly<Record<string, CloudwatchLogGroup>>;
  readonly port: number;
  readonly databaseName: string;
  readonly masterUsername: string;
  /** ARN of the Secrets Manager secret RDS keeps the master password in. */
  readonly masterPasswordSecretArn: string;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const settings = withDefaults(DATABASE_DEFAULTS, props.settings);
    const { network, names } = props;
    this.port = settings.port;
    this.databaseName = settings.databaseName;
    this.masterUsername = settings.masterUsername;

    this.subnetGroup = new DbSubnetGroup(this, "subnet-group", {
      name: names.of(settings.subnetGroupName),
      description: "The private subnets of the main VPC",
      subnetIds: network.privateSubnets.map(({ subnet }) => subnet.id),
    });
    this.securityGroup = namedSecurityGroup(this, "security-group", {
      name: names.of("database"),
      // A security group's description cannot change in place; keep settings out of it.
      description: "PostgreSQL, from client security groups only",
      vpcId: network.vpc.id,
    });

    const identifier = names.of("postgres");
    const retentionDays = props.logRetentionDays ?? SERVICE_DEFAULTS.logRetentionDays;
    const logTypes = RDS_LOG_EXPORTS[Database.ENGINE];
    this.logGroups = Object.fromEntries(
      logTypes.map((type) => [type, logGroup(this, `log-group-${type}`, { name: rdsLogGroupName(identifier, type), retentionDays })]),
    );
    this.instance = new DbInstance(this, "instance", {
      identifier,
      engine: Database.ENGINE,
      engineVersion: settings.engineVersion,
      // Stay in standard support: never fall into paid Extended Support.
      engineLifecycleSupport: "open-source-rds-extended-support-disabled",
      autoMinorVersionUpgrade: true,
      // Only when asked: a stage that never upgrades a major keeps its configuration as it was.
      allowMajorVersionUpgrade: settings.allowMajorVersionUpgrade || undefined,
      // Terraform-only: whether ModifyDBInstance applies a change (and any pending one) now or in the maintenance window.
      applyImmediately: settings.applyImmediately,
      instanceClass: settings.instanceClass,
      allocatedStorage: settings.allocatedStorageGiB,
      storageType: "gp3",
      storageEncrypted: true,
      dbName: settings.databaseName,
      username: settings.masterUsername,
      manageMasterUserPassword: true,
      port: settings.port,
      dbSubnetGroupName: this.subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      publiclyAccessible: false,
      multiAz: settings.enableMultiAz,
      backupRetentionPeriod: settings.backupRetentionDays,
      copyTagsToSnapshot: true,
      skipFinalSnapshot: settings.skipFinalSnapshot,
      finalSnapshotIdentifier: settings.skipFinalSnapshot ? undefined : `${identifier}-final`,
      deletionProtection: settings.enableDeletionProtection,
      iamDatabaseAuthenticationEnabled: true,
      enabledCloudwatchLogsExports: [...logTypes],
      dependsOn: Object.values(this.logGroups),
    });
    this.waiveLessonProfile(settings);
    this.masterPasswordSecretArn = this.instance.masterUserSecret.get(0).secretArn;

    for (const [clientId, client] of Object.entries(props.clients ?? {})) this.allowFrom(clientId, client);
  }

  /** The lesson's accepted findings, each only while the setting that causes it holds. */
  private waiveLessonProfile(settings: DatabaseSettings): void {
    const instance = this.instance;
    if (!settings.enableDeletionProtection) waive(instance, "RDS-DELETION-PROTECTION", REASONS.teardown);
    if (settings.backupRetentionDays < 7) waive(instance, "RDS-BACKUP-RETENTION", `${REASONS.teardown}: short backups (database.backupRetentionDays)`);
    if (!settings.enableMultiAz) waive(instance, "RDS-MULTI-AZ", "A single zone keeps the lesson in the free tier (database.enableMultiAz)");
    waive(instance, "RDS-ENHANCED-MONITORING", REASONS.paidMonitoring);
    waive(instance, "RDS-PERFORMANCE-INSIGHTS", REASONS.paidMonitoring);
    waive(instance, "RDS-CUSTOMER-KEY", REASONS.awsOwnedKeys);
  }

  /** Lets `client` connect on the database port (rules "<clientId>-egress" and "<clientId>-ingress"). */
  allowFrom(clientId: string, client: SecurityGroup): void {
    allowConnection(this, clientId, {
      from: client,
      to: this.securityGroup,
      port: this.port,
      description: `PostgreSQL from ${clientId}`,
    });
  }
}
