/** The jump host section (stage db on): the instance the lesson reaches the database from, and SSH to it. */
import { z } from "zod";
import { WORLD_IPV4, WORLD_IPV6, overlaps, parseCidr } from "../common/cidr";
import { flag, keyPairName, pattern, section, sectionDefaults, show } from "./blocks";
import type { NetworkSettings } from "./network";

export const jumpHostSettings = section(
  {
    enable: flag(true, "A small instance to reach the database from (stage db on), through SSM Session Manager. @default true (the lesson has one)"),
    instanceType: pattern(/^[a-z][a-z0-9-]*\d[a-z0-9-]*\.(nano|micro|small|medium|large|\d*xlarge|metal(-\d+xl)?)$/, 'must be an EC2 instance type such as "t4g.nano" or "t3.micro"')
      .default("t4g.nano")
      .describe('EC2 instance type; Graviton types (t4g, m7g ...) get the arm64 Amazon Linux 2023 image, others the x86_64 one. @default "t4g.nano"'),
    sshKeyPairName: keyPairName()
      .optional()
      .describe("EC2 key pair for SSH, the lesson's way; Session Manager needs none. @default - no key pair"),
    sshAllowedCidr: z
      .string({ error: "must be a CIDR block such as 203.0.113.7/32" })
      .optional()
      .describe("The one range SSH (port 22) is admitted from; needs sshKeyPairName. @default - no SSH"),
    enableSshFromAnywhere: flag(false, "Allow 0.0.0.0/0 or ::/0 as sshAllowedCidr. @default false"),
  },
  "The jump host that reaches the database (stage db).",
);

export type JumpHostSettings = z.output<typeof jumpHostSettings>;
export const JUMP_HOST_DEFAULTS = sectionDefaults(jumpHostSettings);

const WORLD_CIDRS = [WORLD_IPV4, WORLD_IPV6];
const IPV6_CIDR = /^[0-9a-f:]*:[0-9a-f:]*\/(\d|[1-9]\d|1[01]\d|12[0-8])$/i;

/** True when the jump host sits in a private subnet: NAT or endpoints give it a way to SSM without a public IP. */
export function jumpHostIsPrivate(s: { readonly network: Pick<NetworkSettings, "nat" | "enableVpcEndpoints"> }): boolean {
  return s.network.nat !== "none" || s.network.enableVpcEndpoints;
}

/** SSH: a key pair to log in with, one range that is not the whole internet unless asked, reachable from there. */
export function jumpHostProblems(s: { readonly jumpHost: JumpHostSettings; readonly network: NetworkSettings }): string[] {
  const problems: string[] = [];
  const { sshAllowedCidr: cidr, sshKeyPairName, enableSshFromAnywhere } = s.jumpHost;
  if (cidr === undefined) return problems;
  const ipv4 = parseCidr(cidr);
  if (!ipv4 && !IPV6_CIDR.test(cidr)) {
    problems.push(`jumpHost.sshAllowedCidr: ${show(cidr)} is not a CIDR block; give one range such as "203.0.113.7/32" (your address)`);
    return problems;
  }
  if (sshKeyPairName === undefined) {
    problems.push(`jumpHost.sshAllowedCidr: ${show(cidr)} opens SSH, which needs jumpHost.sshKeyPairName (the EC2 key pair to log in with)`);
  }
  if (WORLD_CIDRS.includes(cidr.toLowerCase()) && !enableSshFromAnywhere) {
    problems.push(
      `jumpHost.sshAllowedCidr: ${show(cidr)} opens SSH to the whole internet; give your own range such as "203.0.113.7/32", ` +
        `or set jumpHost.enableSshFromAnywhere to true to accept that`,
    );
  }
  const vpc = parseCidr(s.network.cidr);
  if (jumpHostIsPrivate(s) && vpc && !(ipv4 && overlaps(vpc, ipv4))) {
    problems.push(
      `jumpHost.sshAllowedCidr: ${show(cidr)} lies outside the VPC, but with network.nat or network.enableVpcEndpoints the jump host ` +
        `has no public IP, so SSH from there cannot reach it; use Session Manager (an SSH ProxyCommand through it works too), or a range inside ${s.network.cidr}`,
    );
  }
  return problems;
}
