/**
 * Risks of changes in place, from the facts in aws-facts.ts: AWS refuses the change (the apply fails), serves
 * it with an outage, defers it to the maintenance window, or needs a companion step for it to take effect.
 * What decides is read from the plan's values after the change (apply_immediately,
 * allow_major_version_upgrade, multi_az), never from the settings.
 */
import { mentions, type ChangeEntry } from "./changes";
import { isGraviton } from "../settings/facts/instance-types";
import { GP3_BASELINE_ENGINES, GP3_BASELINE_GIB, IN_PLACE, type Condition, type InPlaceFact } from "./aws-facts";
import type { Finding, RiskKind } from "./kinds";
import { isKept, managedChanges, valueAt, type PlanJson, type Values } from "./plan";

/** A version as numbers: "17.4" -> [17, 4]. */
function versionParts(version: unknown): number[] {
  return String(version ?? "").split(".").map((p) => Number.parseInt(p, 10)).filter((n) => !Number.isNaN(n));
}

/** The major part of an engine version: PostgreSQL 10 and later count one number ("17"), others two ("8.0", "10.11"). */
export function majorVersion(engine: unknown, version: unknown): string {
  const parts = versionParts(version);
  const count = engine === "postgres" && (parts[0] ?? 0) >= 10 ? 1 : 2;
  return parts.slice(0, count).join(".");
}

/** -1, 0 or 1, comparing the numbers both versions give ("17" and "17.4" are equal). */
function compareVersions(a: unknown, b: unknown): number {
  const x = versionParts(a);
  const y = versionParts(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

/** What a condition may look up beyond the resource's own values: the VPC of a DB subnet group, by name. */
export interface PlanContext {
  readonly subnetGroupVpc: (name: unknown) => string | undefined;
  /** True when an Auto Scaling group the plan keeps launches from the launch template with this id. */
  readonly feedsKeptGroup: (templateId: unknown) => boolean;
}

type Check = (attribute: string, before: Values, after: Values, plan: PlanContext) => boolean;

const CONDITIONS: Readonly<Record<Condition, Check>> = {
  decrease: (a, before, after) => Number(after[a]) < Number(before[a]),
  "small-increase": (a, before, after) => Number(after[a]) > Number(before[a]) && Number(after[a]) < Number(before[a]) * 1.1,
  "unprotected-decrease": (a, before, after) => Number(after[a]) < Number(before[a]) && after.protect_from_scale_in !== true,
  downgrade: (a, before, after) => compareVersions(after[a], before[a]) < 0,
  "major-upgrade": (a, before, after) => majorVersion(after.engine, after[a]) !== majorVersion(before.engine, before[a]),
  "major-without-flag": (a, before, after, plan) => CONDITIONS["major-upgrade"](a, before, after, plan) && after.allow_major_version_upgrade !== true,
  "gp3-baseline": (a, _before, after) =>
    after.storage_type === "gp3" && GP3_BASELINE_ENGINES.includes(String(after.engine)) && Number(after.allocated_storage) < GP3_BASELINE_GIB && Number(after[a] ?? 0) > 0,
  magnetic: (a, before, after) => before[a] === "standard" || after[a] === "standard",
  "architecture-change": (a, before, after) => isGraviton(String(before[a])) !== isGraviton(String(after[a])),
  "to-or-from-zero": (a, before, after) => (Number(before[a]) === 0) !== (Number(after[a]) === 0),
  "multi-az": (_a, before, after) => before.multi_az === true && after.multi_az === true,
  "same-vpc": (a, before, after, plan) => {
    const vpc = plan.subnetGroupVpc(before[a]);
    return vpc !== undefined && vpc === plan.subnetGroupVpc(after[a]);
  },
  "no-healthy-minimum": (_a, _before, after) => Number(after.deployment_minimum_healthy_percent) === 0,
  "feeds-running-group": (_a, before, _after, plan) => plan.feedsKeptGroup(before.id),
  "public-ip-tasks": (_a, before) =>
    valueAt(before, ["network_configuration", 0, "assign_public_ip"]) === true && ((before.load_balancer as unknown[] | undefined) ?? []).length === 0,
};

/** "instance_class "db.t4g.micro" -> "db.t3.micro"", or the attribute's name when its value is a block. */
function describeChange(attribute: string, c: ChangeEntry): string {
  const whole = (c.attributes ?? []).find((a) => a.path === attribute);
  const scalar = (v: unknown) => v === null || typeof v !== "object";
  if (whole && scalar(whole.before) && scalar(whole.after)) return `${attribute} ${JSON.stringify(whole.before)} -> ${JSON.stringify(whole.after)}`;
  return `${attribute} changes`;
}

interface Effects {
  refused: string[];
  outage: string[];
  companion: string[];
  deferred: string[];
}

function effectsOf(fact: InPlaceFact, attribute: string, change: string, before: Values, after: Values, plan: PlanContext, effects: Effects): void {
  const holds = (when: Condition | undefined) => when === undefined || CONDITIONS[when](attribute, before, after, plan);
  const refusal = fact.refused?.find((r) => holds(r.when));
  if (refusal) {
    effects.refused.push(`${change}: ${refusal.why}`);
    return;
  }
  const later = fact.deferred === true && after.apply_immediately !== true;
  if (later) effects.deferred.push(attribute);
  const outage = fact.outage?.find((o) => holds(o.when));
  if (outage) effects.outage.push(`${change}: ${outage.what}${later ? ", in the next maintenance window" : ""}`);
  const companion = fact.companion;
  if (companion && holds(companion.when) && !(companion.unless && isSet(after[companion.unless]))) effects.companion.push(`${change}: it needs ${companion.needs}`);
}

/** What the conditions look up in the plan: DB subnet groups' VPCs by name, and the Auto Scaling groups it keeps. */
export function planContext(plan: PlanJson): PlanContext {
  const all = managedChanges(plan);
  const vpcs = new Map<string, string>();
  for (const c of all.filter((r) => r.type === "aws_db_subnet_group")) {
    for (const v of [c.change.before, c.change.after]) if (typeof v?.name === "string" && typeof v.vpc_id === "string") vpcs.set(v.name, v.vpc_id);
  }
  const keptGroups = all.filter((c) => c.type === "aws_autoscaling_group" && isKept(c));
  return {
    subnetGroupVpc: (name) => (typeof name === "string" ? vpcs.get(name) : undefined),
    feedsKeptGroup: (id) => typeof id === "string" && keptGroups.some((g) => mentions(g.change.before, new Set([id]))),
  };
}

function isSet(value: unknown): boolean {
  return value === true || (Array.isArray(value) && value.length > 0);
}

/** The in-place risks of one updated resource: one per kind, every attribute's reason in it. */
export function inPlaceRisks(c: ChangeEntry, before: Values, after: Values | null, plan: PlanContext): Finding[] {
  const facts = IN_PLACE[c.type];
  if (c.kind !== "update" || !after || !facts) return [];
  const effects: Effects = { refused: [], outage: [], companion: [], deferred: [] };
  const attributes = [...new Set((c.attributes ?? []).map((a) => a.path.split(".")[0]))];
  for (const attribute of attributes) {
    const fact = facts[attribute];
    if (fact) effectsOf(fact, attribute, describeChange(attribute, c), before, after, plan, effects);
  }
  const found: Finding[] = [];
  const add = (kind: RiskKind, reason: string) => found.push({ kind, address: c.address, reason });
  if (effects.refused.length > 0) add("refused", `AWS refuses the change, and the apply fails: ${effects.refused.join("; ")}`);
  if (effects.outage.length > 0) add("downtime", `updated in place with an outage: ${effects.outage.join("; ")}`);
  if (effects.companion.length > 0) add("needs-companion", `updated in place, but it does not take effect alone: ${effects.companion.join("; ")}`);
  if (effects.deferred.length > 0) {
    const set = /^[a-z]{3}:\d{2}:\d{2}-[a-z]{3}:\d{2}:\d{2}$/.test(String(after.maintenance_window));
    const window = set ? ` (${String(after.maintenance_window)} UTC)` : " (one AWS picks, unless maintenance_window is set)";
    add(
      "deferred",
      `apply_immediately is not true, so RDS applies ${effects.deferred.join(", ")} in the next maintenance window${window}, not during ` +
        "this apply; until then every plan shows the same change again",
    );
  }
  return found;
}
