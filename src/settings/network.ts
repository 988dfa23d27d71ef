/**
 * The network section (stage vpc-only): the VPC, its subnets, NAT and VPC endpoints. Subnets left out are
 * carved from the VPC, one public and one private per zone; the checks keep every subnet inside the VPC,
 * apart from the others and within the sizes AWS allows.
 */
import { z } from "zod";
import { carve, contains, overlaps, parseCidr, type Cidr } from "../common/cidr";
import { defaultZones } from "./facts/regions";
import { deepFreeze, flag, oneOf, section, show } from "./blocks";
import { LESSON_REGION } from "./stage";

const cidrBlock = z.string({ error: "must be an IPv4 CIDR block such as 10.0.0.0/16" }).describe("IPv4 CIDR block");
const cidrList = (description: string) =>
  z.array(cidrBlock, { error: "must be a list of IPv4 CIDR blocks" }).optional().describe(description);

export const networkSettings = section(
  {
    name: z.string({ error: "must be a non-empty string" }).min(1, { error: "must be a non-empty string" }).default("main").describe('Name tag of the VPC. @default "main"'),
    cidr: cidrBlock.default("10.0.0.0/16").describe('VPC CIDR block. @default "10.0.0.0/16"'),
    publicSubnetCidrs: cidrList(
      "One public subnet per availability zone, in zone order. @default the VPC's first blocks 8 bits smaller (at most /28), one per zone: 10.0.0.0/24, 10.0.1.0/24, 10.0.2.0/24",
    ),
    privateSubnetCidrs: cidrList(
      "One private subnet per availability zone, in zone order. @default the blocks after the public ones: 10.0.3.0/24, 10.0.4.0/24, 10.0.5.0/24",
    ),
    nat: oneOf(
      ["none", "single", "perAz"],
      "none",
      'NAT gateways for the private subnets: "none" (the lesson: no cost), "single" (one, in the first zone) or "perAz" (one per zone). From stage alb on, NAT moves the tasks into the private subnets; in fargate they stay public, as the lesson browses to them.',
    ),
    enableVpcEndpoints: flag(
      false,
      "Interface endpoints (ECR api and dkr, CloudWatch Logs, Secrets Manager, SSM, SSM messages, EC2 messages) in the private subnets and the S3 gateway endpoint: like NAT, they move the tasks (from stage alb on) and the jump host into the private subnets without public IPs. Without NAT the tasks cannot reach public.ecr.aws, so service.imageSource must be \"repository\". @default false",
    ),
  },
  "The VPC and its subnets (stage vpc-only).",
);

type ParsedNetwork = z.output<typeof networkSettings>;
/** The network with its subnets decided. */
export type NetworkSettings = Required<ParsedNetwork>;
export type NatMode = NetworkSettings["nat"];

/** Subnets left out are consecutive blocks of the VPC 8 bits smaller (at most /28), public first, one per zone. */
export function withSubnets(network: ParsedNetwork, zones: readonly string[], problems: string[]): NetworkSettings {
  const { publicSubnetCidrs, privateSubnetCidrs } = network;
  let blocks: string[] = [];
  const vpc = parseCidr(network.cidr);
  if (vpc && (!publicSubnetCidrs || !privateSubnetCidrs)) {
    const prefixLength = Math.min(vpc.prefixLength + 8, 28);
    const carved = carve(vpc, prefixLength, 2 * zones.length);
    if (carved) blocks = carved;
    else {
      problems.push(
        `network.cidr: ${show(network.cidr)} has no room for ${2 * zones.length} /${prefixLength} subnets; ` +
          `give network.publicSubnetCidrs and network.privateSubnetCidrs, or a larger VPC`,
      );
    }
  }
  return {
    ...network,
    publicSubnetCidrs: publicSubnetCidrs ?? blocks.slice(0, zones.length),
    privateSubnetCidrs: privateSubnetCidrs ?? blocks.slice(zones.length),
  };
}

/** The lesson's network: 10.0.0.0/16 with its six /24 subnets in the lesson region's three zones. */
export const NETWORK_DEFAULTS: Readonly<NetworkSettings> = deepFreeze(withSubnets(networkSettings.parse(undefined), defaultZones(LESSON_REGION) ?? [], []));

export function subnetProblems(s: { readonly network: NetworkSettings; readonly availabilityZones: readonly string[] }): string[] {
  const problems: string[] = [];
  const vpc = parseCidr(s.network.cidr);
  if (!vpc) {
    problems.push(`network.cidr: ${show(s.network.cidr)} is not an IPv4 CIDR block (example: 10.0.0.0/16)`);
  } else if (vpc.prefixLength < 16 || vpc.prefixLength > 28) {
    problems.push(`network.cidr: ${show(s.network.cidr)} has a /${vpc.prefixLength} mask; AWS allows VPCs from /16 to /28`);
  }
  const subnets: Array<{ setting: string; cidr: Cidr }> = [];
  for (const kind of ["publicSubnetCidrs", "privateSubnetCidrs"] as const) {
    const list = s.network[kind];
    if (list.length !== s.availabilityZones.length) {
      problems.push(
        `network.${kind}: ${show(list)} has ${list.length} subnets but availabilityZones names ${s.availabilityZones.length}; give one per zone`,
      );
    }
    for (const [i, text] of list.entries()) {
      const setting = `network.${kind}[${i}]`;
      const cidr = parseCidr(text);
      const clash = cidr && subnets.find((other) => overlaps(other.cidr, cidr));
      if (!cidr) problems.push(`${setting}: ${show(text)} is not an IPv4 CIDR block (example: 10.0.1.0/24)`);
      else if (cidr.prefixLength > 28) problems.push(`${setting}: ${show(text)} is smaller than /28, the smallest subnet AWS allows`);
      else if (vpc && !contains(vpc, cidr)) problems.push(`${setting}: ${show(text)} lies outside the VPC ${s.network.cidr}`);
      else if (clash) problems.push(`${setting}: ${show(text)} overlaps ${clash.setting} (${clash.cidr.text})`);
      else subnets.push({ setting, cidr });
    }
  }
  return problems;
}

