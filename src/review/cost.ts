/**
 * An estimated monthly cost of a stage before and after the plan, from a small price table. It prices what
 * the lesson runs: Fargate vCPU and memory, EC2 instances (the jump host, and an Auto Scaling group's ECS
 * instances) with their gp3 root volumes, RDS instance hours and gp3 storage, load balancer hours with an
 * assumed LCU load, NAT gateway hours, VPC interface endpoint hours and public IPv4 addresses. Data transfer
 * and data processing are not included.
 */
import { configReferences, planRegion, resourcesOn, unknownAt, valueAt, type AttributePath, type PlanJson, type ResourceState, type Side } from "./plan";

export interface RegionPrices {
  /** Fargate, Linux/x86, per vCPU-hour and per GB-hour. */
  readonly fargateVcpuHour: number;
  readonly fargateGbHour: number;
  /** RDS for PostgreSQL, single-AZ on-demand, per instance-hour, by class. */
  readonly postgresHour: Readonly<Record<string, number>>;
  /** RDS gp3 storage per GB-month (single-AZ). */
  readonly rdsGp3GbMonth: number;
  readonly albHour: number;
  readonly albLcuHour: number;
  readonly natGatewayHour: number;
  /** Every public IPv4 address, in use or idle. */
  readonly publicIpv4Hour: number;
  /** EC2 on-demand Linux, per instance-hour, by type (the jump host; the ECS instances of service.launchType "EC2"). */
  readonly ec2Hour: Readonly<Record<string, number>>;
  /** EBS gp3 volumes per GB-month. */
  readonly ebsGp3GbMonth: number;
  /** A VPC interface endpoint, per zone it is in, per hour; and the data it processes, per GB (not estimated). */
  readonly interfaceEndpointHour: number;
  readonly interfaceEndpointGb: number;
}

// source: the AWS on-demand price pages (aws.amazon.com/fargate/pricing, /rds/postgresql/pricing, /elasticloadbalancing/pricing,
// /vpc/pricing, /privatelink/pricing, /ec2/pricing/on-demand, /ebs/pricing), recorded 2026-11-22 from the published rates the author
// knew; this machine could not open them, so verify a figure before relying on it. Prices change: update the table and PRICE_DATE together.
export const PRICE_DATE = "2026-11-22";
export const PRICE_SOURCE =
  "AWS on-demand price pages for Fargate, RDS for PostgreSQL, Elastic Load Balancing, VPC (NAT gateway, public IPv4), PrivateLink (interface endpoints), EC2 and EBS";
export const PRICES: Readonly<Record<string, RegionPrices>> = {
  "eu-west-1": {
    fargateVcpuHour: 0.04048,
    fargateGbHour: 0.004445,
    postgresHour: { "db.t4g.micro": 0.017, "db.t3.micro": 0.019, "db.t4g.small": 0.034, "db.t3.small": 0.038 },
    rdsGp3GbMonth: 0.127,
    albHour: 0.0252,
    albLcuHour: 0.008,
    natGatewayHour: 0.048,
    publicIpv4Hour: 0.005,
    ec2Hour: { "t3.nano": 0.0057, "t3.micro": 0.0114, "t3.small": 0.0228, "t3.medium": 0.0456, "t4g.nano": 0.0046, "t4g.micro": 0.0092, "t4g.small": 0.0184, "t4g.medium": 0.0368 },
    ebsGp3GbMonth: 0.088,
    interfaceEndpointHour: 0.011,
    interfaceEndpointGb: 0.01,
  },
  "us-east-1": {
    fargateVcpuHour: 0.04048,
    fargateGbHour: 0.004445,
    postgresHour: { "db.t4g.micro": 0.016, "db.t3.micro": 0.018, "db.t4g.small": 0.032, "db.t3.small": 0.036 },
    rdsGp3GbMonth: 0.115,
    albHour: 0.0225,
    albLcuHour: 0.008,
    natGatewayHour: 0.045,
    publicIpv4Hour: 0.005,
    ec2Hour: { "t3.nano": 0.0052, "t3.micro": 0.0104, "t3.small": 0.0208, "t3.medium": 0.0416, "t4g.nano": 0.0042, "t4g.micro": 0.0084, "t4g.small": 0.0168, "t4g.medium": 0.0336 },
    ebsGp3GbMonth: 0.08,
    interfaceEndpointHour: 0.01,
    interfaceEndpointGb: 0.01,
  },
  "eu-central-1": {
    fargateVcpuHour: 0.04656,
    fargateGbHour: 0.00511,
    postgresHour: { "db.t4g.micro": 0.019, "db.t3.micro": 0.021, "db.t4g.small": 0.038, "db.t3.small": 0.041 },
    rdsGp3GbMonth: 0.137,
    albHour: 0.027,
    albLcuHour: 0.008,
    natGatewayHour: 0.052,
    publicIpv4Hour: 0.005,
    ec2Hour: { "t3.nano": 0.006, "t3.micro": 0.012, "t3.small": 0.024, "t3.medium": 0.048, "t4g.nano": 0.0048, "t4g.micro": 0.0096, "t4g.small": 0.0192, "t4g.medium": 0.0384 },
    ebsGp3GbMonth: 0.0952,
    interfaceEndpointHour: 0.012,
    interfaceEndpointGb: 0.01,
  },
};

export const HOURS_PER_MONTH = 730;
/** Load balancer capacity units assumed per hour: a lesson's light traffic fits in one. */
export const ASSUMED_LCUS = 1;

export interface CostLine {
  readonly address: string;
  readonly item: string;
  readonly monthly: number;
}

export interface Cost {
  readonly currency: "USD";
  readonly region: string | null;
  /** Where the prior state's resources run, when another region than `region`: "before" is priced there. */
  readonly regionBefore?: string;
  /** After the change; null when the region has no prices. */
  readonly monthly: number | null;
  readonly monthlyBefore: number | null;
  readonly priceDate: string;
  readonly priceSource: string;
  readonly assumptions: string[];
  readonly lines: CostLine[];
  readonly linesBefore: CostLine[];
  /** Things that cost money that the table has no price for. */
  readonly unpriced: string[];
}

const round = (n: number) => Math.round(n * 100) / 100;

function num(value: unknown): number {
  return typeof value === "number" ? value : Number(value ?? 0);
}

class Pricing {
  private readonly resources: ResourceState[];
  private readonly ids = new Map<string, ResourceState>();
  readonly lines: CostLine[] = [];
  readonly unpriced: string[] = [];

  constructor(private readonly plan: PlanJson, side: Side, private readonly p: RegionPrices) {
    this.resources = resourcesOn(plan, side);
    for (const r of this.resources) for (const k of ["id", "arn"]) if (typeof r.values[k] === "string") this.ids.set(r.values[k] as string, r);
    for (const r of this.resources) this.price(r);
  }

  private line(address: string, item: string, hourly: number): void {
    this.lines.push({ address, item, monthly: round(hourly * HOURS_PER_MONTH) });
  }

  /**
   * The resource an attribute points at, by known id or ARN, else by the configuration's reference, else the
   * first of its type in the same module.
   */
  private target(r: ResourceState, attribute: string | AttributePath, type: string): ResourceState | undefined {
    const path = typeof attribute === "string" ? [attribute] : attribute;
    const value = valueAt(r.values, path);
    if (!unknownAt(r.unknown, path) && typeof value === "string" && this.ids.has(value)) return this.ids.get(value);
    const [address] = configReferences(this.plan, r.address, path).filter((a) => a.startsWith(`${type}.`));
    const module = r.address.slice(0, r.address.lastIndexOf(`${r.type}.`));
    return this.resources.find((x) => x.address === address) ?? this.resources.filter((x) => x.type === type && x.address.startsWith(module)).at(0);
  }

  private count(r: ResourceState, attribute: string): number {
    const value = r.values[attribute];
    if (Array.isArray(value) && !unknownAt(r.unknown, [attribute])) return value.length;
    return configReferences(this.plan, r.address, [attribute]).length;
  }

  private price(r: ResourceState): void {
    const v = r.values;
    const p = this.p;
    if (r.type === "aws_ecs_service" && v.launch_type === "FARGATE") {
      const task = this.target(r, "task_definition", "aws_ecs_task_definition");
      const tasks = num(v.desired_count);
      const vcpu = num(task?.values.cpu) / 1024;
      const gb = num(task?.values.memory) / 1024;
      this.line(r.address, `Fargate: ${tasks} task(s) x ${vcpu} vCPU, ${gb} GB`, tasks * (vcpu * p.fargateVcpuHour + gb * p.fargateGbHour));
      if (valueAt(v, ["network_configuration", 0, "assign_public_ip"]) === true) {
        this.line(r.address, `public IPv4: ${tasks} task(s) with a public IP`, tasks * p.publicIpv4Hour);
      }
    } else if (r.type === "aws_db_instance") {
      const copies = v.multi_az === true ? 2 : 1;
      const hourly = p.postgresHour[String(v.instance_class)];
      if (v.engine !== "postgres" || hourly === undefined) this.unpriced.push(`${r.address}: ${String(v.engine)} ${String(v.instance_class)}`);
      else this.line(r.address, `RDS PostgreSQL ${String(v.instance_class)}${copies === 2 ? " Multi-AZ" : ""}`, copies * hourly);
      if (v.storage_type !== "gp3") this.unpriced.push(`${r.address}: ${String(v.storage_type)} storage`);
      else this.line(r.address, `RDS gp3 storage: ${num(v.allocated_storage)} GiB${copies === 2 ? " x 2" : ""}`, (copies * num(v.allocated_storage) * p.rdsGp3GbMonth) / HOURS_PER_MONTH);
    } else if ((r.type === "aws_lb" || r.type === "aws_alb") && v.load_balancer_type === "application") {
      this.line(r.address, `Application Load Balancer, ${ASSUMED_LCUS} LCU`, p.albHour + ASSUMED_LCUS * p.albLcuHour);
      if (v.internal === false) {
        const zones = this.count(r, "subnets");
        this.line(r.address, `public IPv4: load balancer in ${zones} zone(s)`, zones * p.publicIpv4Hour);
      }
    } else if (r.type === "aws_autoscaling_group") {
      this.priceInstances(r);
    } else if (r.type === "aws_instance") {
      this.priceInstance(r);
    } else if (r.type === "aws_vpc_endpoint" && v.vpc_endpoint_type === "Interface") {
      const zones = this.count(r, "subnet_ids");
      const service = String(v.service_name).split(".").slice(3).join(".");
      this.line(r.address, `VPC interface endpoint ${service}: ${zones} zone(s)`, zones * p.interfaceEndpointHour);
    } else if (r.type === "aws_nat_gateway") {
      this.line(r.address, "NAT gateway", p.natGatewayHour);
    } else if (r.type === "aws_eip") {
      this.line(r.address, "public IPv4: Elastic IP", p.publicIpv4Hour);
    }
  }

  /** An Auto Scaling group's instances at its desired capacity, from its launch template: hours, root volume, public IP. */
  private priceInstances(r: ResourceState): void {
    const p = this.p;
    const template = this.target(r, ["launch_template", 0, "id"], "aws_launch_template")?.values ?? {};
    const type = String(template.instance_type);
    const instances = num(r.values.desired_capacity ?? r.values.min_size);
    const hourly = p.ec2Hour[type];
    if (hourly === undefined) this.unpriced.push(`${r.address}: EC2 ${type}`);
    else this.line(r.address, `EC2: ${instances} x ${type}`, instances * hourly);
    this.priceRootVolumes(r, template, instances);
    if (valueAt(template, ["network_interfaces", 0, "associate_public_ip_address"]) === "true") {
      this.line(r.address, `public IPv4: ${instances} instance(s) with a public IP`, instances * p.publicIpv4Hour);
    }
  }

  /** An instance: its type is its own, or its launch template's; its root volume is its launch template's. */
  private priceInstance(r: ResourceState): void {
    const v = r.values;
    const template = this.target(r, ["launch_template", 0, "id"], "aws_launch_template")?.values ?? {};
    const own = unknownAt(r.unknown, ["instance_type"]) ? undefined : v.instance_type;
    const type = String(own ?? template.instance_type);
    const hourly = this.p.ec2Hour[type];
    if (hourly === undefined) this.unpriced.push(`${r.address}: EC2 ${type}`);
    else this.line(r.address, `EC2 ${type}`, hourly);
    this.priceRootVolumes(r, template, 1);
    if (v.associate_public_ip_address === true) this.line(r.address, "public IPv4: instance with a public IP", this.p.publicIpv4Hour);
  }

  /** The gp3 root volumes a launch template gives each of `instances`. */
  private priceRootVolumes(r: ResourceState, template: Record<string, unknown>, instances: number): void {
    const rootGiB = num(valueAt(template, ["block_device_mappings", 0, "ebs", 0, "volume_size"]));
    if (rootGiB > 0) this.line(r.address, `EBS gp3: ${instances} x ${rootGiB} GiB`, (instances * rootGiB * this.p.ebsGp3GbMonth) / HOURS_PER_MONTH);
  }

  get total(): number {
    return round(this.lines.reduce((sum, l) => sum + l.monthly, 0));
  }
}

/** The stage's cost after the plan in `region`, and before it where the prior state runs (`priorRegion`, when it is another). */
export function cost(plan: PlanJson, regionOverride?: string, priorRegion?: string): Cost {
  const region = regionOverride ?? planRegion(plan) ?? null;
  const regionBefore = priorRegion && priorRegion !== region ? priorRegion : undefined;
  const prices = region ? PRICES[region] : undefined;
  const pricesBefore = regionBefore ? PRICES[regionBefore] : prices;
  const assumptions = [
    `${HOURS_PER_MONTH} hours a month, on-demand prices in USD`,
    "data transfer, requests, logs and backups beyond the free allowance are not included",
    "an instance's root volume is priced only where its launch template sets the size (not the jump host's, the image's default)",
    `the load balancer carries ${ASSUMED_LCUS} LCU an hour`,
    "a service runs its desired count all month (with auto scaling: the desired count it starts with)",
  ];
  const known = Object.keys(PRICES).join(", ");
  if (regionBefore) assumptions.push(`before the change the stage runs in ${regionBefore}, and is priced there${pricesBefore ? "" : `: no prices for it; the table has ${known}`}`);
  if (!prices) {
    return {
      currency: "USD",
      region,
      ...(regionBefore && { regionBefore }),
      monthly: null,
      monthlyBefore: null,
      priceDate: PRICE_DATE,
      priceSource: PRICE_SOURCE,
      assumptions: [...assumptions, `no prices for region ${region ?? "(unknown)"}; the table has ${known}`],
      lines: [],
      linesBefore: [],
      unpriced: [],
    };
  }
  assumptions.push(`VPC interface endpoints: hours only; the data they process ($${prices.interfaceEndpointGb} per GB) is not included`);
  const after = new Pricing(plan, "after", prices);
  const before = pricesBefore ? new Pricing(plan, "before", pricesBefore) : undefined;
  return {
    currency: "USD",
    region,
    ...(regionBefore && { regionBefore }),
    monthly: after.total,
    monthlyBefore: before ? before.total : null,
    priceDate: PRICE_DATE,
    priceSource: PRICE_SOURCE,
    assumptions,
    lines: after.lines,
    linesBefore: before?.lines ?? [],
    unpriced: [...new Set([...after.unpriced, ...(before?.unpriced ?? [])])],
  };
}
