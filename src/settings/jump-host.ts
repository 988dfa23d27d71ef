/** The jump host section (stage db on): the instance the lesson reaches the database from, and SSH to it. */
import { z } from "zod";
import { isWorld, normaliseRange, parseRange, rangeContains, rangesOverlap, readRange } from "../common/cidr";
import { flag, instanceType, keyPairName, section, sectionDefaults, show } from "./blocks";
import type { NetworkSettings } from "./network";

export const jumpHostSettings = section(
  {
    enable: flag(true, "A small instance to reach the database from (stage db on), through SSM Session Manager. @default true (the lesson has one)"),
    instanceType: instanceType('"t4g.nano" or "t3.micro"')
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

/** True when the jump host sits in a private subnet: NAT or endpoints give it a way to SSM without a public IP. */
export function jumpHostIsPrivate(s: { readonly network: Pick<NetworkSettings, "nat" | "enableVpcEndpoints"> }): boolean {
  return s.network.nat !== "none" || s.network.enableVpcEndpoints;
}

/**
 * SSH: a key pair to log in with, one range (compared as a range, so "0:0:0:0:0:0:0:0/0" is "::/0") that is not the
 * whole internet unless asked, written as Terraform takes it, and reachable from there.
 */
export function jumpHostProblems(s: { readonly jumpHost: JumpHostSettings; readonly network: NetworkSettings }): string[] {
  const problems: string[] = [];
  const { sshAllowedCidr: cidr, sshKeyPairName, enableSshFromAnywhere } = s.jumpHost;
  if (cidr === undefined) return problems;
  const reading = readRange(cidr);
  if (reading.kind === "invalid") {
    problems.push(`jumpHost.sshAllowedCidr: ${show(cidr)} is not a CIDR block; give one range such as "203.0.113.7/32" (your address); allowed: one IPv4 or IPv6 range`);
    return problems;
  }
  if (reading.kind === "host-bits") {
    problems.push(
      `jumpHost.sshAllowedCidr: ${show(cidr)} has host bits set, which Terraform refuses; allowed: the range's network address, ${show(reading.network)}, ` +
        `or the one address with its full prefix (/32 for IPv4, /128 for IPv6)`,
    );
    return problems;
  }
  if (sshKeyPairName === undefined) {
    problems.push(`jumpHost.sshAllowedCidr: ${show(cidr)} opens SSH, which needs jumpHost.sshKeyPairName (the EC2 key pair to log in with)`);
  }
  if (isWorld(cidr) && !enableSshFromAnywhere) {
    problems.push(
      `jumpHost.sshAllowedCidr: ${show(cidr)} opens SSH to the whole internet${cidr === reading.canonical ? "" : ` (it is ${reading.canonical})`}; ` +
        `give your own range such as "203.0.113.7/32", or set jumpHost.enableSshFromAnywhere to true to accept that`,
    );
  }
  const vpc = parseRange(s.network.cidr);
  if (jumpHostIsPrivate(s) && vpc && !rangeContains(vpc, reading.range)) {
    const where = rangesOverlap(vpc, reading.range) ? "reaches beyond" : "lies outside";
    problems.push(
      `jumpHost.sshAllowedCidr: ${show(cidr)} ${where} the VPC, but with network.nat or network.enableVpcEndpoints the jump host ` +
        `has no public IP, so SSH from outside cannot reach it; allowed: a range inside ${s.network.cidr} (a VPN or a peered network), ` +
        `or no sshAllowedCidr and Session Manager (an SSH ProxyCommand through it works too)`,
    );
  }
  return problems;
}

/**
 * The jump host section with its SSH range in the form AWS keeps ("0:0:0:0:0:0:0:0/0" becomes "::/0"): what the
 * construct and Terraform get, once the checks have judged (and named) the range as written.
 */
export function withCanonicalSshRange(jumpHost: JumpHostSettings): JumpHostSettings {
  const cidr = jumpHost.sshAllowedCidr;
  const canonical = cidr === undefined ? undefined : normaliseRange(cidr);
  return canonical === undefined || canonical === cidr ? jumpHost : { ...jumpHost, sshAllowedCidr: canonical };
}
