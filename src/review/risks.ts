/**
 * The risks of a change, most serious first (kinds.ts): a stack the state cannot follow to another region,
 * network resources destroyed under resources that are kept, in-place changes AWS refuses, defers or serves
 * with an outage (in-place.ts, from the facts in aws-facts.ts), data that is lost with a resource, downtime
 * while a resource is gone, fixed names that collide (create-before-destroy, or a moved address), new paths
 * from the internet, and IAM grants that widen an existing role. The facts about resource types are data,
 * below, kept in one place.
 */
import type { ChangeEntry } from "./changes";
import type { Cost } from "./cost";
import type { Edge } from "./exposure";
import type { RoleChange } from "./iam";
import { blockedApplies } from "./blocked";
import { inPlaceRisks, planContext } from "./in-place";
import { bySeverity, risk, type Finding, type Risk } from "./kinds";
import { orphanedStack } from "./moves";
import { managedChanges, type PlanJson, type ResourceChange, type Values } from "./plan";



/**
 * What is lost when a resource of these types is destroyed (by a destroy or a replacement). A function of the
 * values before the change returns nothing when nothing is lost.
 * source: AWS provider 5.100.0 resource documentation (deletion behaviour), read 2026-11-22
 */
const DATA_HELD: Readonly<Record<string, (before: Values) => string | undefined>> = {
  aws_db_instance: (v) =>
    `the database instance ${String(v.identifier)} and its ${String(v.allocated_storage)} GiB of storage are deleted with every row in them` +
    (v.skip_final_snapshot === false ? `; a final snapshot ${String(v.final_snapshot_identifier)} is kept to restore from` : "; no final snapshot is taken (skip_final_snapshot)") +
    (Number(v.backup_retention_period) > 0 && v.delete_automated_backups !== false ? ", and its automated backups are deleted" : ""),
  aws_ecr_repository: (v) =>
    v.force_delete === true ? `the repository ${String(v.name)} is deleted with every image in it (force_delete)` : undefined,
  aws_cloudwatch_log_group: (v) => `the log group ${String(v.name)} is deleted with its log events`,
  aws_s3_bucket: (v) => (v.force_destroy === true ? `the bucket ${String(v.bucket)} is deleted with every object in it (force_destroy)` : undefined),
  aws_efs_file_system: () => "the file system is deleted with its files",
  aws_dynamodb_table: (v) => `the table ${String(v.name)} is deleted with its items`,
  aws_secretsmanager_secret: (v) => `the secret ${String(v.name)} is scheduled for deletion`,
};

/** What stops serving while a resource of these types is gone, and, when it is replaced, until when. */
const SERVES: Readonly<Record<string, { readonly stops: string; readonly until?: string }>> = {
  aws_db_instance: { stops: "the database accepts no connections", until: "until the new instance is available (typically 5 to 15 minutes)" },
  aws_ecs_service: { stops: "no task of the service runs", until: "until the new service has started its tasks" },
  aws_ecs_cluster: { stops: "the cluster's services stop with it" },
  aws_lb: { stops: "the site's address stops answering", until: "until the new load balancer is active, under a new DNS name" },
  aws_lb_listener: { stops: "the load balancer answers nothing on the port", until: "until the new listener exists" },
  aws_lb_target_group: { stops: "the listener has no targets to forward to" },
  aws_nat_gateway: { stops: "the private subnets lose their way out to the internet" },
  aws_vpc: { stops: "everything in the VPC must be destroyed with it" },
  aws_subnet: { stops: "everything in the subnet must leave it first" },
  aws_internet_gateway: { stops: "the public subnets lose their way to and from the internet" },
  aws_route_table: { stops: "the subnets of the table lose their routes" },
  aws_security_group: { stops: "whatever uses the group loses the connections it allowed" },
};

/** The attribute that holds a fixed AWS name, by type: a second resource with the same name is refused. */
export const FIXED_NAMES: Readonly<Record<string, string>> = {
  aws_db_instance: "identifier",
  aws_db_subnet_group: "name",
  aws_ecs_service: "name",
  aws_ecs_cluster: "name",
  aws_lb: "name",
  aws_lb_target_group: "name",
  aws_security_group: "name",
  aws_iam_role: "name",
  aws_ecr_repository: "name",
  aws_cloudwatch_log_group: "name",
};

function dataLoss(c: ChangeEntry, before: Values): Finding | undefined {
  if (c.kind !== "delete" && c.kind !== "replace") return undefined;
  const lost = DATA_HELD[c.type]?.(before);
  if (!lost) return undefined;
  const why = c.kind === "replace" ? `replaced (${describeCause(c)})` : "destroyed";
  return { kind: "data-loss", address: c.address, reason: `${why}: ${lost}` };
}

/** Why a resource is replaced, in words. */
function describeCause(c: ChangeEntry): string {
  const forced = (c.replacePaths ?? []).filter((p) => p.length > 0);
  const changed = new Map((c.attributes ?? []).map((a) => [a.path, a]));
  const parts = forced.map((path) => {
    const a = changed.get(path);
    return a ? `${path} ${show(a.before)} -> ${show(a.after)}` : path;
  });
  if (parts.length === 0) return c.reason === "replace_by_request" ? "replacement requested" : "a value that cannot change in place";
  return `${parts.join(", ")} cannot change in place`;
}

function show(value: unknown): string {
  return typeof value === "string" ? `"${value}"` : JSON.stringify(value);
}

/** Resources that only move to the replacement in place: they stand in the old one until it is destroyed. */
function standingIn(c: ChangeEntry, changes: readonly ChangeEntry[]): string {
  const movers = changes.filter((f) => f.kind === "update" && f.causedBy?.includes(c.address)).map((f) => f.address);
  if (movers.length === 0) return "";
  return `; ${movers.join(", ")} ${movers.length === 1 ? "is" : "are"} only updated to the new one, and AWS will not delete the old one while they still use it (DependencyViolation): expect the apply to wait or fail, and them to be cut off meanwhile`;
}

function downtime(c: ChangeEntry, changes: readonly ChangeEntry[]): Finding | undefined {
  const serves = SERVES[c.type];
  if (!serves) return undefined;
  if (c.kind === "delete") {
    return { kind: "downtime", address: c.address, reason: `destroyed, and nothing in this plan replaces it: ${serves.stops}${standingIn(c, changes)}` };
  }
  if (c.kind === "replace" && c.order === "destroy-before-create") {
    const stops = serves.until ? `${serves.stops} ${serves.until}` : serves.stops;
    return {
      kind: "downtime",
      address: c.address,
      reason: `replaced destroy-before-create: between the destroy and the create, ${stops}${standingIn(c, changes)}`,
    };
  }
  return undefined;
}

/**
 * A fixed AWS name collides only where two resources of the name can exist at once: a replacement created
 * before its predecessor is destroyed (create-before-destroy) under the same name, or a resource created (or
 * replaced) under the name of another address that the plan destroys, as Terraform orders neither before the
 * other (an address moved without a moved block). A destroy-before-create replacement never collides: its
 * downtime is its risk.
 */
function nameCollision(c: ChangeEntry, before: Values, after: Values | null, managed: readonly ResourceChange[]): Finding | undefined {
  const attribute = FIXED_NAMES[c.type];
  const oldName = attribute ? before[attribute] : undefined;
  if (typeof oldName !== "string") return undefined;
  if (c.kind === "replace" && c.order === "create-before-destroy" && after?.[attribute] === oldName) {
    return {
      kind: "name-collision",
      address: c.address,
      reason: `create-before-destroy with the fixed ${attribute} "${oldName}": AWS refuses a second ${c.type} of that name while the old one exists, so the apply fails; give it a generated or changing name`,
    };
  }
  if (c.kind !== "delete") return undefined;
  const taker = managed.find(
    (o) => o.address !== c.address && o.type === c.type && o.change.actions.includes("create") && o.change.after?.[attribute] === oldName,
  );
  if (!taker) return undefined;
  return {
    kind: "name-collision",
    address: taker.address,
    reason:
      `created with the fixed ${attribute} "${oldName}" that ${c.address} holds until it is destroyed, and Terraform orders neither before ` +
      `the other: AWS may refuse the create while the old one exists; move the address with a moved block instead`,
  };
}

export interface RiskInput {
  readonly plan: PlanJson;
  readonly changes: readonly ChangeEntry[];
  readonly newInternetPaths: readonly Edge[];
  readonly iam: readonly RoleChange[];
  /** The estimate before and after. @default - no cost risk */
  readonly cost?: Cost;
}

/** A rise of the monthly estimate smaller than this is noise, not a risk. */
const COST_RISE_USD = 1;

function costRise(cost: Cost | undefined, bothRun: boolean): Finding[] {
  if (cost?.monthly == null || cost.monthlyBefore == null) return [];
  const { monthly, monthlyBefore } = cost;
  // A stack left behind keeps billing beside the new one.
  const after = bothRun ? monthly + monthlyBefore : monthly;
  if (after - monthlyBefore < COST_RISE_USD) return [];
  const where = cost.regionBefore ? ` (before in ${cost.regionBefore}, after in ${cost.region})` : ` in ${cost.region}`;
  const both = bothRun ? ` while the old stack runs beside the new one ($${monthlyBefore.toFixed(2)} + $${monthly.toFixed(2)})` : "";
  return [
    {
      kind: "cost",
      address: "monthly estimate",
      reason: `rises by $${(after - monthlyBefore).toFixed(2)} a month, from $${monthlyBefore.toFixed(2)} to $${after.toFixed(2)}${where}${both}`,
    },
  ];
}

/** Every risk of the change, most serious first (by severity, then kind), then in plan order. */
export function risks({ plan, changes, newInternetPaths, iam, cost }: RiskInput): Risk[] {
  const managed = managedChanges(plan);
  const values = new Map(managed.map((c) => [c.address, c.change]));
  const orphaned = orphanedStack(plan);
  const context = planContext(plan);
  const found: Finding[] = [...orphaned];
  // Where the state cannot follow, the changes compare with resources a real plan no longer sees: their risks are not real.
  if (orphaned.length === 0) found.push(...blockedApplies(plan, changes));
  for (const c of orphaned.length === 0 ? changes : []) {
    const before = values.get(c.address)?.before;
    const after = values.get(c.address)?.after ?? null;
    if (!before) continue;
    for (const r of [dataLoss(c, before), downtime(c, changes), nameCollision(c, before, after, managed)]) if (r) found.push(r);
    found.push(...inPlaceRisks(c, before, after, context));
  }
  for (const edge of newInternetPaths) {
    found.push({
      kind: "new-internet-path",
      address: edge.via,
      reason: `${edge.from} can newly reach ${edge.to}${edge.publicIp ? " on their public IPs" : ""} on port ${edge.port}`,
    });
  }
  for (const role of iam) {
    if (!role.existedBefore || role.granted.length === 0) continue;
    found.push({ kind: "iam-broadened", address: `role ${role.role}`, reason: `newly allowed: ${role.granted.join("; ")}` });
  }
  found.push(...costRise(cost, orphaned.length > 0));
  // Within data loss, the data that matters most first: the database before its log groups.
  const held = Object.keys(DATA_HELD);
  const weight = (f: Finding) => (f.kind === "data-loss" ? held.findIndex((type) => f.address.split(".").includes(type)) : 0);
  return found
    .sort((a, b) => weight(a) - weight(b))
    .map((f) => risk(f.kind, f.address, f.reason))
    .sort(bySeverity);
}
