/** RDS: the instance and its subnet group. */
// source: checkov resource/aws (RDS*), trivy-checks checks/cloud/aws/rds, AWS Security Hub RDS controls, RDS User Guide "PostgreSQL database log files"; read 2026-12-06
import type { Rule } from "../types";
import type { Resource, StackView } from "../stack-view";
import { flagWhere, routesToInternetGateway } from "./helpers";

/** Log types each engine can export; PostgreSQL's are the server log and the major-version upgrade log. */
export const RDS_LOG_EXPORTS: Readonly<Record<string, readonly string[]>> = { postgres: ["postgresql", "upgrade"] };

/** The log group RDS writes an exported log type to. */
export function rdsLogGroupName(identifier: string, logType: string): string {
  return `/aws/rds/instance/${identifier}/${logType}`;
}

const exportedLogs = (instance: Resource) => [instance.attributes.enabled_cloudwatch_logs_exports].flat().filter((t): t is string => typeof t === "string");

/** The security groups attached to the instance. */
const groupsOf = (stack: StackView, instance: Resource) =>
  [instance.attributes.vpc_security_group_ids].flat().map((id) => stack.target(id)).filter((g): g is Resource => g !== undefined);

export const RDS_RULES: Rule[] = [
  {
    id: "RDS-STORAGE-ENCRYPTED",
    service: "rds",
    severity: "error",
    reason: "Unencrypted storage exposes the data in snapshots and on retired disks.",
    fix: "Set storage_encrypted = true (it cannot change later without a new instance).",
    checkov: ["CKV_AWS_16"],
    trivy: ["AVD-AWS-0080"],
    securityHub: ["RDS.3"],
    check: (stack) => flagWhere(stack, "aws_db_instance", (db) => db.attributes.storage_encrypted !== true),
  },
  {
    id: "RDS-NOT-PUBLIC",
    service: "rds",
    severity: "error",
    reason: "A publicly accessible instance gets an internet-resolvable address; only its security group stands in the way.",
    fix: "Set publicly_accessible = false and connect from inside the VPC.",
    checkov: ["CKV_AWS_17"],
    trivy: ["AVD-AWS-0180"],
    securityHub: ["RDS.2"],
    check: (stack) => flagWhere(stack, "aws_db_instance", (db) => db.attributes.publicly_accessible === true),
  },
  {
    id: "RDS-IAM-AUTH",
    service: "rds",
    severity: "error",
    reason: "IAM database authentication gives short-lived tokens instead of a shared password; it is free and password login keeps working.",
    fix: "Set iam_database_authentication_enabled = true.",
    checkov: ["CKV_AWS_161"],
    trivy: ["AVD-AWS-0176"],
    securityHub: ["RDS.10"],
    check: (stack) =>
      flagWhere(stack, "aws_db_instance", (db) => ["postgres", "mysql"].includes(String(db.attributes.engine)) && db.attributes.iam_database_authentication_enabled !== true),
  },
  {
    id: "RDS-LOG-EXPORTS",
    service: "rds",
    severity: "error",
    reason: "Without log exports, connection errors and upgrade failures are visible only in the console, and only for a while.",
    fix: 'Set enabled_cloudwatch_logs_exports to every log type of the engine (PostgreSQL: "postgresql", "upgrade").',
    checkov: ["CKV_AWS_129"],
    securityHub: ["RDS.9"],
    check: (stack) =>
      flagWhere(stack, "aws_db_instance", (db) => {
        const missing = (RDS_LOG_EXPORTS[String(db.attributes.engine)] ?? []).filter((type) => !exportedLogs(db).includes(type));
        return missing.length > 0 && `not exported: ${missing.join(", ")}`;
      }),
  },
  {
    id: "RDS-LOG-GROUPS-OWNED",
    service: "rds",
    severity: "error",
    reason: "Log groups RDS creates itself never expire and survive the stack's destroy.",
    fix: "Create /aws/rds/instance/<identifier>/<type> for each exported type in the stack, with a retention, and make the instance depend on it.",
    check: (stack) =>
      flagWhere(stack, "aws_db_instance", (db) => {
        const dependsOn = [db.attributes.depends_on].flat();
        const missing = exportedLogs(db).filter((type) => {
          const group = stack.all("aws_cloudwatch_log_group").find((g) => g.attributes.name === rdsLogGroupName(String(db.attributes.identifier), type));
          return !group || typeof group.attributes.retention_in_days !== "number" || !dependsOn.includes(group.address);
        });
        return missing.length > 0 && `no log group with retention, created first, for: ${missing.join(", ")}`;
      }),
  },
  {
    id: "RDS-MANAGED-PASSWORD",
    service: "rds",
    severity: "error",
    reason: "A password given to Terraform sits in the state file and in whatever setting held it.",
    fix: "Set manage_master_user_password = true and drop password: RDS keeps it in Secrets Manager.",
    check: (stack) =>
      flagWhere(stack, "aws_db_instance", (db) => db.attributes.manage_master_user_password !== true || db.attributes.password !== undefined),
  },
  {
    id: "RDS-PRIVATE-SUBNETS",
    service: "rds",
    severity: "error",
    reason: "A database subnet with a route to an internet gateway is one setting away from the internet.",
    fix: "Put only private subnets (no internet gateway route) into the DB subnet group.",
    check: (stack) =>
      flagWhere(stack, "aws_db_subnet_group", (group) => {
        const exposed = [group.attributes.subnet_ids].flat().map((id) => stack.target(id)).filter((s): s is Resource => s !== undefined && routesToInternetGateway(stack, s));
        return exposed.length > 0 && `routes to an internet gateway: ${exposed.map((s) => s.address).join(", ")}`;
      }),
  },
  {
    id: "RDS-CLIENTS-BY-GROUP",
    service: "rds",
    severity: "error",
    reason: "The database should admit its clients by security group; an address range admits whatever lands in it.",
    fix: "Admit the database port only with referenced_security_group_id (Database.allowFrom), never a CIDR.",
    check: (stack) =>
      stack.all("aws_db_instance").flatMap((db) =>
        groupsOf(stack, db).flatMap((group) => [
          ...stack
            .all("aws_vpc_security_group_ingress_rule", "aws_security_group_rule")
            .filter((rule) => stack.target(rule.attributes.security_group_id)?.address === group.address && rule.attributes.type !== "egress")
            .filter((rule) => rule.attributes.referenced_security_group_id === undefined && rule.attributes.source_security_group_id === undefined && rule.attributes.prefix_list_id === undefined)
            .map((rule) => ({ address: rule.address })),
          ...([group.attributes.ingress].flat().some((r) => r) ? [{ address: group.address, detail: "inline ingress rules" }] : []),
        ]),
      ),
  },
  {
    id: "RDS-DELETION-PROTECTION",
    service: "rds",
    severity: "warning",
    reason: "Without deletion protection one destroy removes the database.",
    fix: "Set deletion_protection = true (database.enableDeletionProtection).",
    checkov: ["CKV_AWS_293"],
    trivy: ["AVD-AWS-0177"],
    securityHub: ["RDS.8"],
    check: (stack) => flagWhere(stack, "aws_db_instance", (db) => db.attributes.deletion_protection !== true),
  },
  {
    id: "RDS-BACKUP-RETENTION",
    service: "rds",
    severity: "warning",
    reason: "Fewer than 7 days of automated backups leave little time to notice and undo a mistake.",
    fix: "Set backup_retention_period to 7 or more (database.backupRetentionDays).",
    trivy: ["AVD-AWS-0077"],
    securityHub: ["RDS.11"],
    check: (stack) => flagWhere(stack, "aws_db_instance", (db) => !(Number(db.attributes.backup_retention_period ?? 0) >= 7)),
  },
  {
    id: "RDS-MULTI-AZ",
    service: "rds",
    severity: "warning",
    reason: "A single-AZ instance is down while its zone or host is.",
    fix: "Set multi_az = true (database.enableMultiAz).",
    checkov: ["CKV_AWS_157"],
    securityHub: ["RDS.5"],
    check: (stack) => flagWhere(stack, "aws_db_instance", (db) => db.attributes.multi_az !== true),
  },
  {
    id: "RDS-ENHANCED-MONITORING",
    service: "rds",
    severity: "warning",
    reason: "Without enhanced monitoring, OS-level metrics of the instance are missing.",
    fix: "Set monitoring_interval and monitoring_role_arn.",
    checkov: ["CKV_AWS_118"],
    securityHub: ["RDS.6"],
    check: (stack) => flagWhere(stack, "aws_db_instance", (db) => !(Number(db.attributes.monitoring_interval ?? 0) > 0)),
  },
  {
    id: "RDS-PERFORMANCE-INSIGHTS",
    service: "rds",
    severity: "warning",
    reason: "Without Performance Insights, slow queries are hard to find.",
    fix: "Set performance_insights_enabled = true.",
    checkov: ["CKV_AWS_353"],
    trivy: ["AVD-AWS-0133"],
    check: (stack) => flagWhere(stack, "aws_db_instance", (db) => db.attributes.performance_insights_enabled !== true),
  },
  {
    id: "RDS-CUSTOMER-KEY",
    service: "rds",
    severity: "warning",
    reason: "With the AWS-managed key, key policy and rotation are not yours to control.",
    fix: "Set kms_key_id to a customer managed KMS key.",
    check: (stack) => flagWhere(stack, "aws_db_instance", (db) => db.attributes.storage_encrypted === true && db.attributes.kms_key_id === undefined),
  },
  {
    id: "RDS-AUTO-MINOR-UPGRADE",
    service: "rds",
    severity: "warning",
    reason: "Minor versions carry security fixes; without automatic upgrades they wait for someone to remember.",
    fix: "Set auto_minor_version_upgrade = true.",
    checkov: ["CKV_AWS_226"],
    securityHub: ["RDS.13"],
    check: (stack) => flagWhere(stack, "aws_db_instance", (db) => db.attributes.auto_minor_version_upgrade === false),
  },
  {
    id: "RDS-COPY-TAGS-TO-SNAPSHOT",
    service: "rds",
    severity: "warning",
    reason: "Snapshots without the instance's tags lose their owner and cost allocation.",
    fix: "Set copy_tags_to_snapshot = true.",
    checkov: ["CKV2_AWS_60"],
    securityHub: ["RDS.17"],
    check: (stack) => flagWhere(stack, "aws_db_instance", (db) => db.attributes.copy_tags_to_snapshot !== true),
  },
];

