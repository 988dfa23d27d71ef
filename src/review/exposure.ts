/**
 * Exposure: who can open a connection to what, before and after the plan. Paths come from security-group
 * ingress (standalone rules, legacy rules and inline blocks) and from the listeners of internet-facing load
 * balancers. Groups are named after what uses them (the database, the service's tasks, the instances of a launch
 * template, an instance, the load balancer),
 * so the same path keeps its name when a group is replaced.
 */
import { configReferences, resourcesOn, unknownAt, valueAt, type AttributePath, type PlanJson, type ResourceState, type Side } from "./plan";

export interface Edge {
  /** "0.0.0.0/0", "::/0", "internet" (a listener) or the name of a security group's users. */
  readonly from: string;
  readonly to: string;
  /** A TCP/UDP port, "1024-2048" for a range, "all" for every protocol. */
  readonly port: number | string;
  /** The resource that opens the path. */
  readonly via: string;
  /** True when `to` is tasks with public IPs: reachable from the internet without a load balancer. */
  readonly publicIp?: boolean;
  /**
   * For one path from the internet opened several ways (from is then "internet"): each way, as a `from` of its
   * own ("0.0.0.0/0", "::/0", "internet" for a listener), and the resource that opens it, in the same order.
   */
  readonly sources?: string[];
  readonly vias?: string[];
}

export interface Exposure {
  readonly before: Edge[];
  readonly after: Edge[];
  /** Paths from the internet that exist only after the plan, or whose targets gain public IPs. */
  readonly newInternetPaths: Edge[];
}

export const INTERNET_SOURCES = ["0.0.0.0/0", "::/0", "internet"];

export const edgeKey = (e: Pick<Edge, "from" | "to" | "port">) => `${e.from} -> ${e.to} :${e.port}`;

const GROUP_TYPES = ["aws_security_group", "aws_default_security_group"];

function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function portText(protocol: unknown, from: unknown, to: unknown): number | string {
  if (protocol === "-1" || protocol === "all") return "all";
  if (typeof from === "number" && (to === from || to === undefined || to === null)) return from;
  return `${String(from)}-${String(to)}`;
}

/** The exposure graph of one side of the plan. */
class SideGraph {
  private readonly resources: ResourceState[];
  private readonly byAddress: Map<string, ResourceState>;
  /** id or ARN -> address */
  private readonly ids = new Map<string, string>();

  constructor(private readonly plan: PlanJson, side: Side) {
    this.resources = resourcesOn(plan, side);
    this.byAddress = new Map(this.resources.map((r) => [r.address, r]));
    for (const r of this.resources) {
      for (const key of ["id", "arn"]) {
        const v = r.values[key];
        if (typeof v === "string" && !unknownAt(r.unknown, [key])) this.ids.set(v, r.address);
      }
    }
  }

  /** The addresses an attribute points at: its known ids mapped back, or its configuration's references. */
  private targets(r: ResourceState, path: AttributePath, types: string[]): string[] {
    if (unknownAt(r.unknown, path)) {
      return configReferences(this.plan, r.address, path).filter((a) => types.includes(a.split(".")[0]));
    }
    return strings(valueAt(r.values, path)).map((id) => this.ids.get(id) ?? id);
  }

  private usersOf(group: string): string[] {
    const users: string[] = [];
    for (const r of this.resources) {
      const v = r.values;
      if (r.type === "aws_db_instance" && this.targets(r, ["vpc_security_group_ids"], GROUP_TYPES).includes(group)) {
        users.push(`database ${String(v.identifier ?? r.address)}`);
      } else if (r.type === "aws_ecs_service" && this.targets(r, ["network_configuration", 0, "security_groups"], GROUP_TYPES).includes(group)) {
        // The name stays the same with or without public IPs, so that a path keeps its identity when they go.
        users.push(`tasks of service ${String(v.name ?? r.address)}`);
      } else if (r.type === "aws_launch_template" && this.launchTemplateGroups(r).includes(group)) {
        users.push(`instances of launch template ${String(v.name ?? r.address)}`);
      } else if ((r.type === "aws_lb" || r.type === "aws_alb") && this.targets(r, ["security_groups"], GROUP_TYPES).includes(group)) {
        users.push(`load balancer ${String(v.name ?? r.address)}`);
      } else if (r.type === "aws_instance" && this.targets(r, ["vpc_security_group_ids"], GROUP_TYPES).includes(group)) {
        users.push(`instance ${String(valueAt(v, ["tags", "Name"]) ?? r.address)}`);
      }
    }
    return users;
  }

  /** The groups of a launch template's instances: on the template, or on its first network interface. */
  private launchTemplateGroups(r: ResourceState): string[] {
    return [...this.targets(r, ["vpc_security_group_ids"], GROUP_TYPES), ...this.targets(r, ["network_interfaces", 0, "security_groups"], GROUP_TYPES)];
  }

  /** True when tasks, instances of a launch template, or instances with public IPs use the group. */
  private hasPublicIp(group: string): boolean {
    return this.resources.some(
      (r) =>
        (r.type === "aws_ecs_service" &&
          valueAt(r.values, ["network_configuration", 0, "assign_public_ip"]) === true &&
          this.targets(r, ["network_configuration", 0, "security_groups"], GROUP_TYPES).includes(group)) ||
        (r.type === "aws_launch_template" &&
          valueAt(r.values, ["network_interfaces", 0, "associate_public_ip_address"]) === "true" &&
          this.launchTemplateGroups(r).includes(group)) ||
        (r.type === "aws_instance" &&
          r.values.associate_public_ip_address === true &&
          this.targets(r, ["vpc_security_group_ids"], GROUP_TYPES).includes(group)),
    );
  }

  /** What a security group stands for: its users, or its name when nothing uses it. */
  label(group: string): string {
    const users = this.usersOf(group);
    if (users.length > 0) return users.join(" / ");
    const resource = this.byAddress.get(group);
    const name = resource?.values.name;
    return `security group ${typeof name === "string" ? name : group}`;
  }

  edges(): Edge[] {
    const edges: Edge[] = [];
    const add = (from: string, toGroups: string[], port: number | string, via: string) => {
      for (const to of toGroups) edges.push({ from, to: this.label(to), port, via, ...(this.hasPublicIp(to) && { publicIp: true }) });
    };
    for (const r of this.resources) {
      const v = r.values;
      if (r.type === "aws_vpc_security_group_ingress_rule") {
        const to = this.targets(r, ["security_group_id"], GROUP_TYPES);
        const port = portText(v.ip_protocol, v.from_port, v.to_port);
        const peers = [v.cidr_ipv4, v.cidr_ipv6, v.prefix_list_id].filter((p): p is string => typeof p === "string");
        for (const peer of peers) add(peer, to, port, r.address);
        for (const group of this.targets(r, ["referenced_security_group_id"], GROUP_TYPES)) add(this.label(group), to, port, r.address);
      } else if (r.type === "aws_security_group_rule" && v.type === "ingress") {
        const to = this.targets(r, ["security_group_id"], GROUP_TYPES);
        const port = portText(v.protocol, v.from_port, v.to_port);
        for (const peer of [...strings(v.cidr_blocks), ...strings(v.ipv6_cidr_blocks)]) add(peer, to, port, r.address);
        for (const group of this.targets(r, ["source_security_group_id"], GROUP_TYPES)) add(this.label(group), to, port, r.address);
      } else if (GROUP_TYPES.includes(r.type) && Array.isArray(v.ingress)) {
        (v.ingress as Array<Record<string, unknown>>).forEach((rule) => {
          const port = portText(rule.protocol, rule.from_port, rule.to_port);
          for (const peer of [...strings(rule.cidr_blocks), ...strings(rule.ipv6_cidr_blocks)]) add(peer, [r.address], port, r.address);
          for (const group of strings(rule.security_groups)) add(this.label(this.ids.get(group) ?? group), [r.address], port, r.address);
        });
      } else if (r.type === "aws_lb_listener") {
        const [lb] = this.targets(r, ["load_balancer_arn"], ["aws_lb", "aws_alb"]);
        const balancer = lb ? this.byAddress.get(lb) : undefined;
        if (balancer && balancer.values.internal === false) {
          edges.push({ from: "internet", to: `load balancer ${String(balancer.values.name ?? lb)}`, port: portText("tcp", v.port, v.port), via: r.address });
        }
      }
    }
    const seen = new Set<string>();
    return edges.filter((e) => !seen.has(edgeKey(e)) && seen.add(edgeKey(e)) !== undefined);
  }
}

/**
 * One row per (source, target, port): the rules from 0.0.0.0/0 and ::/0 and the listener that lead to the same
 * port of the same target are one path from the internet. A path opened one way only keeps its own `from`.
 */
function mergeInternetPaths(edges: readonly Edge[]): Edge[] {
  const groups = new Map<string, Edge[]>();
  for (const e of edges.filter((e) => INTERNET_SOURCES.includes(e.from))) {
    const key = `${e.to} :${e.port}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  return edges.flatMap((e) => {
    const group = INTERNET_SOURCES.includes(e.from) ? groups.get(`${e.to} :${e.port}`) ?? [e] : [e];
    if (group.length === 1) return [e];
    if (group[0] !== e) return [];
    return [{
      from: "internet",
      to: e.to,
      port: e.port,
      via: e.via,
      ...(group.some((g) => g.publicIp) && { publicIp: true }),
      sources: group.map((g) => g.from),
      vias: group.map((g) => g.via),
    }];
  });
}

/** The single-source paths an edge stands for. */
const ways = (e: Edge): Edge[] => (e.sources ?? [e.from]).map((from, i) => ({ ...e, from, via: e.vias?.[i] ?? e.via }));

export function exposure(plan: PlanJson): Exposure {
  const before = new SideGraph(plan, "before").edges();
  const after = new SideGraph(plan, "after").edges();
  const had = new Map(before.map((e) => [edgeKey(e), e]));
  // The same rule from the same source to the same port is the same path when its target is only renamed (a service's tasks).
  const sameRule = new Map(before.map((e) => [`${e.via} ${e.from} :${e.port}`, e]));
  // New: a path that did not exist, or one whose targets gain public IPs (reachable without a load balancer).
  // A merged path is new when any of its ways is: a rule from ::/0 beside an old one from 0.0.0.0/0 opens IPv6.
  const isNew = (e: Edge) => {
    const old = had.get(edgeKey(e)) ?? sameRule.get(`${e.via} ${e.from} :${e.port}`);
    return !old || (e.publicIp === true && old.publicIp !== true);
  };
  const merged = mergeInternetPaths(after);
  return {
    before: mergeInternetPaths(before),
    after: merged,
    newInternetPaths: merged.filter((e) => INTERNET_SOURCES.includes(e.from) && ways(e).some(isNew)),
  };
}
