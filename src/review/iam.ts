/**
 * IAM: what each role may do before and after the plan, from its inline policies and attached managed
 * policies, and what that grants or withdraws. A policy Terraform computes during apply is named as such.
 */
import { configReferences, resourcesOn, unknownAt, type PlanJson, type ResourceState } from "./plan";

export interface RoleChange {
  readonly role: string;
  /** "action on resource" pairs allowed only after the plan. */
  readonly granted: string[];
  /** Pairs allowed only before it. */
  readonly withdrawn: string[];
  /** True when a policy of the role is known only after apply, so its grants are not listed. */
  readonly unknownAfter: boolean;
  /** True when the role exists before the plan. */
  readonly existedBefore: boolean;
  /** True when the plan deletes the role: what it could do goes with it, and nothing is listed as withdrawn. */
  readonly deleted?: boolean;
}

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Resource?: string | string[];
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** "action on resource" for each Allow statement of a JSON policy document. */
export function grants(document: string): string[] {
  let parsed: { Statement?: Statement | Statement[] };
  try {
    parsed = JSON.parse(document) as { Statement?: Statement | Statement[] };
  } catch {
    return [];
  }
  const statements = Array.isArray(parsed.Statement) ? parsed.Statement : parsed.Statement ? [parsed.Statement] : [];
  return statements
    .filter((s) => s.Effect === "Allow")
    .flatMap((s) => list(s.Action).flatMap((action) => list(s.Resource).map((resource) => `${action} on ${resource}`)));
}

interface RolePermissions {
  grants: Set<string>;
  unknown: boolean;
}

/** The name of a policy's role: its value, or for a role created by the plan (its name known after apply) the role it refers to. */
function roleName(plan: PlanJson, r: ResourceState, roles: Map<string, string>): string {
  const role = r.values.role;
  if (typeof role === "string" && !unknownAt(r.unknown, ["role"])) return roles.get(role) ?? role;
  const [referenced] = configReferences(plan, r.address, ["role"]).filter((a) => a.split(".").at(-2) === "aws_iam_role");
  return roles.get(referenced) ?? referenced ?? r.address;
}

function permissions(plan: PlanJson, side: "before" | "after"): Map<string, RolePermissions> {
  const resources = resourcesOn(plan, side);
  const byRole = new Map<string, RolePermissions>();
  // A policy names its role by name or by id (both are the role's name for aws_iam_role), or refers to its address.
  const roles = new Map<string, string>();
  for (const r of resources.filter((r) => r.type === "aws_iam_role")) {
    const name = typeof r.values.name === "string" && !unknownAt(r.unknown, ["name"]) ? r.values.name : r.address;
    roles.set(name, name);
    roles.set(r.address, name);
    if (typeof r.values.id === "string") roles.set(r.values.id, name);
    byRole.set(name, { grants: new Set(), unknown: false });
  }
  const entry = (name: string) => byRole.get(name) ?? byRole.set(name, { grants: new Set(), unknown: false }).get(name)!;
  for (const r of resources) {
    if (r.type === "aws_iam_role_policy") {
      const e = entry(roleName(plan, r, roles));
      if (unknownAt(r.unknown, ["policy"]) || typeof r.values.policy !== "string") e.unknown = true;
      else for (const g of grants(r.values.policy)) e.grants.add(g);
    } else if (r.type === "aws_iam_role_policy_attachment") {
      const e = entry(roleName(plan, r, roles));
      if (typeof r.values.policy_arn === "string") e.grants.add(`managed policy ${r.values.policy_arn}`);
      else e.unknown = true;
    }
  }
  return byRole;
}

export function iamChanges(plan: PlanJson): RoleChange[] {
  const before = permissions(plan, "before");
  const after = permissions(plan, "after");
  const roles = [...new Set([...before.keys(), ...after.keys()])].sort();
  return roles
    .map((role) => {
      const b = before.get(role)?.grants ?? new Set<string>();
      const a = after.get(role);
      const deleted = before.has(role) && !a;
      const granted = a && !a.unknown ? [...a.grants].filter((g) => !b.has(g)) : [];
      const withdrawn = !a || a.unknown ? [] : [...b].filter((g) => !a.grants.has(g));
      return { role, granted, withdrawn, unknownAfter: a?.unknown ?? false, existedBefore: before.has(role), ...(deleted && { deleted }) };
    })
    .filter((c) => c.granted.length > 0 || c.withdrawn.length > 0 || c.unknownAfter || c.deleted === true);
}
