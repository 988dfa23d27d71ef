/**
 * A Mermaid flowchart of a stage after the change, which GitHub renders in comments and markdown: the VPC,
 * its subnets per zone, NAT gateways, the load balancer, the service and the database, and an arrow for
 * every path the security groups (and listeners) open.
 */
import { INTERNET_SOURCES, type Edge } from "./exposure";
import { configReferences, resourcesOn, unknownAt, type PlanJson, type ResourceState } from "./plan";

function id(text: string): string {
  return `n_${text.replace(/[^A-Za-z0-9]/g, "_")}`;
}

function label(text: string): string {
  return `"${text.replace(/"/g, "#quot;")}"`;
}

function str(value: unknown, fallback: string): string {
  return typeof value === "string" ? value : fallback;
}

/** The subnet a resource sits in: by known id, else by the configuration's reference. */
function subnetOf(plan: PlanJson, r: ResourceState, subnets: ResourceState[]): ResourceState | undefined {
  const value = r.values.subnet_id;
  if (!unknownAt(r.unknown, ["subnet_id"]) && typeof value === "string") return subnets.find((s) => s.values.id === value);
  const [address] = configReferences(plan, r.address, ["subnet_id"]);
  return subnets.find((s) => s.address === address);
}

export function diagram(plan: PlanJson, edges: readonly Edge[]): string {
  const resources = resourcesOn(plan, "after");
  const lines = ["flowchart LR"];
  const subnets = resources.filter((r) => r.type === "aws_subnet");
  const nats = resources.filter((r) => r.type === "aws_nat_gateway");
  const zones = [...new Set(subnets.map((s) => str(s.values.availability_zone, "zone")))].sort();
  const internetNodes = new Set(edges.filter((e) => INTERNET_SOURCES.includes(e.from)).map((e) => e.from));
  for (const source of internetNodes) lines.push(`  ${id(source)}((${label(source === "internet" ? "internet" : `internet ${source}`)}))`);
  const inside = new Set([...edges.map((e) => e.to), ...edges.map((e) => e.from)].filter((n) => !internetNodes.has(n)));
  // The workloads appear even when no path leads to them.
  for (const r of resources) {
    const named = (prefix: string, value: unknown) => {
      const text = `${prefix} ${str(value, r.address)}`;
      if (![...inside].some((n) => n === text || n.startsWith(`${text} `))) inside.add(text);
    };
    if (r.type === "aws_db_instance") named("database", r.values.identifier);
    else if (r.type === "aws_ecs_service") named("tasks of service", r.values.name);
    else if (r.type === "aws_lb" || r.type === "aws_alb") named("load balancer", r.values.name);
  }

  for (const vpc of resources.filter((r) => r.type === "aws_vpc")) {
    const tags = (vpc.values.tags ?? {}) as Record<string, unknown>;
    lines.push(`  subgraph ${id(vpc.address)}[${label(`VPC ${str(tags.Name, "")} ${str(vpc.values.cidr_block, "")}`.replace(/\s+/g, " "))}]`);
    for (const zone of zones) {
      lines.push(`    subgraph ${id(`zone ${zone}`)}[${label(zone)}]`);
      for (const s of subnets.filter((s) => s.values.availability_zone === zone)) {
        const name = str(((s.values.tags ?? {}) as Record<string, unknown>).Name, s.address);
        lines.push(`      ${id(s.address)}[${label(`${name} ${str(s.values.cidr_block, "")}`)}]`);
      }
      for (const nat of nats.filter((n) => subnetOf(plan, n, subnets)?.values.availability_zone === zone)) {
        lines.push(`      ${id(nat.address)}{{${label("NAT gateway")}}}`);
      }
      lines.push("    end");
    }
    for (const node of inside) {
      const shape = node.startsWith("database") ? `[(${label(node)})]` : `[${label(node)}]`;
      lines.push(`    ${id(node)}${shape}`);
    }
    lines.push("  end");
  }
  for (const e of edges) lines.push(`  ${id(e.from)} -->|${label(String(e.port))}| ${id(e.to)}`);
  return lines.join("\n");
}
