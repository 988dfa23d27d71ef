/** Small helpers the rule files share. */
import { isWorld } from "../../common/cidr";
import type { Flag } from "../types";
import type { Resource, StackView } from "../stack-view";
export { block, blocks, isTrue } from "../stack-view";

/**
 * Flags every resource of `types` for which `broken` returns true or a detail string.
 * A rule that reads one or two attributes is then a single expression.
 */
export function flagWhere(stack: StackView, types: string | string[], broken: (resource: Resource) => boolean | string): Flag[] {
  return stack.all(...[types].flat()).flatMap((resource) => {
    const verdict = broken(resource);
    if (verdict === false) return [];
    return [verdict === true ? { address: resource.address } : { address: resource.address, detail: verdict }];
  });
}


/** True when a standalone or inline security group rule admits any address, however the range is written ("0:0:0:0:0:0:0:0/0"). */
export function fromAnywhere(rule: Record<string, unknown>): boolean {
  const blocks = [rule.cidr_ipv4, rule.cidr_ipv6, ...[rule.cidr_blocks, rule.ipv6_cidr_blocks].flat()];
  return blocks.some(isWorld);
}

/** Resource types that only describe a security group's rules, and so do not attach it to anything. */
const RULE_TYPES = ["aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule", "aws_security_group_rule"];

/** The resources a security group is attached to: everything that mentions it but its own and others' rules. */
export function attachments(stack: StackView, group: Resource): Resource[] {
  const types = Object.keys(stack.json.resource ?? {}).filter((type) => !RULE_TYPES.includes(type));
  return stack.referrers(group, ...types);
}

/** True when the subnet's route table sends some traffic to an internet gateway. */
export function routesToInternetGateway(stack: StackView, subnet: Resource): boolean {
  const tables = stack
    .all("aws_route_table_association")
    .filter((association) => stack.target(association.attributes.subnet_id)?.address === subnet.address)
    .map((association) => stack.target(association.attributes.route_table_id))
    .filter((table): table is Resource => table !== undefined);
  const toGateway = (route: unknown) =>
    route !== null && typeof route === "object" && stack.target((route as Record<string, unknown>).gateway_id)?.type === "aws_internet_gateway";
  return tables.some(
    (table) =>
      [table.attributes.route].flat().some(toGateway) ||
      stack.all("aws_route").some((route) => stack.target(route.attributes.route_table_id)?.address === table.address && toGateway(route.attributes)),
  );
}
