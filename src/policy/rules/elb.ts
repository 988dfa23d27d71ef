/** Elastic Load Balancing: the load balancer, its listeners and target groups. */
// source: checkov resource/aws (ALB*, LB*) and graph_checks/aws (CKV2_AWS_28, CKV_AWS_103), trivy-checks checks/cloud/aws/elb, AWS Security Hub ELB controls; read 2026-11-22
import type { Rule } from "../types";
import { block, flagWhere } from "./helpers";

const LB = ["aws_lb", "aws_alb"];
const LISTENER = ["aws_lb_listener", "aws_alb_listener"];
const TARGET_GROUP = ["aws_lb_target_group", "aws_alb_target_group"];
const application = (attributes: Record<string, unknown>) => (attributes.load_balancer_type ?? "application") === "application";

export const ELB_RULES: Rule[] = [
  {
    id: "ELB-HTTPS",
    service: "elb",
    severity: "error",
    reason: "Plain HTTP sends requests and cookies readable by anyone on the path.",
    fix: "Listen on HTTPS with an ACM certificate and redirect port 80 to it.",
    checkov: ["CKV_AWS_2", "CKV_AWS_103"],
    trivy: ["AVD-AWS-0054"],
    securityHub: ["ELB.1"],
    check: (stack) =>
      flagWhere(stack, LISTENER, (listener) =>
        listener.attributes.protocol === "HTTP" && [listener.attributes.default_action].flat().some((action) => block(action)?.type !== "redirect")),
  },
  {
    id: "ELB-DROP-INVALID-HEADERS",
    service: "elb",
    severity: "error",
    reason: "Invalid HTTP headers passed through to the targets open the door to request smuggling.",
    fix: "Set drop_invalid_header_fields = true.",
    checkov: ["CKV_AWS_131"],
    trivy: ["AVD-AWS-0052"],
    securityHub: ["ELB.4"],
    check: (stack) => flagWhere(stack, LB, (lb) => application(lb.attributes) && lb.attributes.drop_invalid_header_fields !== true),
  },
  {
    id: "ELB-DESYNC-MITIGATION",
    service: "elb",
    severity: "warning",
    reason: "The monitor mode of desync mitigation forwards ambiguous requests that can poison queues.",
    fix: 'Leave desync_mitigation_mode unset ("defensive") or set "strictest".',
    checkov: ["CKV_AWS_328"],
    securityHub: ["ELB.12"],
    check: (stack) => flagWhere(stack, LB, (lb) => lb.attributes.desync_mitigation_mode === "monitor"),
  },
  {
    id: "ELB-MULTI-AZ",
    service: "elb",
    severity: "error",
    reason: "An Application Load Balancer needs subnets in at least two zones to be created and to survive one zone.",
    fix: "Give the load balancer one public subnet in each of two or more zones.",
    securityHub: ["ELB.13"],
    check: (stack) => flagWhere(stack, LB, (lb) => [lb.attributes.subnets].flat().filter((s) => s).length < 2 && lb.attributes.subnet_mapping === undefined),
  },
  {
    id: "ELB-TARGET-HEALTH-CHECK",
    service: "elb",
    severity: "error",
    reason: "Without a health check the load balancer keeps sending traffic to dead tasks.",
    fix: "Give the target group a health_check with a path and thresholds.",
    check: (stack) => flagWhere(stack, TARGET_GROUP, (group) => block(group.attributes.health_check)?.enabled === false || block(group.attributes.health_check) === undefined),
  },
  {
    id: "ELB-INTERNAL",
    service: "elb",
    severity: "warning",
    reason: "An internet-facing load balancer is reachable by everyone.",
    fix: "Set internal = true unless the load balancer is the deliberate entry point.",
    trivy: ["AVD-AWS-0053"],
    check: (stack) => flagWhere(stack, LB, (lb) => lb.attributes.internal !== true),
  },
  {
    id: "ELB-WAF",
    service: "elb",
    severity: "warning",
    reason: "A public load balancer without a web ACL takes every request to the app.",
    fix: "Associate an aws_wafv2_web_acl with the load balancer.",
    checkov: ["CKV2_AWS_28"],
    check: (stack) => flagWhere(stack, LB, (lb) => lb.attributes.internal !== true && stack.referrers(lb, "aws_wafv2_web_acl_association").length === 0),
  },
  {
    id: "ELB-ACCESS-LOGS",
    service: "elb",
    severity: "warning",
    reason: "Without access logs there is no record of who requested what.",
    fix: "Set access_logs { enabled = true, bucket = ... }.",
    checkov: ["CKV_AWS_91"],
    securityHub: ["ELB.5"],
    check: (stack) => flagWhere(stack, LB, (lb) => block(lb.attributes.access_logs)?.enabled !== true),
  },
  {
    id: "ELB-DELETION-PROTECTION",
    service: "elb",
    severity: "warning",
    reason: "Without deletion protection one destroy takes the entry point away.",
    fix: "Set enable_deletion_protection = true.",
    checkov: ["CKV_AWS_150"],
    securityHub: ["ELB.6"],
    check: (stack) => flagWhere(stack, LB, (lb) => lb.attributes.enable_deletion_protection !== true),
  },
  {
    id: "ELB-TARGET-TLS",
    service: "elb",
    severity: "warning",
    reason: "HTTP from the load balancer to the targets travels unencrypted inside the VPC.",
    fix: "Use protocol HTTPS on the target group, with TLS in the container.",
    checkov: ["CKV_AWS_378"],
    check: (stack) => flagWhere(stack, TARGET_GROUP, (group) => group.attributes.protocol === "HTTP"),
  },
];
