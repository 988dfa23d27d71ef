/**
 * Every policy rule on two small fixtures: one that passes and one that fails, asserting exactly which
 * addresses are flagged. Fixtures are in-memory Terraform JSON; container definitions and IAM documents are
 * synthesized through Fn.jsonencode by real provider classes, so the rules are shown to read through it.
 */
import { Fn, TerraformStack, Testing } from "cdktf";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { RULES, ruleById } from "../src/policy";
import { StackView, type Attributes, type StackJson } from "../src/policy/stack-view";
import { flagged, json, type Resources } from "./support/policy-rules";

const ref = (address: string, attribute = "id") => `\${${address}.${attribute}}`;

/** Synthesizes resources built by real provider classes, so documents come out as ${jsonencode(...)}. */
function synthesized(build: (stack: TerraformStack) => void): StackJson {
  const stack = new TerraformStack(Testing.app(), "fixture");
  build(stack);
  return JSON.parse(Testing.synth(stack)) as StackJson;
}

/** Task definitions "good" and "bad" with the given container definitions. */
function tasks(good: object, bad: object): StackJson {
  return synthesized((stack) => {
    for (const [id, container] of [["good", good], ["bad", bad]] as const) {
      new EcsTaskDefinition(stack, id, { family: id, containerDefinitions: Fn.jsonencode([{ name: "app", image: "nginx", ...container }]) });
    }
  });
}
const logging = { logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/app" } } };

/** Role policies "good" and "bad" with one statement each. */
function policies(good: object, bad: object): StackJson {
  return synthesized((stack) => {
    for (const [id, statement] of [["good", good], ["bad", bad]] as const) {
      new IamRolePolicy(stack, id, { role: "app", policy: Fn.jsonencode({ Version: "2012-10-17", Statement: [{ Effect: "Allow", ...statement }] }) });
    }
  });
}
const trust = (principal: unknown) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole" }] });

/** A VPC with an internet gateway, a public subnet (routed to it) and a private subnet. */
const network: Resources = {
  aws_internet_gateway: { igw: {} },
  aws_subnet: { public: { cidr_block: "10.0.0.0/24" }, private: { cidr_block: "10.0.3.0/24" } },
  aws_route_table: { public: {}, private: {} },
  aws_route: { internet: { route_table_id: ref("aws_route_table.public"), destination_cidr_block: "0.0.0.0/0", gateway_id: ref("aws_internet_gateway.igw") } },
  aws_route_table_association: {
    public: { subnet_id: ref("aws_subnet.public"), route_table_id: ref("aws_route_table.public") },
    private: { subnet_id: ref("aws_subnet.private"), route_table_id: ref("aws_route_table.private") },
  },
};
const openRule = (group: string) => ({ security_group_id: ref(`aws_security_group.${group}`), cidr_ipv4: "0.0.0.0/0", ip_protocol: "tcp", from_port: 80, to_port: 80 });
const service = (group: string, subnet: string, publicIp: boolean) => ({
  network_configuration: { subnets: [ref(`aws_subnet.${subnet}`)], security_groups: [ref(`aws_security_group.${group}`)], assign_public_ip: publicIp },
});
const toHttps = { type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } };
const postgres = { engine: "postgres", identifier: "x", storage_encrypted: true };
const bucket = { aws_s3_bucket: { state: { bucket: "state" } } };
const forBucket = (attributes: Attributes) => ({ bucket: ref("aws_s3_bucket.state"), ...attributes });
const sse = (algorithm: string, key?: string) => ({ apply_server_side_encryption_by_default: { sse_algorithm: algorithm, ...(key && { kms_master_key_id: key }) } });

interface Fixture {
  readonly pass: StackJson;
  readonly fail: StackJson;
  readonly flagged: string[];
}

const FIXTURES: Record<string, Fixture> = {
  // vpc
  "VPC-FLOW-LOGS": {
    pass: json({ aws_vpc: { main: {} }, aws_flow_log: { main: { vpc_id: ref("aws_vpc.main") } } }),
    fail: json({ aws_vpc: { main: {}, other: {} }, aws_flow_log: { main: { vpc_id: ref("aws_vpc.main") } } }),
    flagged: ["aws_vpc.other"],
  },
  "VPC-DEFAULT-SG-CLOSED": {
    pass: json({ aws_vpc: { main: {} }, aws_default_security_group: { main: { vpc_id: ref("aws_vpc.main") } } }),
    fail: json({
      aws_vpc: { main: {}, other: {} },
      aws_default_security_group: { main: { vpc_id: ref("aws_vpc.main"), ingress: [{ protocol: "-1", self: true, from_port: 0, to_port: 0 }] } },
    }),
    flagged: ["aws_default_security_group.main", "aws_vpc.other"],
  },
  "VPC-SUBNET-NO-AUTO-PUBLIC-IP": {
    pass: json({ aws_subnet: { a: { map_public_ip_on_launch: false }, b: {} } }),
    fail: json({ aws_subnet: { a: { map_public_ip_on_launch: false }, b: { map_public_ip_on_launch: true } } }),
    flagged: ["aws_subnet.b"],
  },
  "VPC-DNS": {
    pass: json({ aws_vpc: { main: { enable_dns_support: true, enable_dns_hostnames: true } } }),
    fail: json({ aws_vpc: { main: { enable_dns_support: true, enable_dns_hostnames: true }, other: { enable_dns_support: true } } }),
    flagged: ["aws_vpc.other"],
  },
  // security groups
  "SG-DESCRIPTION": {
    pass: json({ aws_security_group: { g: { description: "web" } }, aws_vpc_security_group_ingress_rule: { r: { description: "http" } } }),
    fail: json({
      aws_security_group: { g: { description: "web" }, h: {} },
      aws_vpc_security_group_ingress_rule: { r: { description: "http" }, s: { description: "" } },
    }),
    flagged: ["aws_security_group.h", "aws_vpc_security_group_ingress_rule.s"],
  },
  "SG-STANDALONE-RULES": {
    pass: json({ aws_security_group: { g: {}, h: { ingress: [] } } }),
    fail: json({ aws_security_group: { g: {}, h: { egress: [{ protocol: "tcp", from_port: 443, to_port: 443, cidr_blocks: ["10.0.0.0/8"] }] } } }),
    flagged: ["aws_security_group.h"],
  },
  "SG-NO-WORLD-ADMIN-PORTS": {
    pass: json({
      aws_vpc_security_group_ingress_rule: {
        http: { cidr_ipv4: "0.0.0.0/0", ip_protocol: "tcp", from_port: 80, to_port: 80 },
        ssh: { cidr_ipv4: "10.0.0.0/8", ip_protocol: "tcp", from_port: 22, to_port: 22 },
      },
    }),
    fail: json({
      aws_vpc_security_group_ingress_rule: {
        http: { cidr_ipv4: "0.0.0.0/0", ip_protocol: "tcp", from_port: 80, to_port: 80 },
        ssh: { cidr_ipv4: "0.0.0.0/0", ip_protocol: "tcp", from_port: 22, to_port: 22 },
      },
      aws_security_group_rule: { all: { type: "ingress", ipv6_cidr_blocks: ["::/0"], protocol: "-1", from_port: 0, to_port: 0 } },
      aws_security_group: { rdp: { ingress: [{ cidr_blocks: ["0.0.0.0/0"], protocol: "tcp", from_port: 3000, to_port: 4000 }] } },
    }),
    flagged: ["aws_security_group.rdp", "aws_security_group_rule.all", "aws_vpc_security_group_ingress_rule.ssh"],
  },
  "SG-NO-WORLD-INGRESS": {
    pass: json({ aws_vpc_security_group_ingress_rule: { lb: { referenced_security_group_id: ref("aws_security_group.lb"), ip_protocol: "tcp", from_port: 80, to_port: 80 } } }),
    fail: json({
      aws_vpc_security_group_ingress_rule: {
        lb: { referenced_security_group_id: ref("aws_security_group.lb"), ip_protocol: "tcp", from_port: 80, to_port: 80 },
        v6: { cidr_ipv6: "::/0", ip_protocol: "tcp", from_port: 80, to_port: 80 },
      },
    }),
    flagged: ["aws_vpc_security_group_ingress_rule.v6"],
  },
  "SG-NO-WORLD-EGRESS": {
    pass: json({ aws_vpc_security_group_egress_rule: { vpc: { cidr_ipv4: "10.0.0.0/16", ip_protocol: "tcp", from_port: 443, to_port: 443 } } }),
    fail: json({
      aws_vpc_security_group_egress_rule: {
        vpc: { cidr_ipv4: "10.0.0.0/16", ip_protocol: "tcp", from_port: 443, to_port: 443 },
        world: { cidr_ipv4: "0.0.0.0/0", ip_protocol: "tcp", from_port: 443, to_port: 443 },
      },
    }),
    flagged: ["aws_vpc_security_group_egress_rule.world"],
  },
  "SG-ATTACHED": {
    pass: json({ aws_security_group: { lb: {} }, aws_lb: { main: { security_groups: [ref("aws_security_group.lb")] } } }),
    fail: json({
      aws_security_group: { lb: {}, orphan: {} },
      aws_lb: { main: { security_groups: [ref("aws_security_group.lb")] } },
      aws_vpc_security_group_ingress_rule: { r: openRule("orphan") },
    }),
    flagged: ["aws_security_group.orphan"],
  },
  "SG-NO-OPEN-PORT-ON-UNREACHABLE": {
    pass: json({
      ...network,
      aws_security_group: { tasks: {}, lb: {} },
      aws_ecs_service: { app: service("tasks", "public", true) },
      aws_lb: { main: { security_groups: [ref("aws_security_group.lb")] } },
      aws_vpc_security_group_ingress_rule: { tasks: openRule("tasks"), lb: openRule("lb") },
    }),
    fail: json({
      ...network,
      aws_security_group: { private: {}, stranded: {} },
      aws_ecs_service: { private: service("private", "private", false), stranded: service("stranded", "private", true) },
      aws_vpc_security_group_ingress_rule: { private: openRule("private"), stranded: openRule("stranded") },
    }),
    flagged: ["aws_vpc_security_group_ingress_rule.private", "aws_vpc_security_group_ingress_rule.stranded"],
  },
  // rds
  "RDS-STORAGE-ENCRYPTED": {
    pass: json({ aws_db_instance: { db: { storage_encrypted: true } } }),
    fail: json({ aws_db_instance: { db: { storage_encrypted: true }, plain: {} } }),
    flagged: ["aws_db_instance.plain"],
  },
  "RDS-NOT-PUBLIC": {
    pass: json({ aws_db_instance: { db: { publicly_accessible: false } } }),
    fail: json({ aws_db_instance: { db: { publicly_accessible: false }, open: { publicly_accessible: true } } }),
    flagged: ["aws_db_instance.open"],
  },
  "RDS-IAM-AUTH": {
    pass: json({ aws_db_instance: { db: { engine: "postgres", iam_database_authentication_enabled: true }, sql: { engine: "sqlserver-ex" } } }),
    fail: json({ aws_db_instance: { db: { engine: "postgres" }, sql: { engine: "sqlserver-ex" } } }),
    flagged: ["aws_db_instance.db"],
  },
  "RDS-LOG-EXPORTS": {
    pass: json({ aws_db_instance: { db: { engine: "postgres", enabled_cloudwatch_logs_exports: ["postgresql", "upgrade"] } } }),
    fail: json({ aws_db_instance: { db: { engine: "postgres", enabled_cloudwatch_logs_exports: ["postgresql"] } } }),
    flagged: ["aws_db_instance.db"],
  },
  "RDS-LOG-GROUPS-OWNED": {
    pass: json({
      aws_db_instance: { db: { ...postgres, enabled_cloudwatch_logs_exports: ["postgresql"], depends_on: ["aws_cloudwatch_log_group.pg"] } },
      aws_cloudwatch_log_group: { pg: { name: "/aws/rds/instance/x/postgresql", retention_in_days: 7 } },
    }),
    fail: json({
      aws_db_instance: {
        late: { ...postgres, enabled_cloudwatch_logs_exports: ["postgresql"] },
        missing: { ...postgres, identifier: "y", enabled_cloudwatch_logs_exports: ["upgrade"] },
      },
      aws_cloudwatch_log_group: { pg: { name: "/aws/rds/instance/x/postgresql", retention_in_days: 7 } },
    }),
    flagged: ["aws_db_instance.late", "aws_db_instance.missing"],
  },
  "RDS-MANAGED-PASSWORD": {
    pass: json({ aws_db_instance: { db: { manage_master_user_password: true } } }),
    fail: json({ aws_db_instance: { db: { manage_master_user_password: true }, literal: { password: "hunter22" } } }),
    flagged: ["aws_db_instance.literal"],
  },
  "RDS-PRIVATE-SUBNETS": {
    pass: json({ ...network, aws_db_subnet_group: { db: { subnet_ids: [ref("aws_subnet.private")] } } }),
    fail: json({
      ...network,
      aws_db_subnet_group: { db: { subnet_ids: [ref("aws_subnet.private")] }, mixed: { subnet_ids: [ref("aws_subnet.private"), ref("aws_subnet.public")] } },
    }),
    flagged: ["aws_db_subnet_group.mixed"],
  },
  "RDS-CLIENTS-BY-GROUP": {
    pass: json({
      aws_db_instance: { db: { vpc_security_group_ids: [ref("aws_security_group.db")] } },
      aws_security_group: { db: {}, tasks: {} },
      aws_vpc_security_group_ingress_rule: { tasks: { security_group_id: ref("aws_security_group.db"), referenced_security_group_id: ref("aws_security_group.tasks") } },
    }),
    fail: json({
      aws_db_instance: { db: { vpc_security_group_ids: [ref("aws_security_group.db")] } },
      aws_security_group: { db: {}, tasks: {} },
      aws_vpc_security_group_ingress_rule: {
        tasks: { security_group_id: ref("aws_security_group.db"), referenced_security_group_id: ref("aws_security_group.tasks") },
        world: { security_group_id: ref("aws_security_group.db"), cidr_ipv4: "0.0.0.0/0", ip_protocol: "tcp", from_port: 5432, to_port: 5432 },
        other: openRule("tasks"),
      },
    }),
    flagged: ["aws_vpc_security_group_ingress_rule.world"],
  },
  "RDS-DELETION-PROTECTION": {
    pass: json({ aws_db_instance: { db: { deletion_protection: true } } }),
    fail: json({ aws_db_instance: { db: { deletion_protection: false } } }),
    flagged: ["aws_db_instance.db"],
  },
  "RDS-BACKUP-RETENTION": {
    pass: json({ aws_db_instance: { db: { backup_retention_period: 7 } } }),
    fail: json({ aws_db_instance: { db: { backup_retention_period: 7 }, short: { backup_retention_period: 1 } } }),
    flagged: ["aws_db_instance.short"],
  },
  "RDS-MULTI-AZ": {
    pass: json({ aws_db_instance: { db: { multi_az: true } } }),
    fail: json({ aws_db_instance: { db: { multi_az: false } } }),
    flagged: ["aws_db_instance.db"],
  },
  "RDS-ENHANCED-MONITORING": {
    pass: json({ aws_db_instance: { db: { monitoring_interval: 60 } } }),
    fail: json({ aws_db_instance: { db: { monitoring_interval: 0 } } }),
    flagged: ["aws_db_instance.db"],
  },
  "RDS-PERFORMANCE-INSIGHTS": {
    pass: json({ aws_db_instance: { db: { performance_insights_enabled: true } } }),
    fail: json({ aws_db_instance: { db: {} } }),
    flagged: ["aws_db_instance.db"],
  },
  "RDS-CUSTOMER-KEY": {
    pass: json({ aws_db_instance: { db: { storage_encrypted: true, kms_key_id: ref("aws_kms_key.db", "arn") } } }),
    fail: json({ aws_db_instance: { db: { storage_encrypted: true } } }),
    flagged: ["aws_db_instance.db"],
  },
  "RDS-AUTO-MINOR-UPGRADE": {
    pass: json({ aws_db_instance: { db: { auto_minor_version_upgrade: true } } }),
    fail: json({ aws_db_instance: { db: { auto_minor_version_upgrade: false } } }),
    flagged: ["aws_db_instance.db"],
  },
  "RDS-COPY-TAGS-TO-SNAPSHOT": {
    pass: json({ aws_db_instance: { db: { copy_tags_to_snapshot: true } } }),
    fail: json({ aws_db_instance: { db: {} } }),
    flagged: ["aws_db_instance.db"],
  },
  // ecr
  "ECR-SCAN-ON-PUSH": {
    pass: json({ aws_ecr_repository: { app: { image_scanning_configuration: { scan_on_push: true } } } }),
    fail: json({ aws_ecr_repository: { app: { image_scanning_configuration: [{ scan_on_push: false }] } } }),
    flagged: ["aws_ecr_repository.app"],
  },
  "ECR-IMMUTABLE-TAGS": {
    pass: json({ aws_ecr_repository: { app: { image_tag_mutability: "IMMUTABLE" } } }),
    fail: json({ aws_ecr_repository: { app: { image_tag_mutability: "MUTABLE" } } }),
    flagged: ["aws_ecr_repository.app"],
  },
  "ECR-CUSTOMER-KEY": {
    pass: json({ aws_ecr_repository: { app: { encryption_configuration: [{ encryption_type: "KMS", kms_key: ref("aws_kms_key.ecr", "arn") }] } } }),
    fail: json({
      aws_ecr_repository: {
        app: { encryption_configuration: [{ encryption_type: "AES256" }] },
        // KMS without a key of its own: the AWS managed key aws/ecr
        managed: { encryption_configuration: [{ encryption_type: "KMS" }] },
      },
    }),
    flagged: ["aws_ecr_repository.app", "aws_ecr_repository.managed"],
  },
  "ECR-LIFECYCLE-POLICY": {
    pass: json({ aws_ecr_repository: { app: {} }, aws_ecr_lifecycle_policy: { app: { repository: ref("aws_ecr_repository.app", "name") } } }),
    fail: json({ aws_ecr_repository: { app: {}, other: {} }, aws_ecr_lifecycle_policy: { app: { repository: ref("aws_ecr_repository.app", "name") } } }),
    flagged: ["aws_ecr_repository.other"],
  },
  // ecs
  "ECS-NO-PLAIN-SECRETS": {
    pass: tasks({ environment: [{ name: "DB_HOST", value: "db" }], secrets: [{ name: "DB_PASSWORD", valueFrom: "arn:secret" }] }, { environment: [{ name: "DB_USER", value: "postgres" }] }),
    fail: tasks({ environment: [{ name: "DB_HOST", value: "db" }] }, { environment: [{ name: "DB_PASSWORD", value: "hunter22" }] }),
    flagged: ["aws_ecs_task_definition.bad"],
  },
  "ECS-NOT-PRIVILEGED": {
    pass: tasks({ privileged: false }, {}),
    fail: tasks({}, { privileged: true }),
    flagged: ["aws_ecs_task_definition.bad"],
  },
  "ECS-LOGGING": {
    pass: tasks(logging, logging),
    fail: tasks(logging, {}),
    flagged: ["aws_ecs_task_definition.bad"],
  },
  "ECS-READONLY-ROOT": {
    pass: tasks({ readonlyRootFilesystem: true }, { readonlyRootFilesystem: true }),
    fail: tasks({ readonlyRootFilesystem: true }, { readonlyRootFilesystem: false }),
    flagged: ["aws_ecs_task_definition.bad"],
  },
  "ECS-ROLES-DISTINCT": {
    pass: json({ aws_ecs_task_definition: { app: { execution_role_arn: ref("aws_iam_role.exec", "arn"), task_role_arn: ref("aws_iam_role.task", "arn") } } }),
    fail: json({ aws_ecs_task_definition: { app: { execution_role_arn: ref("aws_iam_role.exec", "arn"), task_role_arn: ref("aws_iam_role.exec", "arn") } } }),
    flagged: ["aws_ecs_task_definition.app"],
  },
  "ECS-NO-HOST-NAMESPACES": {
    pass: json({ aws_ecs_task_definition: { app: { network_mode: "awsvpc" } } }),
    fail: json({ aws_ecs_task_definition: { app: { network_mode: "awsvpc" }, host: { network_mode: "awsvpc", pid_mode: "host" }, hostNetwork: { network_mode: "host" } } }),
    flagged: ["aws_ecs_task_definition.host", "aws_ecs_task_definition.hostNetwork"],
  },
  "ECS-NO-PUBLIC-IP": {
    pass: json({ aws_ecs_service: { app: service("tasks", "private", false) } }),
    fail: json({ aws_ecs_service: { app: service("tasks", "public", true) } }),
    flagged: ["aws_ecs_service.app"],
  },
  "ECS-FARGATE-LATEST": {
    pass: json({ aws_ecs_service: { app: {}, latest: { platform_version: "LATEST" } } }),
    fail: json({ aws_ecs_service: { app: {}, old: { platform_version: "1.3.0" } } }),
    flagged: ["aws_ecs_service.old"],
  },
  "ECS-CIRCUIT-BREAKER": {
    pass: json({ aws_ecs_service: { app: { deployment_circuit_breaker: { enable: true, rollback: true } } } }),
    fail: json({ aws_ecs_service: { app: { deployment_circuit_breaker: { enable: true, rollback: false } } } }),
    flagged: ["aws_ecs_service.app"],
  },
  "ECS-CONTAINER-INSIGHTS": {
    pass: json({ aws_ecs_cluster: { main: { setting: [{ name: "containerInsights", value: "enabled" }] } } }),
    fail: json({ aws_ecs_cluster: { main: { setting: [{ name: "containerInsights", value: "disabled" }] } } }),
    flagged: ["aws_ecs_cluster.main"],
  },
  // ec2
  "EC2-IMDSV2": {
    pass: json({
      aws_launch_template: { ecs: { metadata_options: { http_tokens: "required", http_put_response_hop_limit: 1 } } },
      // no metadata endpoint at all: nothing for IMDSv1 to hand out
      aws_launch_configuration: { off: { metadata_options: { http_endpoint: "disabled" } } },
      aws_instance: {
        own: { ami: "ami-1", metadata_options: { http_tokens: "required" } },
        // the template's options, stated again on the instance
        both: { launch_template: { id: ref("aws_launch_template.ecs") }, metadata_options: { http_tokens: "required" } },
      },
    }),
    fail: json({
      aws_launch_template: { none: {}, optional: { metadata_options: { http_tokens: "optional" } }, ecs: { metadata_options: { http_tokens: "required" } } },
      aws_launch_configuration: { legacy: { metadata_options: { http_endpoint: "enabled" } } },
      aws_instance: {
        bare: { ami: "ami-1" },
        overrides: { launch_template: { id: ref("aws_launch_template.none") }, metadata_options: { http_tokens: "optional" } },
        // checkov and trivy do not follow the template: neither does the rule
        fromTemplate: { launch_template: { id: ref("aws_launch_template.ecs") } },
      },
    }),
    flagged: [
      "aws_instance.bare",
      "aws_instance.fromTemplate",
      "aws_instance.overrides",
      "aws_launch_configuration.legacy",
      "aws_launch_template.none",
      "aws_launch_template.optional",
    ],
  },
  "EC2-EBS-ENCRYPTED": {
    pass: json({
      aws_launch_template: { ecs: { block_device_mappings: [{ device_name: "/dev/xvda", ebs: { encrypted: "true", volume_type: "gp3" } }] } },
      aws_instance: {
        own: { ami: "ami-1", root_block_device: { encrypted: true }, ebs_block_device: [{ device_name: "/dev/sdf", encrypted: true }] },
        both: { launch_template: { id: ref("aws_launch_template.ecs") }, root_block_device: { encrypted: true } },
      },
    }),
    fail: json({
      aws_launch_template: {
        undeclared: {},
        plain: { block_device_mappings: [{ device_name: "/dev/xvda", ebs: { volume_size: 30 } }] },
        ecs: { block_device_mappings: [{ device_name: "/dev/xvda", ebs: { encrypted: "true", volume_type: "gp3" } }] },
      },
      aws_instance: {
        bare: { ami: "ami-1" },
        extraVolume: { launch_template: { id: ref("aws_launch_template.plain") }, ebs_block_device: [{ device_name: "/dev/sdf", encrypted: false }] },
        // checkov and trivy do not follow the template: neither does the rule
        fromTemplate: { launch_template: { id: ref("aws_launch_template.ecs") } },
      },
    }),
    flagged: ["aws_instance.bare", "aws_instance.extraVolume", "aws_instance.fromTemplate", "aws_launch_template.plain", "aws_launch_template.undeclared"],
  },
  "EC2-NO-PUBLIC-IP": {
    pass: json({
      ...network,
      aws_launch_template: { private: { network_interfaces: [{ device_index: 0, associate_public_ip_address: "false" }] }, plain: {} },
      aws_instance: {
        private: { subnet_id: ref("aws_subnet.private") },
        // false on the instance, or on its template's interface, wins over its subnet's default
        explicit: { subnet_id: ref("aws_subnet.mapping"), associate_public_ip_address: false },
        fromTemplate: { subnet_id: ref("aws_subnet.mapping"), launch_template: { id: ref("aws_launch_template.private") } },
      },
      aws_subnet: { ...network.aws_subnet, mapping: { map_public_ip_on_launch: true } },
    }),
    fail: json({
      ...network,
      // cdktf writes the template's boolean as the string "true"
      aws_launch_template: { ecs: { network_interfaces: [{ device_index: 0, associate_public_ip_address: "true" }] } },
      aws_launch_configuration: { legacy: { associate_public_ip_address: true } },
      aws_instance: {
        jump: { subnet_id: ref("aws_subnet.public"), associate_public_ip_address: true },
        fromSubnet: { subnet_id: ref("aws_subnet.mapping") },
        fromTemplate: { launch_template: { id: ref("aws_launch_template.ecs") } },
        elastic: { subnet_id: ref("aws_subnet.private") },
      },
      aws_subnet: { ...network.aws_subnet, mapping: { map_public_ip_on_launch: true } },
      aws_eip: { elastic: { instance: ref("aws_instance.elastic") } },
    }),
    flagged: [
      "aws_instance.elastic",
      "aws_instance.fromSubnet",
      "aws_instance.fromTemplate",
      "aws_instance.jump",
      "aws_launch_configuration.legacy",
      "aws_launch_template.ecs",
    ],
  },
  // iam
  "IAM-NO-ADMIN": {
    pass: policies({ Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" }, { Action: "*", Resource: "arn:aws:s3:::b" }),
    fail: policies({ Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" }, { Action: "*", Resource: "*" }),
    flagged: ["aws_iam_role_policy.bad"],
  },
  "IAM-NO-WILDCARD-ACTIONS": {
    pass: policies({ Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" }, { Action: "s3:PutObject", Resource: "arn:aws:s3:::b/*" }),
    fail: policies({ Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" }, { Action: ["s3:*"], Resource: "arn:aws:s3:::b/*" }),
    flagged: ["aws_iam_role_policy.bad"],
  },
  "IAM-SCOPED-RESOURCES": {
    pass: policies({ Action: ["ecr:GetAuthorizationToken"], Resource: "*" }, { Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" }),
    fail: policies({ Action: ["ecr:GetAuthorizationToken"], Resource: "*" }, { Action: ["s3:GetObject"], Resource: "*" }),
    flagged: ["aws_iam_role_policy.bad"],
  },
  "IAM-NO-BROAD-MANAGED-POLICY": {
    pass: json({
      aws_iam_role_policy_attachment: {
        ssm: { role: "host", policy_arn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" },
        ecs: { role: "instances", policy_arn: "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role" },
        // a customer managed policy of that name: its document is what the other IAM rules judge
        own: { role: "app", policy_arn: "arn:aws:iam::111122223333:policy/AdministratorAccess" },
      },
      aws_iam_role: { task: { managed_policy_arns: ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"] } },
    }),
    fail: json({
      aws_iam_role_policy_attachment: {
        ssm: { role: "host", policy_arn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" },
        admin: { role: "app", policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" },
      },
      aws_iam_user_policy_attachment: { power: { user: "dev", policy_arn: "arn:aws:iam::aws:policy/PowerUserAccess" } },
      aws_iam_group_policy_attachment: { iam: { group: "ops", policy_arn: "arn:aws-us-gov:iam::aws:policy/IAMFullAccess" } },
      aws_iam_role: { task: { managed_policy_arns: ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore", "arn:aws:iam::aws:policy/AmazonS3FullAccess"] } },
      aws_iam_role_policy_attachments_exclusive: { app: { role_name: "app", policy_arns: ["arn:aws:iam::aws:policy/AdministratorAccess"] } },
    }),
    flagged: [
      "aws_iam_group_policy_attachment.iam",
      "aws_iam_role.task",
      "aws_iam_role_policy_attachment.admin",
      "aws_iam_role_policy_attachments_exclusive.app",
      "aws_iam_user_policy_attachment.power",
    ],
  },
  "IAM-NO-PASSROLE-ANY": {
    pass: policies({ Action: "iam:PassRole", Resource: "arn:aws:iam::1:role/app" }, { Action: "iam:GetRole", Resource: "arn:aws:iam::1:role/app" }),
    fail: policies({ Action: "iam:PassRole", Resource: "arn:aws:iam::1:role/app" }, { Action: "iam:PassRole", Resource: "*" }),
    flagged: ["aws_iam_role_policy.bad"],
  },
  "IAM-TRUST-NAMED-PRINCIPALS": {
    pass: synthesized((stack) => {
      new IamRole(stack, "tasks", { assumeRolePolicy: Fn.jsonencode(trust({ Service: "ecs-tasks.amazonaws.com" })) });
    }),
    fail: synthesized((stack) => {
      new IamRole(stack, "tasks", { assumeRolePolicy: Fn.jsonencode(trust({ Service: "ecs-tasks.amazonaws.com" })) });
      new IamRole(stack, "anyone", { assumeRolePolicy: Fn.jsonencode(trust("*")) });
      new IamRole(stack, "any-account", { assumeRolePolicy: Fn.jsonencode(trust({ AWS: "*" })) });
    }),
    flagged: ["aws_iam_role.any-account", "aws_iam_role.anyone"],
  },
  // logs
  "LOGS-RETENTION-SET": {
    pass: json({ aws_cloudwatch_log_group: { app: { retention_in_days: 7 } } }),
    fail: json({ aws_cloudwatch_log_group: { app: { retention_in_days: 7 }, forever: {}, zero: { retention_in_days: 0 } } }),
    flagged: ["aws_cloudwatch_log_group.forever", "aws_cloudwatch_log_group.zero"],
  },
  "LOGS-RETENTION-YEAR": {
    pass: json({ aws_cloudwatch_log_group: { app: { retention_in_days: 365 } } }),
    fail: json({ aws_cloudwatch_log_group: { app: { retention_in_days: 365 }, week: { retention_in_days: 7 } } }),
    flagged: ["aws_cloudwatch_log_group.week"],
  },
  "LOGS-CUSTOMER-KEY": {
    pass: json({ aws_cloudwatch_log_group: { app: { kms_key_id: ref("aws_kms_key.logs", "arn") } } }),
    fail: json({ aws_cloudwatch_log_group: { app: {} } }),
    flagged: ["aws_cloudwatch_log_group.app"],
  },
  // elb
  "ELB-HTTPS": {
    pass: json({
      aws_lb_listener: { https: { protocol: "HTTPS", default_action: [{ type: "forward" }] }, redirect: { protocol: "HTTP", default_action: [toHttps] } },
      aws_lb_listener_rule: { api: { listener_arn: ref("aws_lb_listener.https", "arn"), action: [{ type: "forward" }] } },
    }),
    fail: json({
      aws_lb_listener: {
        https: { protocol: "HTTPS", default_action: [{ type: "forward" }] },
        http: { protocol: "HTTP", default_action: [{ type: "forward" }] },
        // HTTP when no protocol is given
        unset: { port: 8080, default_action: [{ type: "fixed-response" }] },
        elsewhere: { protocol: "HTTP", default_action: [{ type: "redirect", redirect: { host: "example.com", protocol: "HTTP" } }] },
        ruled: { protocol: "HTTP", default_action: [toHttps] },
      },
      aws_lb_listener_rule: { api: { listener_arn: ref("aws_lb_listener.ruled", "arn"), action: [{ type: "forward" }] } },
    }),
    flagged: ["aws_lb_listener.elsewhere", "aws_lb_listener.http", "aws_lb_listener.ruled", "aws_lb_listener.unset"],
  },
  "ELB-HTTP-REDIRECT": {
    pass: json({
      aws_lb: { alb: {}, idle: {} },
      aws_lb_listener: {
        https: { load_balancer_arn: ref("aws_lb.alb", "arn"), protocol: "HTTPS", default_action: [{ type: "forward" }] },
        http: { load_balancer_arn: ref("aws_lb.alb", "arn"), protocol: "HTTP", default_action: [toHttps] },
      },
    }),
    fail: json({
      aws_lb: { alb: {}, plain: {} },
      aws_lb_listener: {
        https: { load_balancer_arn: ref("aws_lb.alb", "arn"), protocol: "HTTPS", default_action: [{ type: "forward" }] },
        http: { load_balancer_arn: ref("aws_lb.alb", "arn"), protocol: "HTTP", default_action: [toHttps] },
        plain: { load_balancer_arn: ref("aws_lb.plain", "arn"), protocol: "HTTP", default_action: [{ type: "forward" }] },
      },
    }),
    flagged: ["aws_lb.plain"],
  },
  "ELB-TLS-POLICY": {
    pass: json({
      aws_lb_listener: {
        https: { protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06" },
        tls: { protocol: "TLS", ssl_policy: "ELBSecurityPolicy-TLS-1-2-Ext-2018-06" },
        http: { protocol: "HTTP", default_action: [toHttps] },
      },
    }),
    fail: json({
      aws_lb_listener: {
        https: { protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06" },
        // the API's default, ELBSecurityPolicy-2016-08, accepts TLS 1.0
        unset: { protocol: "HTTPS" },
        legacy: { protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-2016-08" },
        forwardSecret: { protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-FS-2018-06" },
        tls11: { protocol: "TLS", ssl_policy: "ELBSecurityPolicy-TLS13-1-1-2021-06" },
      },
    }),
    flagged: ["aws_lb_listener.forwardSecret", "aws_lb_listener.legacy", "aws_lb_listener.tls11", "aws_lb_listener.unset"],
  },
  "ELB-TLS-POLICY-RECOMMENDED": {
    pass: json({
      aws_lb_listener: {
        https: { protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" },
        tls13: { protocol: "TLS", ssl_policy: "ELBSecurityPolicy-TLS13-1-3-2021-06" },
        http: { protocol: "HTTP", default_action: [toHttps] },
      },
    }),
    fail: json({
      aws_lb_listener: {
        https: { protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" },
        lesson: { protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06" },
        unset: { protocol: "HTTPS" },
      },
    }),
    flagged: ["aws_lb_listener.lesson", "aws_lb_listener.unset"],
  },
  "ELB-DROP-INVALID-HEADERS": {
    pass: json({ aws_lb: { alb: { drop_invalid_header_fields: true }, nlb: { load_balancer_type: "network" } } }),
    fail: json({ aws_lb: { alb: {}, nlb: { load_balancer_type: "network" } } }),
    flagged: ["aws_lb.alb"],
  },
  "ELB-DESYNC-MITIGATION": {
    pass: json({ aws_lb: { alb: {}, strict: { desync_mitigation_mode: "strictest" } } }),
    fail: json({ aws_lb: { alb: { desync_mitigation_mode: "monitor" } } }),
    flagged: ["aws_lb.alb"],
  },
  "ELB-MULTI-AZ": {
    pass: json({ aws_lb: { alb: { subnets: [ref("aws_subnet.a"), ref("aws_subnet.b")] } } }),
    fail: json({ aws_lb: { alb: { subnets: [ref("aws_subnet.a")] } } }),
    flagged: ["aws_lb.alb"],
  },
  "ELB-TARGET-HEALTH-CHECK": {
    pass: json({ aws_lb_target_group: { app: { protocol: "HTTP", health_check: { enabled: true, path: "/" } }, tcp: { protocol: "TCP", health_check: { enabled: true } } } }),
    fail: json({
      aws_lb_target_group: {
        app: { protocol: "HTTP", health_check: { enabled: true, path: "/" } },
        off: { health_check: [{ enabled: false }] },
        none: {},
        pathless: { protocol: "HTTP", health_check: { enabled: true, matcher: "200" } },
      },
    }),
    flagged: ["aws_lb_target_group.none", "aws_lb_target_group.off", "aws_lb_target_group.pathless"],
  },
  "ELB-INTERNAL": {
    pass: json({ aws_lb: { alb: { internal: true } } }),
    fail: json({ aws_lb: { alb: { internal: false } } }),
    flagged: ["aws_lb.alb"],
  },
  "ELB-WAF": {
    pass: json({
      aws_lb: { alb: { internal: false }, nlb: { load_balancer_type: "network" } },
      aws_wafv2_web_acl_association: { alb: { resource_arn: ref("aws_lb.alb", "arn") } },
    }),
    fail: json({ aws_lb: { alb: { internal: false }, inside: { internal: true } } }),
    flagged: ["aws_lb.alb"],
  },
  "ELB-ACCESS-LOGS": {
    pass: json({ aws_lb: { alb: { access_logs: { enabled: true, bucket: "logs" } } } }),
    fail: json({ aws_lb: { alb: {} } }),
    flagged: ["aws_lb.alb"],
  },
  "ELB-DELETION-PROTECTION": {
    pass: json({ aws_lb: { alb: { enable_deletion_protection: true } } }),
    fail: json({ aws_lb: { alb: {} } }),
    flagged: ["aws_lb.alb"],
  },
  "ELB-TARGET-TLS": {
    pass: json({ aws_lb_target_group: { app: { protocol: "HTTPS" } } }),
    fail: json({ aws_lb_target_group: { app: { protocol: "HTTP" } } }),
    flagged: ["aws_lb_target_group.app"],
  },
  // autoscaling
  "SCALING-CAPACITY-RANGE": {
    pass: json({ aws_appautoscaling_target: { app: { min_capacity: 1, max_capacity: 10 } } }),
    fail: json({ aws_appautoscaling_target: { app: { min_capacity: 1, max_capacity: 10 }, upside: { min_capacity: 5, max_capacity: 2 }, none: { min_capacity: 0, max_capacity: 0 } } }),
    flagged: ["aws_appautoscaling_target.none", "aws_appautoscaling_target.upside"],
  },
  "SCALING-DESIRED-COUNT-IGNORED": {
    pass: json({
      aws_ecs_service: { app: { lifecycle: { ignore_changes: ["desired_count"] } }, fixed: {} },
      aws_appautoscaling_target: { app: { resource_id: `service/\${aws_ecs_cluster.main.name}/${ref("aws_ecs_service.app", "name")}` } },
    }),
    fail: json({
      aws_ecs_service: { app: {}, fixed: {} },
      aws_appautoscaling_target: { app: { resource_id: `service/\${aws_ecs_cluster.main.name}/${ref("aws_ecs_service.app", "name")}` } },
    }),
    flagged: ["aws_ecs_service.app"],
  },
  "SCALING-POLICY-ON-TARGET": {
    pass: json({ aws_appautoscaling_target: { app: {} }, aws_appautoscaling_policy: { app: { resource_id: ref("aws_appautoscaling_target.app", "resource_id") } } }),
    fail: json({ aws_appautoscaling_target: { app: {} }, aws_appautoscaling_policy: { app: { resource_id: "service/main/app" } } }),
    flagged: ["aws_appautoscaling_policy.app"],
  },
  // state
  "STATE-BACKEND-ENCRYPTED": {
    pass: json({}, { s3: { bucket: "state", key: "k", encrypt: true } }),
    fail: json({}, { s3: { bucket: "state", key: "k", encrypt: false } }),
    flagged: ["terraform.backend.s3"],
  },
  "STATE-BACKEND-LOCKED": {
    pass: json({}, { s3: { bucket: "state", key: "k", dynamodb_table: "locks" } }),
    fail: json({}, { s3: { bucket: "state", key: "k" } }),
    flagged: ["terraform.backend.s3"],
  },
  "STATE-BUCKET-VERSIONING": {
    pass: json({ ...bucket, aws_s3_bucket_versioning: { state: forBucket({ versioning_configuration: { status: "Enabled" } }) } }),
    fail: json({ ...bucket, aws_s3_bucket_versioning: { state: forBucket({ versioning_configuration: { status: "Suspended" } }) } }),
    flagged: ["aws_s3_bucket.state"],
  },
  "STATE-BUCKET-PUBLIC-ACCESS-BLOCK": {
    pass: json({
      ...bucket,
      aws_s3_bucket_public_access_block: { state: forBucket({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }) },
    }),
    fail: json({ ...bucket, aws_s3_bucket_public_access_block: { state: forBucket({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true }) } }),
    flagged: ["aws_s3_bucket.state"],
  },
  "STATE-BUCKET-ENCRYPTION": {
    pass: json({ ...bucket, aws_s3_bucket_server_side_encryption_configuration: { state: forBucket({ rule: [sse("AES256")] }) } }),
    fail: json({
      aws_s3_bucket: { state: { bucket: "state" }, other: { bucket: "other" } },
      aws_s3_bucket_server_side_encryption_configuration: { other: { bucket: ref("aws_s3_bucket.other"), rule: [sse("aws:kms:rsa")] } },
    }),
    flagged: ["aws_s3_bucket.other", "aws_s3_bucket.state"],
  },
  "STATE-BUCKET-CUSTOMER-KEY": {
    pass: json({
      aws_s3_bucket: { state: { bucket: "state" }, logs: { bucket: "logs" } },
      aws_s3_bucket_server_side_encryption_configuration: { state: forBucket({ rule: [sse("aws:kms", ref("aws_kms_key.state", "arn"))] }) },
      // a log bucket takes SSE-S3 only
      aws_s3_bucket_logging: { state: forBucket({ target_bucket: ref("aws_s3_bucket.logs"), target_prefix: "state/" }) },
    }),
    fail: json({
      aws_s3_bucket: { state: { bucket: "state" }, managed: { bucket: "managed" } },
      aws_s3_bucket_server_side_encryption_configuration: {
        state: forBucket({ rule: [sse("AES256")] }),
        managed: { bucket: ref("aws_s3_bucket.managed"), rule: [sse("aws:kms")] },
      },
    }),
    flagged: ["aws_s3_bucket.managed", "aws_s3_bucket.state"],
  },
  "STATE-BUCKET-ACCESS-LOGS": {
    pass: json({
      aws_s3_bucket: { state: { bucket: "state" }, logs: { bucket: "logs" } },
      aws_s3_bucket_logging: { state: forBucket({ target_bucket: ref("aws_s3_bucket.logs"), target_prefix: "state/" }) },
    }),
    fail: json({ aws_s3_bucket: { state: { bucket: "state" }, logs: { bucket: "logs" } }, aws_s3_bucket_logging: {} }),
    flagged: ["aws_s3_bucket.logs", "aws_s3_bucket.state"],
  },
  "STATE-BUCKET-DATA-EVENTS": {
    pass: json({
      ...bucket,
      aws_cloudtrail: { audit: { event_selector: [{ data_resource: [{ type: "AWS::S3::Object", values: [`${ref("aws_s3_bucket.state", "arn")}/`] }] }] } },
    }),
    fail: json({
      aws_s3_bucket: { state: { bucket: "state" }, other: { bucket: "other" } },
      aws_cloudtrail: {
        audit: { event_selector: [{ read_write_type: "WriteOnly", data_resource: [{ type: "AWS::S3::Object", values: [`${ref("aws_s3_bucket.state", "arn")}/`] }] }] },
      },
    }),
    flagged: ["aws_s3_bucket.other", "aws_s3_bucket.state"],
  },
  "STATE-BUCKET-REPLICATION": {
    pass: json({ ...bucket, aws_s3_bucket_replication_configuration: { state: forBucket({ role: "r", rule: [{ id: "all", status: "Enabled" }] }) } }),
    fail: json({ ...bucket, aws_s3_bucket_replication_configuration: { state: forBucket({ role: "r", rule: [{ id: "all", status: "Disabled" }] }) } }),
    flagged: ["aws_s3_bucket.state"],
  },
  "STATE-BUCKET-EVENT-NOTIFICATIONS": {
    pass: json({ ...bucket, aws_s3_bucket_notification: { state: forBucket({ eventbridge: true }) } }),
    fail: json({ aws_s3_bucket: { state: { bucket: "state" }, other: { bucket: "other" } }, aws_s3_bucket_notification: { state: forBucket({ eventbridge: true }) } }),
    flagged: ["aws_s3_bucket.other"],
  },
  "STATE-LOCK-TABLE-RECOVERY": {
    pass: json({ aws_dynamodb_table: { locks: { point_in_time_recovery: { enabled: true } } } }),
    fail: json({ aws_dynamodb_table: { locks: { hash_key: "LockID" } } }),
    flagged: ["aws_dynamodb_table.locks"],
  },
  "STATE-LOCK-TABLE-CUSTOMER-KEY": {
    pass: json({ aws_dynamodb_table: { locks: { server_side_encryption: { enabled: true, kms_key_arn: ref("aws_kms_key.locks", "arn") } } } }),
    fail: json({
      aws_dynamodb_table: {
        locks: { hash_key: "LockID" },
        managed: { server_side_encryption: { enabled: true } },
        alias: { server_side_encryption: { enabled: true, kms_key_arn: "alias/aws/dynamodb" } },
      },
    }),
    flagged: ["aws_dynamodb_table.alias", "aws_dynamodb_table.locks", "aws_dynamodb_table.managed"],
  },
};

test("every rule has a fixture, and every fixture a rule", () => {
  expect(Object.keys(FIXTURES).sort()).toEqual(RULES.map((rule) => rule.id).sort());
});

describe.each(Object.entries(FIXTURES))("%s", (ruleId, fixture) => {
  test("flags nothing on the passing fixture", () => {
    expect(flagged(ruleId, fixture.pass)).toEqual([]);
  });

  test("flags exactly the broken resources of the failing fixture", () => {
    expect(flagged(ruleId, fixture.fail)).toEqual([...fixture.flagged].sort());
  });
});

describe("the rule catalogue", () => {
  test("has at least 40 rules with unique ids, each with a one-line reason and a fix", () => {
    expect(RULES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const rule of RULES) {
      expect(rule.reason).toMatch(/^[^\n]+\.$/);
      expect(rule.fix).toMatch(/^[^\n]+\.$/);
    }
  });

  test("other tools' ids have their tools' shapes", () => {
    for (const rule of RULES) {
      for (const id of rule.checkov ?? []) expect(id).toMatch(/^CKV2?_AWS_\d+$/);
      for (const id of rule.trivy ?? []) expect(id).toMatch(/^AVD-AWS-\d{4}$/);
      for (const id of rule.securityHub ?? []) expect(id).toMatch(/^[A-Za-z0-9]+\.\d+$/);
    }
  });

  test("the container check reads the secret's name from the decoded jsonencode document", () => {
    // GIVEN a task definition whose password sits in plain environment
    const fixture = FIXTURES["ECS-NO-PLAIN-SECRETS"].fail;
    // THEN the finding names the container and the variable
    const [flag] = (ruleById("ECS-NO-PLAIN-SECRETS")?.check(new StackView(fixture)) ?? []);
    expect(flag).toEqual({ address: "aws_ecs_task_definition.bad", detail: "container app: environment DB_PASSWORD" });
    expect(String(fixture.resource?.aws_ecs_task_definition?.bad.container_definitions)).toMatch(/^\$\{jsonencode\(/);
  });
});
