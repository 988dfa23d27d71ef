/**
 * The rules that judge who a security group admits compare ranges as ranges: "0:0:0:0:0:0:0:0/0" is "::/0" and
 * "::0/0" too, so a rule cannot open a port to every IPv6 address by spelling the range another way.
 */
import type { Attributes } from "../src/policy/stack-view";
import { flagged, json } from "./support/policy-rules";

const ssh = (peer: Attributes): Attributes => ({ ip_protocol: "tcp", from_port: 22, to_port: 22, description: "ssh", ...peer });

describe.each(["SG-NO-WORLD-ADMIN-PORTS", "SG-NO-WORLD-INGRESS"])("%s", (rule) => {
  test.each(["::/0", "0:0:0:0:0:0:0:0/0", "::0/0", "0000:0000::/0", "0::/0"])("flags SSH from %s, every IPv6 address", (cidr) => {
    // GIVEN an ingress rule for port 22 from the whole IPv6 internet, however written
    const resources = { aws_vpc_security_group_ingress_rule: { open: ssh({ cidr_ipv6: cidr }) } };
    // THEN the rule is flagged
    expect(flagged(rule, json(resources))).toEqual(["aws_vpc_security_group_ingress_rule.open"]);
  });

  test("flags the long form in the list attributes of legacy and inline rules too", () => {
    const resources = {
      aws_security_group_rule: { legacy: { type: "ingress", protocol: "tcp", from_port: 22, to_port: 22, ipv6_cidr_blocks: ["2001:db8::/32", "0:0:0:0:0:0:0:0/0"] } },
      aws_security_group: { inline: { ingress: [{ protocol: "tcp", from_port: 22, to_port: 22, cidr_blocks: ["0.0.0.0/0"] }] } },
    };
    expect(flagged(rule, json(resources))).toEqual(["aws_security_group.inline", "aws_security_group_rule.legacy"]);
  });

  test.each(["2001:db8::/32", "::/1", "::1/128", "203.0.113.7/32"])("leaves SSH from %s, a named range, alone", (cidr) => {
    const peer = cidr.includes(":") ? { cidr_ipv6: cidr } : { cidr_ipv4: cidr };
    expect(flagged(rule, json({ aws_vpc_security_group_ingress_rule: { named: ssh(peer) } }))).toEqual([]);
  });
});

test("SG-NO-WORLD-EGRESS sees the long form of ::/0 as the whole internet too", () => {
  const resources = { aws_vpc_security_group_egress_rule: { out: { ip_protocol: "-1", cidr_ipv6: "0:0:0:0:0:0:0:0/0", description: "all" } } };
  expect(flagged("SG-NO-WORLD-EGRESS", json(resources))).toEqual(["aws_vpc_security_group_egress_rule.out"]);
});
