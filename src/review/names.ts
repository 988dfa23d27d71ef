/**
 * What to call a resource in the review: its AWS name where the plan knows it (tags.Name, identifier, name,
 * family), else the lesson's name for it (the construct path in its address), with a word for its type:
 * "VPC main", "Public subnet a", "database workshop-db-postgres", "ingress rule load-balancer/ingress-http-ipv4".
 * The ids and ARNs a plan holds (placeholders in a preview) are shown by the name of what they point at.
 */
import { identities, type ChangeEntry } from "./changes";
import { managedChanges, valueAt, type PlanJson, type Values } from "./plan";

/** A word or two for each resource type the stages make; other types read as their type without "aws_". */
const NOUNS: Readonly<Record<string, string>> = {
  aws_vpc: "VPC",
  aws_subnet: "subnet",
  aws_route_table: "route table",
  aws_route_table_association: "route table association",
  aws_route: "route",
  aws_internet_gateway: "internet gateway",
  aws_nat_gateway: "NAT gateway",
  aws_eip: "Elastic IP",
  aws_vpc_endpoint: "VPC endpoint",
  aws_security_group: "security group",
  aws_default_security_group: "security group",
  aws_vpc_security_group_ingress_rule: "ingress rule",
  aws_vpc_security_group_egress_rule: "egress rule",
  aws_security_group_rule: "security group rule",
  aws_db_instance: "database",
  aws_db_subnet_group: "DB subnet group",
  aws_ecs_cluster: "ECS cluster",
  aws_ecs_service: "ECS service",
  aws_ecs_task_definition: "task definition",
  aws_lb: "load balancer",
  aws_alb: "load balancer",
  aws_lb_listener: "listener",
  aws_lb_listener_rule: "listener rule",
  aws_lb_target_group: "target group",
  aws_iam_role: "IAM role",
  aws_iam_role_policy: "role policy",
  aws_iam_role_policy_attachment: "policy attachment",
  aws_ecr_repository: "repository",
  aws_ecr_lifecycle_policy: "lifecycle policy",
  aws_cloudwatch_log_group: "log group",
  aws_instance: "instance",
  aws_launch_template: "launch template",
  aws_autoscaling_group: "Auto Scaling group",
  aws_appautoscaling_target: "scaling target",
  aws_appautoscaling_policy: "scaling policy",
  aws_service_discovery_private_dns_namespace: "Cloud Map namespace",
  aws_service_discovery_service: "Cloud Map service",
};

/** Attributes that hold a resource's own name, most telling first. */
const NAME_PATHS: ReadonlyArray<readonly string[]> = [["tags", "Name"], ["identifier"], ["name"], ["family"], ["bucket"]];

/** A value the prior-state builder made up for what only AWS knows ("name-92e2a6fd076b6afe0"): no name. */
const PLACEHOLDER = /^[a-z_]+-[0-9a-f]{17}$/;

function typeNoun(type: string): string {
  return NOUNS[type] ?? type.replace(/^aws_/, "").replace(/_/g, " ");
}

/** The lesson's name in an address: "aws_x.load-balancer_ingress-http-ipv4_B252C782" -> "load-balancer/ingress-http-ipv4". */
function constructPath(address: string): string {
  const local = address.replace(/^(module\.[^.]+\.)*/, "");
  const name = local.slice(local.indexOf(".") + 1);
  return name.replace(/_[0-9A-F]{8}(?=$|\[)/, "").replace(/_/g, "/");
}

function ownName(type: string, values: Values): string | undefined {
  if (type === "aws_lb_listener" && typeof values.port === "number") return `:${values.port}`;
  if (type === "aws_route" && typeof values.destination_cidr_block === "string") return `to ${values.destination_cidr_block}`;
  for (const path of NAME_PATHS) {
    const value = valueAt(values, path);
    if (typeof value === "string" && value.length > 0 && !PLACEHOLDER.test(value)) return value;
  }
  return undefined;
}

/** "VPC main"; a name that already says what it is stands alone: "Public subnet a". */
function resourceLabel(type: string, address: string, values: Values | null | undefined): string {
  const noun = typeNoun(type);
  const name = (values && ownName(type, values)) ?? constructPath(address);
  return name.toLowerCase().includes(noun.toLowerCase()) ? name : `${noun} ${name}`;
}

/** What to call every resource of a plan, by address: the name after the change where the plan knows it, else before. */
export function resourceNames(plan: PlanJson): Record<string, string> {
  const names: Record<string, string> = {};
  const tables = new Map<string, string>();
  for (const c of managedChanges(plan)) {
    const after = c.change.after && ownName(c.type, c.change.after) ? c.change.after : null;
    names[c.address] = resourceLabel(c.type, c.address, after ?? c.change.before ?? c.change.after);
    const id = c.change.before?.id ?? c.change.after?.id;
    if (c.type === "aws_route_table" && typeof id === "string") tables.set(id, names[c.address]);
  }
  // Routes share their destinations; the table tells them apart.
  for (const c of managedChanges(plan).filter((c) => c.type === "aws_route")) {
    const id = [c.change.after, c.change.before].map((v) => v?.route_table_id).find((v) => typeof v === "string");
    const table = tables.get(String(id));
    if (table) names[c.address] = `${names[c.address]} in ${table}`;
  }
  return names;
}

function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

/**
 * The ids and ARNs that the changed attributes hold, each with the address of the resource it is: a review
 * shows "security group workshop-db-database", not "sg-0f3a..." (in a preview, a placeholder).
 */
export function idAddresses(plan: PlanJson, changes: readonly ChangeEntry[]): Record<string, string> {
  const owners = new Map<string, string>();
  for (const c of managedChanges(plan)) {
    for (const values of [c.change.before, c.change.after]) {
      for (const v of identities(values)) if (!owners.has(v)) owners.set(v, c.address);
    }
  }
  const held = changes.flatMap((c) => (c.attributes ?? []).flatMap((a) => [...strings(a.before), ...strings(a.after)]));
  return Object.fromEntries(held.filter((v) => owners.has(v)).map((v) => [v, owners.get(v)!]));
}
