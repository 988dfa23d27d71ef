/** Elastic Load Balancing: the load balancer, its listeners and target groups. */
// source: checkov resource/aws (ALB*, LB*) and graph_checks/aws (CKV2_AWS_20, CKV2_AWS_28, CKV2_AWS_74, CKV_AWS_103,
// CKV_AWS_378), trivy-checks checks/cloud/aws/elb (AVD-AWS-0047, -0052, -0053, -0054), AWS Security Hub ELB controls; read 2026-12-06
import type { Rule } from "../types";
import type { Attributes, Resource, StackView } from "../stack-view";
import { RECOMMENDED_SECURITY_POLICY } from "../../settings/facts/elb-security-policies";
import { API_DEFAULT_TLS_POLICY, isSecurityHubTlsPolicy, lowestTlsVersion } from "./elb-tls";
import { block, blocks, flagWhere } from "./helpers";

const LB = ["aws_lb", "aws_alb"];
const LISTENER = ["aws_lb_listener", "aws_alb_listener"];
const LISTENER_RULE = ["aws_lb_listener_rule", "aws_alb_listener_rule"];
const TARGET_GROUP = ["aws_lb_target_group", "aws_alb_target_group"];
const application = (attributes: Record<string, unknown>) => (attributes.load_balancer_type ?? "application") === "application";

/** A listener's protocol: HTTP when unset, as on an Application Load Balancer (a Gateway Load Balancer's listeners have none). */
function protocolOf(stack: StackView, listener: Resource): string {
  const lb = stack.target(listener.attributes.load_balancer_arn);
  return String(listener.attributes.protocol ?? (lb?.attributes.load_balancer_type === "gateway" ? "GENEVE" : "HTTP"));
}

const redirectsToHttps = (action: Attributes) => action.type === "redirect" && block(action.redirect)?.protocol === "HTTPS";

/**
 * Why an HTTP listener answers some request itself instead of sending it to HTTPS: its default action, or a
 * listener rule, that is not a redirect to HTTPS. False for a listener of another protocol, or one that only redirects.
 */
function servesPlainHttp(stack: StackView, listener: Resource): string | false {
  if (protocolOf(stack, listener) !== "HTTP") return false;
  if (!blocks(listener.attributes.default_action).every(redirectsToHttps)) return "its default action is not a redirect to HTTPS";
  const rule = stack.all(...LISTENER_RULE).find((r) => stack.target(r.attributes.listener_arn)?.address === listener.address && !blocks(r.attributes.action).every(redirectsToHttps));
  return rule ? `${rule.address} answers over HTTP` : false;
}

/** The TLS policy of an HTTPS or TLS listener, as AWS applies it, or undefined for another protocol or a value known only at apply. */
function tlsPolicyOf(stack: StackView, listener: Resource): { policy: string; unset: boolean } | undefined {
  if (!["HTTPS", "TLS"].includes(protocolOf(stack, listener))) return undefined;
  const policy = listener.attributes.ssl_policy;
  if (policy === undefined) return { policy: API_DEFAULT_TLS_POLICY, unset: true };
  return typeof policy === "string" && !policy.includes("${") ? { policy, unset: false } : undefined;
}
const unsetNote = (unset: boolean) => (unset ? " (no ssl_policy: AWS applies it)" : "");

export const ELB_RULES: Rule[] = [
  {
    id: "ELB-HTTPS",
    service: "elb",
    severity: "error",
    reason: "Plain HTTP sends requests and cookies readable by anyone on the path.",
    fix: "Listen on HTTPS with an ACM certificate (loadBalancer.certificateArn) and redirect every HTTP request to it.",
    // CKV_AWS_103 fails a plain HTTP listener too: none of its passing branches (TCP/UDP, HTTPS or TLS with a
    // TLS 1.2 policy, a redirect to HTTPS) holds for it.
    checkov: ["CKV_AWS_2", "CKV_AWS_103"],
    trivy: ["AVD-AWS-0054"],
    check: (stack) => flagWhere(stack, LISTENER, (listener) => servesPlainHttp(stack, listener)),
  },
  {
    id: "ELB-HTTP-REDIRECT",
    service: "elb",
    severity: "error",
    reason: "A load balancer with an HTTP listener that does not redirect to HTTPS serves the site in plain text.",
    fix: "Give the load balancer an HTTPS listener and make every HTTP listener redirect to it.",
    checkov: ["CKV2_AWS_20"],
    securityHub: ["ELB.1"],
    check: (stack) =>
      flagWhere(stack, LB, (lb) => {
        const plain = stack.all(...LISTENER).filter((l) => stack.target(l.attributes.load_balancer_arn)?.address === lb.address && servesPlainHttp(stack, l));
        return plain.length > 0 && `plain HTTP on ${plain.map((l) => l.address).join(", ")}`;
      }),
  },
  {
    id: "ELB-TLS-POLICY",
    service: "elb",
    severity: "error",
    reason: "A TLS policy that accepts TLS 1.0 or 1.1 lets clients negotiate protocol versions with known weaknesses.",
    fix: `Set ssl_policy (loadBalancer.sslPolicy) to a policy of TLS 1.2 or later, such as ${RECOMMENDED_SECURITY_POLICY}.`,
    checkov: ["CKV_AWS_103", "CKV2_AWS_74"],
    trivy: ["AVD-AWS-0047"],
    check: (stack) =>
      flagWhere(stack, LISTENER, (listener) => {
        const tls = tlsPolicyOf(stack, listener);
        if (tls === undefined) return false;
        const lowest = lowestTlsVersion(tls.policy);
        return lowest < 2 && `${tls.policy}${unsetNote(tls.unset)} accepts TLS 1.${lowest}`;
      }),
  },
  {
    id: "ELB-TLS-POLICY-RECOMMENDED",
    service: "elb",
    severity: "warning",
    reason: "Security Hub passes only the TLS policies AWS recommends: TLS 1.3, or TLS 1.2 with forward-secret AES-GCM ciphers only.",
    fix: `Set ssl_policy (loadBalancer.sslPolicy) to ${RECOMMENDED_SECURITY_POLICY} or another policy of ELB.17's list.`,
    securityHub: ["ELB.17"],
    check: (stack) =>
      flagWhere(stack, LISTENER, (listener) => {
        const tls = tlsPolicyOf(stack, listener);
        return tls !== undefined && !isSecurityHubTlsPolicy(tls.policy) && `${tls.policy}${unsetNote(tls.unset)}`;
      }),
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
    checkov: ["CKV_AWS_261"],
    check: (stack) =>
      flagWhere(stack, TARGET_GROUP, (group) => {
        const check = block(group.attributes.health_check);
        if (check === undefined || check.enabled === false) return true;
        const web = ["HTTP", "HTTPS"].includes(String(group.attributes.protocol));
        return web && (typeof check.path !== "string" || check.path === "") && "no health check path: AWS would check /, which may not be the app's";
      }),
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
    securityHub: ["ELB.16"],
    check: (stack) =>
      flagWhere(stack, LB, (lb) =>
        application(lb.attributes) && lb.attributes.internal !== true && stack.referrers(lb, "aws_wafv2_web_acl_association", "aws_wafregional_web_acl_association").length === 0),
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
    securityHub: ["ELB.22"],
    check: (stack) => flagWhere(stack, TARGET_GROUP, (group) => group.attributes.protocol === "HTTP"),
  },
];
