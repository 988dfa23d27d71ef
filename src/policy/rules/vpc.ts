/** VPC, subnets and routes. */
// source: checkov graph_checks/aws (CKV2_AWS_11, CKV2_AWS_12) and resource/aws, trivy-checks checks/cloud/aws/ec2, AWS Security Hub EC2 controls; read 2026-11-22
import type { Rule } from "../types";
import { flagWhere } from "./helpers";

export const VPC_RULES: Rule[] = [
  {
    id: "VPC-FLOW-LOGS",
    service: "vpc",
    severity: "warning",
    reason: "Without flow logs, rejected and accepted traffic of the VPC leaves no trace to investigate.",
    fix: "Add an aws_flow_log for the VPC into a log group or bucket.",
    checkov: ["CKV2_AWS_11"],
    trivy: ["AVD-AWS-0178"],
    securityHub: ["EC2.6"],
    check: (stack) => flagWhere(stack, "aws_vpc", (vpc) => stack.referrers(vpc, "aws_flow_log").length === 0),
  },
  {
    id: "VPC-DEFAULT-SG-CLOSED",
    service: "vpc",
    severity: "error",
    reason: "The default security group admits all traffic between its members; anything placed in it by mistake is open.",
    fix: "Manage the VPC's aws_default_security_group with no ingress and no egress rules.",
    checkov: ["CKV2_AWS_12"],
    trivy: ["AVD-AWS-0173"],
    securityHub: ["EC2.2"],
    check: (stack) => [
      ...flagWhere(stack, "aws_vpc", (vpc) => (stack.referrers(vpc, "aws_default_security_group").length === 0 ? "its default security group is not managed" : false)),
      ...flagWhere(stack, "aws_default_security_group", (group) => [group.attributes.ingress, group.attributes.egress].some((rules) => Array.isArray(rules) && rules.length > 0)),
    ],
  },
  {
    id: "VPC-SUBNET-NO-AUTO-PUBLIC-IP",
    service: "vpc",
    severity: "warning",
    reason: "A subnet that hands out public IPs by default exposes every instance launched into it.",
    fix: "Set map_public_ip_on_launch = false and give public IPs only where a resource asks for one.",
    checkov: ["CKV_AWS_130"],
    trivy: ["AVD-AWS-0164"],
    securityHub: ["EC2.15"],
    check: (stack) => flagWhere(stack, "aws_subnet", (subnet) => subnet.attributes.map_public_ip_on_launch === true),
  },
  {
    id: "VPC-DNS",
    service: "vpc",
    severity: "warning",
    reason: "Without DNS support and host names, the RDS endpoint and AWS service names do not resolve inside the VPC.",
    fix: "Set enable_dns_support and enable_dns_hostnames to true on the VPC.",
    check: (stack) =>
      flagWhere(stack, "aws_vpc", (vpc) => vpc.attributes.enable_dns_support === false || vpc.attributes.enable_dns_hostnames !== true),
  },
];
