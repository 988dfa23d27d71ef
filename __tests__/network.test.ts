/**
 * The Network construct: one public and one private subnet per zone, and route tables that decide which
 * subnets reach the internet. Resources are found by the values the lesson gives them (CIDRs, zones),
 * never by construct ids, so the tests check the wiring rather than echo the code.
 */
import "cdktf/lib/testing/adapters/jest"; // types of the Testing matchers registered in setup.js
import { Testing, TerraformStack } from "cdktf";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Network } from "../src/constructs/network";
import type { NetworkSettings } from "../src/settings/network";
import {
  PRIVATE_CIDRS,
  PUBLIC_CIDRS,
  SynthesizedView,
  ZONES,
  ref,
  resourcesOf,
  subnetRef,
  synthesized,
  theOne,
  type Attributes,
} from "./support/synth";

const NAT_MODES: Array<NetworkSettings["nat"]> = ["none", "single", "perAz"];

// ---------------------------------------------------------------------------------------------

/** A view of one synthesized network: references to its parts, found by their lesson values. */
class SynthesizedNetwork extends SynthesizedView {
  subnetRef(cidr: string): string {
    return subnetRef(this.json, cidr);
  }

  zoneOf(subnetRef: string): unknown {
    return resourcesOf(this.json, Subnet).find(([id]) => ref(Subnet, id) === subnetRef)?.[1].availability_zone;
  }

  get vpcRef(): string {
    return ref(Vpc, theOne(this.json, Vpc)[0]);
  }

  get internetGatewayRef(): string {
    return ref(InternetGateway, theOne(this.json, InternetGateway)[0]);
  }

  /** The route table a subnet is associated with. */
  tableOf(subnetRef: string): string {
    return theOne(this.json, RouteTableAssociation, (a) => a.subnet_id === subnetRef)[1].route_table_id as string;
  }

  tableAttributes(tableRef: string): Attributes {
    return theOne(this.json, RouteTable, (_, id) => ref(RouteTable, id) === tableRef)[1];
  }

  /** The subnets associated with a route table, sorted. */
  subnetsOf(tableRef: string): string[] {
    return this.associations.filter((a) => a.route_table_id === tableRef).map((a) => a.subnet_id as string).sort();
  }

  routesOf(tableRef: string): Attributes[] {
    return resourcesOf(this.json, Route).map(([, route]) => route).filter((route) => route.route_table_id === tableRef);
  }

  natGatewayIn(subnetRef: string): [string, Attributes] {
    return theOne(this.json, NatGateway, (nat) => nat.subnet_id === subnetRef);
  }

  get associations(): Attributes[] {
    return resourcesOf(this.json, RouteTableAssociation).map(([, association]) => association);
  }

  get publicSubnetRefs(): string[] {
    return PUBLIC_CIDRS.map((cidr) => this.subnetRef(cidr));
  }

  get privateSubnetRefs(): string[] {
    return PRIVATE_CIDRS.map((cidr) => this.subnetRef(cidr));
  }

  /** The public route table: the one the first public subnet uses. */
  get publicTableRef(): string {
    return this.tableOf(this.publicSubnetRefs[0]);
  }

  /** The route table of each private subnet, in zone order. */
  get privateTableRefs(): string[] {
    return this.privateSubnetRefs.map((subnet) => this.tableOf(subnet));
  }
}

function synthNetwork(settings?: Partial<NetworkSettings>, availabilityZones = ZONES): SynthesizedNetwork {
  return new SynthesizedNetwork(
    synthesized(
      Testing.synthScope((scope) => {
        new Network(scope, "network", { availabilityZones, settings });
      }),
    ),
  );
}

function makeNetwork(settings?: Partial<NetworkSettings>): Network {
  const stack = new TerraformStack(Testing.app(), "test");
  return new Network(stack, "network", { availabilityZones: ZONES, settings });
}

// ---------------------------------------------------------------------------------------------

describe("the VPC", () => {
  test("is 10.0.0.0/16 named main, with DNS support and DNS host names", () => {
    // GIVEN the lesson defaults
    // WHEN the network is synthesized
    const network = synthNetwork();
    // THEN there is exactly one VPC, with the lesson's CIDR, DNS settings and Name tag
    expect(resourcesOf(network.json, Vpc)).toHaveLength(1);
    expect(network.text).toHaveResourceWithProperties(Vpc, {
      cidr_block: "10.0.0.0/16",
      enable_dns_support: true,
      enable_dns_hostnames: true,
      tags: expect.objectContaining({ Name: "main" }),
    });
  });

  test("has an internet gateway attached", () => {
    // GIVEN the lesson defaults
    const network = synthNetwork();
    // THEN exactly one internet gateway belongs to the VPC
    expect(resourcesOf(network.json, InternetGateway)).toHaveLength(1);
    expect(network.text).toHaveResourceWithProperties(InternetGateway, { vpc_id: network.vpcRef });
  });

  test("manages the default security group and leaves it without rules", () => {
    // GIVEN the lesson defaults
    const network = synthNetwork();
    // THEN the VPC's default security group is adopted
    const [, group] = theOne(network.json, DefaultSecurityGroup, (g) => g.vpc_id === network.vpcRef);
    // AND it holds no ingress and no egress rule (an adopted default group loses the rules it is not given)
    expect(group.ingress ?? []).toEqual([]);
    expect(group.egress ?? []).toEqual([]);
  });
});

describe("subnets", () => {
  test("three public subnets 10.0.0.0/24 to 10.0.2.0/24, named Public subnet a/b/c, one per zone", () => {
    // GIVEN the lesson defaults
    const network = synthNetwork();
    // THEN each public CIDR is a subnet of the VPC in its own zone, named after the zone letter
    const expected = [
      { cidr_block: "10.0.0.0/24", availability_zone: "eu-west-1a", tags: expect.objectContaining({ Name: "Public subnet a" }) },
      { cidr_block: "10.0.1.0/24", availability_zone: "eu-west-1b", tags: expect.objectContaining({ Name: "Public subnet b" }) },
      { cidr_block: "10.0.2.0/24", availability_zone: "eu-west-1c", tags: expect.objectContaining({ Name: "Public subnet c" }) },
    ];
    for (const subnet of expected) {
      expect(network.text).toHaveResourceWithProperties(Subnet, { ...subnet, vpc_id: network.vpcRef });
    }
  });

  test("three private subnets 10.0.3.0/24 to 10.0.5.0/24, named Private subnet a/b/c, one per zone", () => {
    // GIVEN the lesson defaults
    const network = synthNetwork();
    // THEN each private CIDR is a subnet of the VPC in its own zone, named after the zone letter
    const expected = [
      { cidr_block: "10.0.3.0/24", availability_zone: "eu-west-1a", tags: expect.objectContaining({ Name: "Private subnet a" }) },
      { cidr_block: "10.0.4.0/24", availability_zone: "eu-west-1b", tags: expect.objectContaining({ Name: "Private subnet b" }) },
      { cidr_block: "10.0.5.0/24", availability_zone: "eu-west-1c", tags: expect.objectContaining({ Name: "Private subnet c" }) },
    ];
    for (const subnet of expected) {
      expect(network.text).toHaveResourceWithProperties(Subnet, { ...subnet, vpc_id: network.vpcRef });
    }
  });

  test("there are exactly six subnets and none hands out public IPs on launch", () => {
    // GIVEN the lesson defaults
    const network = synthNetwork();
    // THEN there are the six subnets of the lesson, no more
    const subnets = resourcesOf(network.json, Subnet).map(([, subnet]) => subnet);
    expect(subnets.map((s) => s.cidr_block).sort()).toEqual([...PUBLIC_CIDRS, ...PRIVATE_CIDRS].sort());
    // AND every one of them says map_public_ip_on_launch = false explicitly
    for (const subnet of subnets) expect(subnet.map_public_ip_on_launch).toBe(false);
  });

  test("custom CIDRs, name and zones from props are used", () => {
    // GIVEN a network in two other zones with its own ranges and name
    const network = synthNetwork(
      {
        name: "lab",
        cidr: "172.16.0.0/16",
        publicSubnetCidrs: ["172.16.0.0/24", "172.16.1.0/24"],
        privateSubnetCidrs: ["172.16.10.0/24", "172.16.11.0/24"],
      },
      ["us-east-1d", "us-east-1f"],
    );
    // THEN the VPC takes the custom range and name
    expect(network.text).toHaveResourceWithProperties(Vpc, { cidr_block: "172.16.0.0/16", tags: expect.objectContaining({ Name: "lab" }) });
    // AND there are exactly the four custom subnets, in the given zones, named after their zone letters
    const subnets = resourcesOf(network.json, Subnet).map(([, s]) => [s.cidr_block, s.availability_zone, (s.tags as Attributes).Name]);
    expect(subnets.sort()).toEqual([
      ["172.16.0.0/24", "us-east-1d", "Public subnet d"],
      ["172.16.1.0/24", "us-east-1f", "Public subnet f"],
      ["172.16.10.0/24", "us-east-1d", "Private subnet d"],
      ["172.16.11.0/24", "us-east-1f", "Private subnet f"],
    ]);
  });

  test("the constructor throws when the settings give fewer public subnet CIDRs than zones", () => {
    // GIVEN three zones but only two public subnet CIDRs
    const settings: Partial<NetworkSettings> = { publicSubnetCidrs: PUBLIC_CIDRS.slice(0, 2) };
    // WHEN the network is built
    // THEN it names the setting, what was given and what is needed
    expect(() => makeNetwork(settings)).toThrow(/publicSubnetCidrs has 2 blocks for 3 availability zones; give one per zone/);
  });
});

describe("routing", () => {
  test("the public route table sends 0.0.0.0/0 to the internet gateway", () => {
    // GIVEN the lesson defaults
    const network = synthNetwork();
    // THEN the table of the public subnets is a table of the VPC with a default route to the internet gateway
    expect(network.tableAttributes(network.publicTableRef).vpc_id).toBe(network.vpcRef);
    expect(network.text).toHaveResourceWithProperties(Route, {
      route_table_id: network.publicTableRef,
      destination_cidr_block: "0.0.0.0/0",
      gateway_id: network.internetGatewayRef,
    });
  });

  test("the public route table is associated with exactly the three public subnets", () => {
    // GIVEN the lesson defaults
    const network = synthNetwork();
    // THEN the public table holds the three public subnets and no private one
    expect(network.subnetsOf(network.publicTableRef)).toEqual([...network.publicSubnetRefs].sort());
  });

  test("every subnet is associated with exactly one route table", () => {
    // GIVEN the lesson defaults
    const network = synthNetwork();
    // THEN there is one association per subnet, and each subnet appears once
    const associated = network.associations.map((a) => a.subnet_id).sort();
    expect(associated).toEqual([...network.publicSubnetRefs, ...network.privateSubnetRefs].sort());
  });

  test("each private subnet has its own route table, associated with no other subnet", () => {
    // GIVEN the lesson defaults
    const network = synthNetwork();
    // THEN the three private tables are distinct and none of them is the public table
    const privateTables = network.privateTableRefs;
    expect(new Set(privateTables).size).toBe(3);
    expect(privateTables).not.toContain(network.publicTableRef);
    // AND each holds only its own private subnet
    privateTables.forEach((table, i) => expect(network.subnetsOf(table)).toEqual([network.privateSubnetRefs[i]]));
  });

  test.each(NAT_MODES)("private subnets get no route to the internet gateway (nat: %s)", (nat) => {
    // GIVEN a network with the given NAT mode
    const network = synthNetwork({ nat });
    // THEN no route of a private table goes through an internet gateway
    for (const table of network.privateTableRefs) {
      expect(network.text).not.toHaveResourceWithProperties(Route, { route_table_id: table, gateway_id: expect.anything() });
      for (const route of network.routesOf(table)) expect(route.gateway_id).toBeUndefined();
    }
    // AND the private tables are associated only with private subnets
    const privateTableSubnets = network.privateTableRefs.flatMap((table) => network.subnetsOf(table));
    expect(privateTableSubnets.sort()).toEqual([...network.privateSubnetRefs].sort());
  });
});

describe("NAT", () => {
  test('with nat "none" there is no NAT gateway, no elastic IP and no route in the private tables', () => {
    // GIVEN the lesson default, nat "none"
    const network = synthNetwork({ nat: "none" });
    // THEN nothing costs money and the private tables route only inside the VPC
    expect(network.text).not.toHaveResource(NatGateway);
    expect(network.text).not.toHaveResource(Eip);
    for (const table of network.privateTableRefs) expect(network.routesOf(table)).toEqual([]);
  });

  test("the lesson default is no NAT", () => {
    // GIVEN no settings at all
    const network = synthNetwork();
    // THEN there is no NAT gateway
    expect(network.text).not.toHaveResource(NatGateway);
  });

  test("an explicit nat: undefined keeps the default: no NAT gateway and hasNat false", () => {
    // GIVEN settings that name nat but leave it undefined
    const settings: Partial<NetworkSettings> = { nat: undefined };
    // THEN the undefined never overrides the lesson default: there is no NAT gateway
    expect(synthNetwork(settings).text).not.toHaveResource(NatGateway);
    // AND the network says its private subnets do not reach the internet
    expect(makeNetwork(settings).hasNat).toBe(false);
  });

  test('with nat "single" there is one elastic IP and one NAT gateway, in the first public subnet', () => {
    // GIVEN a single NAT gateway
    const network = synthNetwork({ nat: "single" });
    // THEN there is exactly one of each
    expect(resourcesOf(network.json, Eip)).toHaveLength(1);
    expect(resourcesOf(network.json, NatGateway)).toHaveLength(1);
    // AND the NAT gateway sits in public subnet a and uses the elastic IP, which is a VPC address
    const [, nat] = network.natGatewayIn(network.subnetRef("10.0.0.0/24"));
    const [eipId] = theOne(network.json, Eip, () => true);
    expect(nat.allocation_id).toBe(ref(Eip, eipId, "allocation_id"));
    expect(network.text).toHaveResourceWithProperties(Eip, { domain: "vpc" });
  });

  test('with nat "single" every private table routes 0.0.0.0/0 to the one NAT gateway', () => {
    // GIVEN a single NAT gateway
    const network = synthNetwork({ nat: "single" });
    const [natId] = network.natGatewayIn(network.subnetRef("10.0.0.0/24"));
    // THEN each private table has exactly one route: the default route to that gateway
    for (const table of network.privateTableRefs) {
      expect(network.routesOf(table)).toEqual([
        expect.objectContaining({ destination_cidr_block: "0.0.0.0/0", nat_gateway_id: ref(NatGateway, natId) }),
      ]);
    }
  });

  test('with nat "perAz" there are three elastic IPs and three NAT gateways, one per public subnet', () => {
    // GIVEN one NAT gateway per zone
    const network = synthNetwork({ nat: "perAz" });
    // THEN there are three of each
    expect(resourcesOf(network.json, Eip)).toHaveLength(3);
    expect(resourcesOf(network.json, NatGateway)).toHaveLength(3);
    // AND each public subnet holds one NAT gateway, each with an elastic IP of its own
    const allocations = network.publicSubnetRefs.map((subnet) => network.natGatewayIn(subnet)[1].allocation_id);
    const eips = resourcesOf(network.json, Eip).map(([id]) => ref(Eip, id, "allocation_id"));
    expect([...allocations].sort()).toEqual(eips.sort());
  });

  test('with nat "perAz" each private table routes to the NAT gateway of its own zone', () => {
    // GIVEN one NAT gateway per zone
    const network = synthNetwork({ nat: "perAz" });
    // THEN the table of each private subnet sends 0.0.0.0/0 to the NAT gateway in the public subnet of the same zone
    network.privateSubnetRefs.forEach((privateSubnet, i) => {
      const publicSubnet = network.publicSubnetRefs[i];
      expect(network.zoneOf(publicSubnet)).toBe(network.zoneOf(privateSubnet));
      const [natId] = network.natGatewayIn(publicSubnet);
      expect(network.routesOf(network.tableOf(privateSubnet))).toEqual([
        expect.objectContaining({ destination_cidr_block: "0.0.0.0/0", nat_gateway_id: ref(NatGateway, natId) }),
      ]);
    });
  });

  test("NAT gateways are created after the internet gateway", () => {
    // GIVEN one NAT gateway per zone
    const network = synthNetwork({ nat: "perAz" });
    // THEN every NAT gateway depends on the internet gateway (AWS needs it to give the NAT a public route)
    const igw = network.internetGatewayRef.replace(/^\$\{(.*)\.id\}$/, "$1");
    for (const [, nat] of resourcesOf(network.json, NatGateway)) expect(nat.depends_on).toEqual([igw]);
  });
});

describe("hasNat and workloadSubnets", () => {
  test.each([
    ["none", false],
    ["single", true],
    ["perAz", true],
  ] as const)('with nat "%s", hasNat is %s', (nat, expected) => {
    // GIVEN a network with the given NAT mode
    const network = makeNetwork({ nat });
    // THEN hasNat says whether the private subnets reach the internet
    expect(network.hasNat).toBe(expected);
  });

  test("without NAT, workloads go in the public subnets", () => {
    // GIVEN the lesson default, no NAT
    const network = makeNetwork();
    // WHEN asking where internet-reachable workloads go
    const subnets = network.workloadSubnets;
    // THEN it is the three public subnets, in zone order
    expect(subnets.map(({ zone, subnet }) => [zone, subnet.cidrBlockInput])).toEqual([
      ["eu-west-1a", "10.0.0.0/24"],
      ["eu-west-1b", "10.0.1.0/24"],
      ["eu-west-1c", "10.0.2.0/24"],
    ]);
  });

  test.each(["single", "perAz"] as const)("with NAT (%s), workloads go in the private subnets", (nat) => {
    // GIVEN a network with NAT
    const network = makeNetwork({ nat });
    // WHEN asking where internet-reachable workloads go
    const subnets = network.workloadSubnets;
    // THEN it is the three private subnets, in zone order
    expect(subnets.map(({ zone, subnet }) => [zone, subnet.cidrBlockInput])).toEqual([
      ["eu-west-1a", "10.0.3.0/24"],
      ["eu-west-1b", "10.0.4.0/24"],
      ["eu-west-1c", "10.0.5.0/24"],
    ]);
  });
});
