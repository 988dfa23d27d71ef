/**
 * Moves the state cannot follow: the prior state's resources live in another region, account or partition
 * than the AWS provider now targets. Terraform never moves a resource there; a real plan refreshes, finds
 * none of them, drops them from the state and creates a second stack, while the first keeps running and
 * billing out of Terraform's reach. Where the resources live is read from their own ARNs and zones: in a
 * preview from the prior state, in a real plan from the resources it found gone (resource_drift).
 */
import { PARTITIONS } from "./aws-facts";
import { managedChanges, type PlanJson, type Values } from "./plan";
import type { Finding } from "./kinds";

interface Location {
  readonly partition?: string;
  readonly region?: string;
  readonly account?: string;
}

const ARN = /^arn:([a-z-]+):([a-z0-9-]+):([a-z0-9-]*):(\d{12})?:/;
const ZONE = /^([a-z]{2}(?:-[a-z]+)+-\d+)[a-z]$/;

/** Where one resource lives, from its ARN (a global service's has no region) and its availability zone. */
export function locationOf(values: Values): Location {
  const arn = typeof values.arn === "string" ? ARN.exec(values.arn) : null;
  const zone = typeof values.availability_zone === "string" ? ZONE.exec(values.availability_zone) : null;
  return {
    ...(arn && { partition: arn[1] }),
    ...((arn?.[3] || zone) && { region: arn?.[3] || zone?.[1] }),
    ...(arn?.[4] && { account: arn[4] }),
  };
}

export function partitionOf(region: string): string {
  return PARTITIONS.find(([prefix]) => region.startsWith(prefix))?.[1] ?? "aws";
}

function constants(plan: PlanJson, read: (expressions: Record<string, unknown>) => unknown): string[] {
  return Object.values(plan.configuration?.provider_config ?? {})
    .filter((p) => p.name === "aws")
    .flatMap((p) => {
      const value = read(p.expressions ?? {});
      return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
    });
}

/** Where the AWS provider points now: its regions, and its account where the configuration pins one. */
function providerTarget(plan: PlanJson): { regions: string[]; accounts: string[] } {
  const constant = (e: unknown) => (e as { constant_value?: unknown } | undefined)?.constant_value;
  const regions = constants(plan, (e) => constant(e.region));
  const allowed = constants(plan, (e) => constant(e.allowed_account_ids));
  const roles = constants(plan, (e) => constant((e.assume_role as Array<Record<string, unknown>> | undefined)?.[0]?.role_arn));
  return { regions, accounts: [...allowed, ...roles.flatMap((arn) => ARN.exec(arn)?.[4] ?? [])] };
}

/** The resources the state holds before the plan: those the plan sees, and those a refresh found gone. */
function priorResources(plan: PlanJson): Array<{ address: string; type: string; values: Values }> {
  const seen = managedChanges(plan).filter((c) => c.change.before !== null);
  const gone = (plan.resource_drift ?? []).filter((c) => c.mode === "managed" && c.change.before !== null && c.change.after === null);
  const known = new Set(seen.map((c) => c.address));
  return [...seen, ...gone.filter((c) => !known.has(c.address))].map((c) => ({ address: c.address, type: c.type, values: c.change.before as Values }));
}

/** The region most of the prior state's resources live in, when they name one. */
export function priorRegion(plan: PlanJson): string | undefined {
  const counts = new Map<string, number>();
  for (const r of priorResources(plan)) {
    const region = locationOf(r.values).region;
    if (region) counts.set(region, (counts.get(region) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** The resources named first: what holds data or serves, then the network. */
const FIRST = ["aws_db_instance.", "aws_lb.", "aws_ecs_service.", "aws_vpc."];

function listed(addresses: readonly string[]): string {
  const rank = (a: string) => (FIRST.findIndex((p) => a.startsWith(p)) + FIRST.length + 1) % (FIRST.length + 1);
  const sorted = [...addresses].sort((a, b) => rank(a) - rank(b));
  return sorted.length <= 3 ? sorted.join(", ") : `${sorted.slice(0, 3).join(", ")} and ${sorted.length - 3} more`;
}

/** The blocking risk of a stack left behind, or nothing when the state lives where the provider points. */
export function orphanedStack(plan: PlanJson): Finding<"orphaned-stack">[] {
  const target = providerTarget(plan);
  const region = target.regions[0];
  if (!region) return [];
  const prior = priorResources(plan);
  const elsewhere = new Map<string, string[]>();
  for (const r of prior) {
    const at = locationOf(r.values);
    const where =
      at.partition && at.partition !== partitionOf(region)
        ? `partition ${at.partition}`
        : at.region && !target.regions.includes(at.region)
          ? at.region
          : at.account && target.accounts.length > 0 && !target.accounts.includes(at.account)
            ? `account ${at.account}`
            : undefined;
    if (where) elsewhere.set(where, [...(elsewhere.get(where) ?? []), r.address]);
  }
  if (elsewhere.size === 0) return [];
  const here = target.accounts.length > 0 ? `${region} (account ${target.accounts.join(" or ")})` : region;
  const found = [...elsewhere.entries()].map(([where, addresses]) => `${addresses.length} in ${where} (${listed(addresses)})`).join("; ");
  const databases = prior
    .filter((r) => r.type === "aws_db_instance" && typeof r.values.identifier === "string")
    .map((r) => `the database ${String(r.values.identifier)}`);
  const data = databases.length > 0 ? `: ${databases.join(" and ")} and ${databases.length === 1 ? "its" : "their"} data stay behind` : "";
  const from = [...elsewhere.keys()].join(" and ");
  return [
    {
      kind: "orphaned-stack",
      address: 'provider["registry.terraform.io/hashicorp/aws"]',
      reason:
        `the state's resources live elsewhere than the provider now targets, ${here}: ${found}. Terraform cannot move a resource there: ` +
        `a real plan refreshes, finds none of them, drops them from the state and creates the whole stack anew. The old stack keeps ` +
        `running and billing in ${from}, out of Terraform's reach, and the new one starts empty${data}. Do instead: destroy the stage ` +
        `first with the settings it was deployed with, then apply; or deploy the new place as a separate stage with its own state (a new ` +
        `namePrefix and state file or key), move the data, and destroy the old one. The changes this review lists compare with ` +
        `resources a real plan no longer sees`,
    },
  ];
}
