/**
 * The security-group graph of a synthesized stage, as sorted edge strings such as
 * "tasks <- alb tcp/80" (ingress) or "tasks -> 0.0.0.0/0 tcp/443" (egress). Groups are named by their
 * role: the part of the AWS name after "<prefix>-<stage>-"; the S3 gateway endpoint's prefix list is "s3-prefix-list".
 */
import { referencedAddress, resources, type TerraformJson } from "./synth";

export function securityGraph(json: TerraformJson, base: string): string[] {
  const groups = resources(json, "aws_security_group");
  const role = (expression: unknown): string => {
    const address = referencedAddress(expression);
    const name = address && groups[address.split(".")[1]]?.name;
    if (typeof name !== "string") throw new Error(`not a security group reference: ${String(expression)}`);
    return name.replace(`${base}-`, "");
  };
  // A prefix list is named by the resource that owns it: "s3-prefix-list" for the S3 gateway endpoint's.
  const prefixList = (expression: unknown): string => {
    const address = referencedAddress(expression);
    const endpoint = address && resources(json, "aws_vpc_endpoint")[address.split(".")[1]];
    if (!endpoint) throw new Error(`not a gateway endpoint's prefix list: ${String(expression)}`);
    return `${String(endpoint.service_name).split(".").pop()}-prefix-list`;
  };
  const peer = (rule: Record<string, unknown>) =>
    String(rule.cidr_ipv4 ?? rule.cidr_ipv6 ?? (rule.prefix_list_id ? prefixList(rule.prefix_list_id) : rule.referenced_security_group_id ? role(rule.referenced_security_group_id) : "?"));
  const port = (rule: Record<string, unknown>) =>
    `${String(rule.ip_protocol)}/${String(rule.from_port)}${rule.to_port === rule.from_port ? "" : `-${String(rule.to_port)}`}`;
  const edges = [
    ...Object.values(resources(json, "aws_vpc_security_group_ingress_rule")).map(
      (rule) => `${role(rule.security_group_id)} <- ${peer(rule)} ${port(rule)}`,
    ),
    ...Object.values(resources(json, "aws_vpc_security_group_egress_rule")).map(
      (rule) => `${role(rule.security_group_id)} -> ${peer(rule)} ${port(rule)}`,
    ),
  ];
  return edges.sort();
}
