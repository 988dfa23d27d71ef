/**
 * Security groups with standalone rule resources (aws_vpc_security_group_*_rule): one rule per resource,
 * no inline rules, so groups that reference each other never form a dependency cycle or overwrite
 * each other's rules.
 */
import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { WORLD_IPV4, WORLD_IPV6 } from "../common/cidr";
import { waive } from "../policy/waivers";

/** The other end of a rule: another security group, or an address range. */
export type Peer =
  | { readonly securityGroup: SecurityGroup }
  | { readonly cidrIpv4: string }
  | { readonly cidrIpv6: string }
  /** A managed prefix list, such as the S3 gateway endpoint's. */
  | { readonly prefixListId: string };

export const ANYWHERE_IPV4: Peer = { cidrIpv4: WORLD_IPV4 };
export const ANYWHERE_IPV6: Peer = { cidrIpv6: WORLD_IPV6 };

export interface RuleProps {
  /** The group the rule belongs to. */
  readonly group: SecurityGroup;
  readonly peer: Peer;
  /** TCP port, or the first of a range. */
  readonly port: number;
  /** Last port of a range. @default - port alone */
  readonly toPort?: number;
  readonly description: string;
}

function ruleConfig({ group, peer, port, toPort, description }: RuleProps) {
  return {
    securityGroupId: group.id,
    ipProtocol: "tcp",
    fromPort: port,
    toPort: toPort ?? port,
    description,
    ...("securityGroup" in peer ? { referencedSecurityGroupId: peer.securityGroup.id } : peer),
  };
}

export function allowIngress(scope: Construct, id: string, props: RuleProps): VpcSecurityGroupIngressRule {
  return new VpcSecurityGroupIngressRule(scope, id, ruleConfig(props));
}

export function allowEgress(scope: Construct, id: string, props: RuleProps): VpcSecurityGroupEgressRule {
  return new VpcSecurityGroupEgressRule(scope, id, ruleConfig(props));
}

/**
 * Lets `from` open TCP connections to `to` on `port`: an egress rule on `from` and an ingress rule on
 * `to`, with ids "<id>-egress" and "<id>-ingress".
 */
export function allowConnection(
  scope: Construct,
  id: string,
  props: { from: SecurityGroup; to: SecurityGroup; port: number; toPort?: number; description: string },
): void {
  const { from, to, port, toPort, description } = props;
  allowEgress(scope, `${id}-egress`, { group: from, peer: { securityGroup: to }, port, toPort, description });
  allowIngress(scope, `${id}-ingress`, { group: to, peer: { securityGroup: from }, port, toPort, description });
}

/** A security group without inline rules, named `name` (also its Name tag). */
export function namedSecurityGroup(scope: Construct, id: string, props: { name: string; description: string; vpcId: string }): SecurityGroup {
  return new SecurityGroup(scope, id, { ...props, tags: { Name: props.name } });
}

/**
 * HTTPS out to any address, for a workload that calls AWS APIs by name (rule "<id>"), with the waiver of
 * SG-NO-WORLD-EGRESS that says why.
 */
export function allowHttpsToAnywhere(scope: Construct, id: string, props: { group: SecurityGroup; description: string; reason: string }): VpcSecurityGroupEgressRule {
  const rule = allowEgress(scope, id, { group: props.group, peer: ANYWHERE_IPV4, port: 443, description: props.description });
  waive(rule, "SG-NO-WORLD-EGRESS", props.reason);
  return rule;
}
