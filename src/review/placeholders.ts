/**
 * Stable, plausible values for what AWS decides on apply (IDs, ARNs, defaults the provider compares with),
 * named after the resource, so that a prior state built without AWS reads like a real one.
 */
import { createHash } from "node:crypto";

const ID_PREFIXES: Record<string, string> = {
  aws_vpc: "vpc",
  aws_subnet: "subnet",
  aws_security_group: "sg",
  aws_default_security_group: "sg",
  aws_internet_gateway: "igw",
  aws_route_table: "rtb",
  aws_nat_gateway: "nat",
  aws_eip: "eipalloc",
  aws_route_table_association: "rtbassoc",
  aws_vpc_security_group_ingress_rule: "sgr",
  aws_vpc_security_group_egress_rule: "sgr",
  aws_launch_template: "lt",
  aws_instance: "i",
  aws_vpc_endpoint: "vpce",
};

const ARN_SERVICES: Array<[RegExp, string]> = [
  [/^aws_(db|rds)_/, "rds"],
  [/^aws_ecs_/, "ecs"],
  [/^aws_ecr_/, "ecr"],
  [/^aws_(lb|alb)/, "elasticloadbalancing"],
  [/^aws_iam_/, "iam"],
  [/^aws_cloudwatch_log/, "logs"],
  [/^aws_appautoscaling_/, "application-autoscaling"],
  [/^aws_secretsmanager_/, "secretsmanager"],
];

/**
 * Values AWS gives attributes the configuration leaves open, where the provider compares them with what it
 * would set (a placeholder there plans a replacement).
 * source: AWS provider 5.100.0 documentation of each attribute's default, read 2026-11-22
 */
const AWS_DEFAULTS: Readonly<Record<string, unknown>> = {
  "aws_lb_target_group.protocol_version": "HTTP1",
  "aws_lb_target_group.ip_address_type": "ipv4",
  "aws_lb_target_group.load_balancing_algorithm_type": "round_robin",
  "aws_lb_target_group.load_balancing_anomaly_mitigation": "off",
  "aws_lb_target_group.load_balancing_cross_zone_enabled": "use_load_balancer_configuration",
};

/** A stable, plausible value for a string known only after apply. */
export function placeholderString(resourceType: string, address: string, attribute: string, region: string): string {
  const known = AWS_DEFAULTS[`${resourceType}.${attribute}`];
  if (typeof known === "string") return known;
  const hash = createHash("sha256").update(`${address}#${attribute}`).digest("hex").slice(0, 17);
  const name = address.split(".")[1] ?? address;
  if (attribute === "arn" || attribute.endsWith("_arn")) {
    const service = ARN_SERVICES.find(([re]) => re.test(resourceType))?.[1] ?? resourceType.replace(/^aws_/, "").split("_")[0];
    return `arn:aws:${service}:${region}:123456789012:${name.toLowerCase()}/${hash}`;
  }
  if (attribute === "id" || attribute.endsWith("_id")) return `${ID_PREFIXES[resourceType] ?? resourceType.replace(/^aws_/, "")}-${hash}`;
  return `${attribute}-${hash}`;
}
