/** Security groups and their rules (EC2). */
// source: checkov resource/aws SecurityGroupUnrestrictedIngress*/Egress*, trivy-checks checks/cloud/aws/ec2, AWS Security Hub EC2 controls; read 2026-12-06
import { ADMIN_PORTS } from "../../settings/facts/ports";
import type { Rule } from "../types";
import type { Attributes, Resource, StackView } from "../stack-view";
import { attachments, block, flagWhere, fromAnywhere, routesToInternetGateway } from "./helpers";

const INGRESS = ["aws_vpc_security_group_ingress_rule"];
const EGRESS = ["aws_vpc_security_group_egress_rule"];
const LEGACY = "aws_security_group_rule";

/** Every rule of one direction: standalone resources, legacy rule resources and inline blocks, with the resource holding it. */
function rules(stack: StackView, direction: "ingress" | "egress"): Array<{ holder: Resource; rule: Attributes }> {
  return [
    ...stack.all(...(direction === "ingress" ? INGRESS : EGRESS)).map((holder) => ({ holder, rule: holder.attributes })),
    ...stack.all(LEGACY).filter((holder) => holder.attributes.type === direction).map((holder) => ({ holder, rule: holder.attributes })),
    ...stack.all("aws_security_group").flatMap((holder) =>
      [holder.attributes[direction]].flat().filter((r): r is Attributes => r !== null && typeof r === "object").map((rule) => ({ holder, rule })),
    ),
  ];
}

const allPorts = (rule: Attributes) => rule.ip_protocol === "-1" || rule.protocol === "-1" || rule.protocol === "all";
const covers = (rule: Attributes, port: number) =>
  allPorts(rule) || (Number(rule.from_port) <= port && port <= Number(rule.to_port));

/** The security group a rule belongs to. */
const groupOf = (stack: StackView, holder: Resource) =>
  holder.type === "aws_security_group" ? holder : stack.target(holder.attributes.security_group_id);

/** True when nothing outside the VPC can reach any resource in the group. */
function unreachable(stack: StackView, group: Resource): boolean {
  const attached = attachments(stack, group);
  return (
    attached.length > 0 &&
    attached.every((resource) => {
      if (resource.type !== "aws_ecs_service") return false;
      const network = block(resource.attributes.network_configuration);
      if (network?.assign_public_ip !== true) return true;
      const subnets = [network.subnets].flat().map((s) => stack.target(s)).filter((s): s is Resource => s !== undefined);
      return subnets.length > 0 && subnets.every((subnet) => !routesToInternetGateway(stack, subnet));
    })
  );
}

export const SECURITY_GROUP_RULES: Rule[] = [
  {
    id: "SG-DESCRIPTION",
    service: "security-group",
    severity: "warning",
    reason: "A group or rule without a description leaves the next reader guessing why it is open.",
    fix: "Give every security group and every rule a description.",
    checkov: ["CKV_AWS_23"],
    trivy: ["AVD-AWS-0099", "AVD-AWS-0124"],
    check: (stack) =>
      flagWhere(stack, ["aws_security_group", ...INGRESS, ...EGRESS, LEGACY], (r) => typeof r.attributes.description !== "string" || r.attributes.description === ""),
  },
  {
    id: "SG-STANDALONE-RULES",
    service: "security-group",
    severity: "warning",
    reason: "Inline rules and standalone rules on the same group overwrite each other, and inline rules between groups form cycles.",
    fix: "Declare rules as aws_vpc_security_group_ingress_rule / egress_rule resources, not inline blocks.",
    check: (stack) => flagWhere(stack, "aws_security_group", (group) => ["ingress", "egress"].some((key) => [group.attributes[key]].flat().some((r) => r))),
  },
  {
    id: "SG-NO-WORLD-ADMIN-PORTS",
    service: "security-group",
    severity: "error",
    reason: "SSH, RDP or every port open to the internet invites brute force on the hosts behind the group.",
    fix: "Admit 22, 3389 and all-port rules only from a named range or security group.",
    checkov: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_277"],
    trivy: ["AVD-AWS-0107"],
    securityHub: ["EC2.13", "EC2.14", "EC2.19"],
    check: (stack) =>
      rules(stack, "ingress")
        .filter(({ rule }) => fromAnywhere(rule) && (allPorts(rule) || ADMIN_PORTS.some((port) => covers(rule, port))))
        .map(({ holder }) => ({ address: holder.address })),
  },
  {
    id: "SG-NO-WORLD-INGRESS",
    service: "security-group",
    severity: "warning",
    reason: "A port open to 0.0.0.0/0 or ::/0 is on the internet; only a deliberate entry point should be.",
    fix: "Admit the port from a security group (a load balancer's) or a named range instead.",
    checkov: ["CKV_AWS_260"],
    securityHub: ["EC2.18"],
    check: (stack) => rules(stack, "ingress").filter(({ rule }) => fromAnywhere(rule)).map(({ holder }) => ({ address: holder.address })),
  },
  {
    id: "SG-NO-WORLD-EGRESS",
    service: "security-group",
    severity: "warning",
    reason: "Egress to anywhere lets a compromised workload send data to any host.",
    fix: "Reach AWS services through VPC endpoints and allow egress only to their prefix lists or security groups.",
    trivy: ["AVD-AWS-0104"],
    check: (stack) => rules(stack, "egress").filter(({ rule }) => fromAnywhere(rule)).map(({ holder }) => ({ address: holder.address })),
  },
  {
    id: "SG-ATTACHED",
    service: "security-group",
    severity: "warning",
    reason: "A security group attached to nothing is dead weight, or a rule someone believes protects something.",
    fix: "Attach the group to the resource it is for, or remove it.",
    checkov: ["CKV2_AWS_5"],
    check: (stack) => flagWhere(stack, "aws_security_group", (group) => attachments(stack, group).length === 0),
  },
  {
    id: "SG-NO-OPEN-PORT-ON-UNREACHABLE",
    service: "security-group",
    severity: "error",
    reason: "A world-open rule on tasks nobody can reach (no public IP, or no route to an internet gateway) is a hole waiting for a routing change.",
    fix: "Drop the rule, or place the tasks in public subnets with a public IP if the lesson must browse to them.",
    check: (stack) =>
      rules(stack, "ingress")
        .filter(({ holder, rule }) => {
          const group = groupOf(stack, holder);
          return fromAnywhere(rule) && group !== undefined && unreachable(stack, group);
        })
        .map(({ holder }) => ({ address: holder.address })),
  },
];
