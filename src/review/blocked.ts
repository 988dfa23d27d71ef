/**
 * Applies that stall: a network resource (VPC, subnet, security group, DB subnet group) is destroyed while a
 * resource that is kept (updated in place, or unchanged) still has network interfaces in it. AWS refuses the
 * delete (DependencyViolation); Terraform retries until its delete timeout and fails, after destroying what
 * it could before: the stage is left half destroyed. Who holds what is read from the prior state: the
 * holder's own values, and those of the kept DB subnet group or launch template it names.
 */
import { identities, mentions, type ChangeEntry } from "./changes";
import { CANNOT_CHANGE_VPC, DELETE_IN_USE, NETWORK_HOLDERS } from "./aws-facts";
import { changeKind, isKept, managedChanges, replaceOrder, type PlanJson, type ResourceChange, type Values } from "./plan";
import type { Finding } from "./kinds";

/** Where a holder's network interfaces can be named besides its own values: kept resources it names. */
const CONTAINERS = ["aws_db_subnet_group", "aws_launch_template"];

/** A resource's own names for others: its id and ARN (a DB subnet group is named by its name). */
function namesOf(c: ResourceChange): Set<string> {
  const before = c.change.before as Values;
  return new Set([...identities(before), ...(c.type === "aws_db_subnet_group" && typeof before.name === "string" ? [before.name] : [])]);
}

function fate(n: ResourceChange): string {
  return changeKind(n.change.actions) === "delete" ? "destroyed" : `replaced ${replaceOrder(n.change.actions)}`;
}

export function blockedApplies(plan: PlanJson, changes: readonly ChangeEntry[]): Finding<"blocked-apply">[] {
  const all = managedChanges(plan).filter((c) => c.change.before !== null);
  const removed = all.filter((c) => DELETE_IN_USE[c.type] !== undefined && ["delete", "replace"].includes(changeKind(c.change.actions)));
  if (removed.length === 0) return [];
  const vpcGoes = removed.some((c) => c.type === "aws_vpc");
  const containers = all.filter((c) => CONTAINERS.includes(c.type) && isKept(c));
  const updated = new Set(changes.filter((c) => c.kind === "update").map((c) => c.address));
  const found: Finding<"blocked-apply">[] = [];
  for (const holder of all.filter((c) => NETWORK_HOLDERS[c.type] && isKept(c))) {
    const own = holder.change.before as Values;
    const through = containers.filter((c) => c.address !== holder.address && mentions(own, namesOf(c)));
    const footprint = [own, ...through.map((c) => c.change.before)];
    const held = removed.filter((n) => footprint.some((v) => mentions(v, namesOf(n))));
    // A replacement created first is destroyed after the holder moved to it, unless the holder stays or cannot follow.
    const moves = updated.has(holder.address);
    const cannotFollow = vpcGoes && CANNOT_CHANGE_VPC[holder.type];
    const blocking = held.filter((n) => replaceOrder(n.change.actions) !== "create-before-destroy" || !moves || cannotFollow);
    if (blocking.length === 0) continue;
    const what = blocking.map((n) => `${n.address} (${fate(n)})`).join(", ");
    const refusals = [...new Set(blocking.map((n) => DELETE_IN_USE[n.type]))].join("; ");
    found.push({
      kind: "blocked-apply",
      address: holder.address,
      reason:
        `${NETWORK_HOLDERS[holder.type]} in ${what}, and it is ${moves ? "only updated in place" : "kept unchanged"}: AWS refuses to delete ` +
        `a network resource that a network interface still uses (DependencyViolation): ${refusals}, then the apply fails after ` +
        `destroying what it could, and the stage is left half destroyed` +
        (cannotFollow ? `. ${cannotFollow}` : "") +
        `. Do instead: remove ${holder.address} first (tear the stage down to a lesson without it, keeping a snapshot of any data), ` +
        `then change the network; or build the changed network as a separate stage beside this one`,
    });
  }
  return found;
}
