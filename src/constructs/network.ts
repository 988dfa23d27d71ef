/**
 * The lesson's network: a VPC with one public and one private subnet per availability zone. Route tables
 * are what make a subnet public: the public table sends 0.0.0.0/0 to the internet gateway; the private
 * tables route only inside the VPC, unless NAT gateways are switched on.
 */
import { Construct } from "constructs";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { withDefaults } from "../settings/blocks";
import { NETWORK_DEFAULTS, type NetworkSettings } from "../settings/network";
import { REASONS } from "../policy/reasons";
import { waive } from "../policy/waivers";

export interface NetworkProps {
  /** Availability zones, one public and one private subnet each, in the order of the subnet CIDRs. */
  readonly availabilityZones: string[];
  /** CIDRs, names and NAT mode. @default - the lesson's network: 10.0.0.0/16 "main", no NAT */
  readonly settings?: Partial<NetworkSettings>;
}

/** A subnet with the zone it lives in. */
export interface ZonalSubnet {
  readonly zone: string;
  readonly subnet: Subnet;
}

export class Network extends Construct {
  readonly vpc: Vpc;
  readonly publicSubnets: ZonalSubnet[];
  readonly privateSubnets: ZonalSubnet[];
  readonly internetGateway: InternetGateway;
  readonly publicRouteTable: RouteTable;
  /** One per zone; each routes 0.0.0.0/0 to a NAT gateway only when NAT is on. */
  readonly privateRouteTables: RouteTable[];
  readonly natGateways: NatGateway[];
  /** The VPC's CIDR block, as configured (a new block replaces the VPC). */
  readonly cidr: string;
  /** True when the private subnets can reach the internet through NAT. */
  readonly hasNat: boolean;
  /** True when VPC endpoints (vpc-endpoints.ts) give the private subnets a way to the AWS services. */
  readonly hasVpcEndpoints: boolean;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const settings = withDefaults(NETWORK_DEFAULTS, props.settings);
    const zones = props.availabilityZones;
    for (const kind of ["publicSubnetCidrs", "privateSubnetCidrs"] as const) {
      if (settings[kind].length !== zones.length) {
        throw new Error(`Network: ${kind} has ${settings[kind].length} blocks for ${zones.length} availability zones; give one per zone`);
      }
    }
    const letter = (zone: string) => zone.slice(-1);
    this.hasNat = settings.nat !== "none";
    this.hasVpcEndpoints = settings.enableVpcEndpoints;
    this.cidr = settings.cidr;

    this.vpc = new Vpc(this, "vpc", {
      cidrBlock: settings.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: settings.name },
    });
    waive(this.vpc, "VPC-FLOW-LOGS", REASONS.paidMonitoring);
    // The default group admits all traffic between its members; nothing of ours uses it, so it holds no rules.
    new DefaultSecurityGroup(this, "default-security-group", {
      vpcId: this.vpc.id,
      tags: { Name: `${settings.name} default (no rules)` },
    });

    const subnets = (kind: "public" | "private", cidrs: string[]) =>
      zones.map((zone, i) => ({
        zone,
        subnet: new Subnet(this, `${kind}-subnet-${letter(zone)}`, {
          vpcId: this.vpc.id,
          availabilityZone: zone,
          cidrBlock: cidrs[i],
          mapPublicIpOnLaunch: false,
          tags: { Name: `${kind === "public" ? "Public" : "Private"} subnet ${letter(zone)}` },
        }),
      }));
    this.publicSubnets = subnets("public", settings.publicSubnetCidrs);
    this.privateSubnets = subnets("private", settings.privateSubnetCidrs);

    this.internetGateway = new InternetGateway(this, "internet-gateway", {
      vpcId: this.vpc.id,
      tags: { Name: settings.name },
    });
    this.publicRouteTable = new RouteTable(this, "public-route-table", {
      vpcId: this.vpc.id,
      tags: { Name: "Public route table" },
    });
    new Route(this, "public-internet-route", {
      routeTableId: this.publicRouteTable.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: this.internetGateway.id,
    });
    for (const { zone, subnet } of this.publicSubnets) {
      new RouteTableAssociation(this, `public-${letter(zone)}`, { subnetId: subnet.id, routeTableId: this.publicRouteTable.id });
    }

    const natZones = settings.nat === "perAz" ? this.publicSubnets : settings.nat === "single" ? this.publicSubnets.slice(0, 1) : [];
    this.natGateways = natZones.map(({ zone, subnet }) => {
      const address = new Eip(this, `nat-ip-${letter(zone)}`, { domain: "vpc", tags: { Name: `NAT ${letter(zone)}` } });
      return new NatGateway(this, `nat-gateway-${letter(zone)}`, {
        allocationId: address.allocationId,
        subnetId: subnet.id,
        tags: { Name: `NAT ${letter(zone)}` },
        dependsOn: [this.internetGateway],
      });
    });

    this.privateRouteTables = this.privateSubnets.map(({ zone, subnet }, i) => {
      const table = new RouteTable(this, `private-route-table-${letter(zone)}`, {
        vpcId: this.vpc.id,
        tags: { Name: `Private route table ${letter(zone)}` },
      });
      new RouteTableAssociation(this, `private-${letter(zone)}`, { subnetId: subnet.id, routeTableId: table.id });
      if (this.natGateways.length > 0) {
        new Route(this, `private-nat-route-${letter(zone)}`, {
          routeTableId: table.id,
          destinationCidrBlock: "0.0.0.0/0",
          natGatewayId: this.natGateways[Math.min(i, this.natGateways.length - 1)].id,
        });
      }
      return table;
    });
  }

  /** Where workloads that call AWS go: public subnets without NAT or VPC endpoints, private subnets with either. */
  get workloadSubnets(): ZonalSubnet[] {
    return this.hasNat || this.hasVpcEndpoints ? this.privateSubnets : this.publicSubnets;
  }
}
