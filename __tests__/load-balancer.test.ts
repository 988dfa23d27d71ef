/**
 * The LoadBalancer construct: an internet-facing ALB in the public subnets, the only security group open to
 * the internet, an ip-type target group for Fargate tasks and an HTTP listener between them. Most tests read
 * the alb stage as the lesson builds it; the zone check and the url use a bare stack. Resources are found by
 * the values the lesson gives them and by the references between them, not by construct ids.
 */
import "cdktf/lib/testing/adapters/jest"; // types of the Testing matchers registered in setup.js
import { Testing, TerraformOutput, TerraformStack } from "cdktf";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { LoadBalancer } from "../src/constructs/load-balancer/load-balancer";
import { StageNames } from "../src/common/naming";
import { Network } from "../src/constructs/network";
import {
  PRIVATE_CIDRS,
  PUBLIC_CIDRS,
  ref,
  resourcesOf,
  rulesOn,
  subnetRef,
  synthesizedStack,
  synthesizedStage,
  theOne,
  type Attributes,
  type Synthesized,
  type SynthesizedStack,
} from "./support/synth";

/** AWS limit for ALB and target group names. */
const MAX_NAME_LENGTH = 32;

// ---------------------------------------------------------------------------------------------
// Reading the synthesized Terraform JSON.

/** The security group of the ALB: the only one its security_groups lists. */
function albGroupRef(json: Synthesized): string {
  const groups = theOne(json, Lb)[1].security_groups;
  expect(groups).toHaveLength(1);
  return (groups as string[])[0];
}

function targetGroupOf(json: Synthesized): Attributes {
  return theOne(json, LbTargetGroup)[1];
}

/** The two rules the lesson opens to the internet, on `port`. */
function internetRules(port: number): unknown[] {
  return [
    expect.objectContaining({ cidr_ipv4: "0.0.0.0/0", ip_protocol: "tcp", from_port: port, to_port: port }),
    expect.objectContaining({ cidr_ipv6: "::/0", ip_protocol: "tcp", from_port: port, to_port: port }),
  ];
}

// ---------------------------------------------------------------------------------------------
// A bare stack: a network in the given zones and a load balancer on it.

function bareLoadBalancer(zones: string[]): { stack: TerraformStack; loadBalancer: LoadBalancer } {
  const stack = new TerraformStack(Testing.app(), "bare");
  const network = new Network(stack, "network", {
    availabilityZones: zones,
    settings: { publicSubnetCidrs: PUBLIC_CIDRS.slice(0, zones.length), privateSubnetCidrs: PRIVATE_CIDRS.slice(0, zones.length) },
  });
  const loadBalancer = new LoadBalancer(stack, "load-balancer", { network, names: new StageNames("workshop", "alb"), targetPort: 80 });
  return { stack, loadBalancer };
}

// ---------------------------------------------------------------------------------------------

describe("the load balancer security group", () => {
  let alb: SynthesizedStack;
  beforeAll(() => {
    alb = synthesizedStage("alb");
  });

  test("admits the listener port 80 from 0.0.0.0/0 and from ::/0", () => {
    // GIVEN the alb stage with lesson defaults
    // THEN the ALB's group has an ingress rule for tcp/80 from every IPv4 and one from every IPv6 address
    expect(rulesOn(alb.json, VpcSecurityGroupIngressRule, albGroupRef(alb.json))).toEqual(expect.arrayContaining(internetRules(80)));
  });

  test("admits nothing else: exactly those two ingress rules and no inline ingress", () => {
    // GIVEN the alb stage with lesson defaults
    const groupRef = albGroupRef(alb.json);
    // THEN no third rule opens another port or another source
    expect(rulesOn(alb.json, VpcSecurityGroupIngressRule, groupRef)).toHaveLength(2);
    // AND the group, a group of the lesson VPC, has no inline ingress that would bypass the standalone rules
    const [, group] = theOne(alb.json, SecurityGroup, (_, id) => ref(SecurityGroup, id) === groupRef);
    expect(group.vpc_id).toBe(ref(Vpc, theOne(alb.json, Vpc)[0]));
    expect(group.ingress ?? []).toEqual([]);
  });

  test("is the only security group in the stage that admits traffic from an address range", () => {
    // GIVEN the alb stage with lesson defaults (database, tasks and ALB groups)
    const groupRef = albGroupRef(alb.json);
    // THEN the only ingress rules with a CIDR source are the ALB's two: tasks and database stay unreachable from the internet
    const fromRanges = resourcesOf(alb.json, VpcSecurityGroupIngressRule)
      .map(([, rule]) => rule)
      .filter((rule) => rule.cidr_ipv4 !== undefined || rule.cidr_ipv6 !== undefined);
    expect(fromRanges).toHaveLength(2);
    for (const rule of fromRanges) expect(rule.security_group_id).toBe(groupRef);
  });
});

describe("the Application Load Balancer", () => {
  let alb: SynthesizedStack;
  beforeAll(() => {
    alb = synthesizedStage("alb");
  });

  test('is an internet-facing application load balancer named "workshop-alb"', () => {
    // GIVEN prefix "workshop", stage "alb"
    // THEN there is one ALB, not internal, of type application, named after prefix and stage
    expect(resourcesOf(alb.json, Lb)).toHaveLength(1);
    expect(alb.text).toHaveResourceWithProperties(Lb, { name: "workshop-alb", internal: false, load_balancer_type: "application" });
  });

  test("its name fits the 32 characters AWS allows", () => {
    // GIVEN the alb stage with lesson defaults
    const name = theOne(alb.json, Lb)[1].name as string;
    // THEN the name is within the limit
    expect(name.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
  });

  test("sits in all three public subnets and in no private subnet", () => {
    // GIVEN the lesson network
    const subnets = theOne(alb.json, Lb)[1].subnets as string[];
    // THEN the ALB's subnets are exactly the three public ones
    expect([...subnets].sort()).toEqual(PUBLIC_CIDRS.map((cidr) => subnetRef(alb.json, cidr)).sort());
    // AND none of the private ones
    for (const cidr of PRIVATE_CIDRS) expect(subnets).not.toContain(subnetRef(alb.json, cidr));
  });

  test("drops invalid HTTP header fields", () => {
    // GIVEN the alb stage with lesson defaults
    // THEN requests with malformed headers never reach the tasks
    expect(alb.text).toHaveResourceWithProperties(Lb, { drop_invalid_header_fields: true });
  });
});

describe("availability zones", () => {
  test("the constructor throws when the public subnets span only one zone", () => {
    // GIVEN a network built directly in one zone (settings validation would refuse it)
    // WHEN a load balancer is put on it
    // THEN it names the zone count, the zone and the minimum
    expect(() => bareLoadBalancer(["eu-west-1a"])).toThrow(/span 1 availability zone.*eu-west-1a.*at least 2/);
  });

  test("two zones are enough, and the ALB uses both public subnets", () => {
    // GIVEN a network in two zones
    const { stack } = bareLoadBalancer(["eu-west-1a", "eu-west-1b"]);
    // WHEN it is synthesized
    const { json } = synthesizedStack(stack);
    // THEN the ALB sits in the two public subnets
    const subnets = theOne(json, Lb)[1].subnets as string[];
    expect([...subnets].sort()).toEqual(PUBLIC_CIDRS.slice(0, 2).map((cidr) => subnetRef(json, cidr)).sort());
  });
});

describe("the target group", () => {
  let alb: SynthesizedStack;
  beforeAll(() => {
    alb = synthesizedStage("alb");
  });

  test("registers Fargate tasks by IP over HTTP on port 80, in the lesson VPC", () => {
    // GIVEN the alb stage with lesson defaults (container port 80)
    // THEN there is one target group of ip targets (awsvpc tasks have no instance)
    expect(resourcesOf(alb.json, LbTargetGroup)).toHaveLength(1);
    expect(alb.text).toHaveResourceWithProperties(LbTargetGroup, {
      target_type: "ip",
      protocol: "HTTP",
      port: 80,
      vpc_id: ref(Vpc, theOne(alb.json, Vpc)[0]),
    });
  });

  test('checks health on "/" every 6 s and calls a target healthy after 3 passes', () => {
    // GIVEN the alb stage with lesson defaults
    // THEN the health check is the lesson's
    expect(alb.text).toHaveResourceWithProperties(LbTargetGroup, {
      health_check: expect.objectContaining({ enabled: true, path: "/", healthy_threshold: 3, interval: 6 }),
    });
  });

  test.each([5, 6, 30, 300])("the health check timeout stays below the interval (interval %i s)", (interval) => {
    // GIVEN a health check interval (5 and 300 are the bounds the settings allow)
    const { json } = synthesizedStage("alb", { loadBalancer: { healthCheckIntervalSeconds: interval } });
    // THEN the interval is used, and the timeout is shorter than it and not below the 2 s AWS allows
    const check = targetGroupOf(json).health_check as Attributes;
    expect(check.interval).toBe(interval);
    expect(check.timeout).toBeLessThan(interval);
    expect(check.timeout).toBeGreaterThanOrEqual(2);
  });

  test('drains deregistering targets for 30 s by default (deregistration_delay "30")', () => {
    // GIVEN the alb stage with lesson defaults
    // THEN the delay is the lesson's, as the string the provider expects
    expect(alb.text).toHaveResourceWithProperties(LbTargetGroup, { deregistration_delay: "30" });
  });

  test("the deregistration delay comes from loadBalancer.deregistrationDelaySeconds", () => {
    // GIVEN a drain time of 120 s in the settings
    const { text } = synthesizedStage("alb", { loadBalancer: { deregistrationDelaySeconds: 120 } });
    // THEN the target group drains for 120 s
    expect(text).toHaveResourceWithProperties(LbTargetGroup, { deregistration_delay: "120" });
  });

  test("a replacement target group is created before the old one is destroyed", () => {
    // GIVEN the alb stage with lesson defaults
    // THEN the listener is never left pointing at a deleted target group
    expect(alb.text).toHaveResourceWithProperties(LbTargetGroup, { lifecycle: expect.objectContaining({ create_before_destroy: true }) });
  });

  test('is named "workshop-alb-<4 hex>", within the 32 characters AWS allows', () => {
    // GIVEN prefix "workshop", stage "alb"
    const name = targetGroupOf(alb.json).name as string;
    // THEN the name is the stage's base and a 4-character hex suffix
    expect(name).toMatch(/^workshop-alb-[0-9a-f]{4}$/);
    expect(name.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
  });

  test("the same target port gives the same name", () => {
    // GIVEN the alb stage synthesized a second time with the same settings
    const again = synthesizedStage("alb");
    // THEN the target group keeps its name, so a plan shows no replacement
    expect(targetGroupOf(again.json).name).toBe(targetGroupOf(alb.json).name);
  });

  test("a different target port gives a different name, so the replacement can exist beside the old group", () => {
    // GIVEN the container (and so the target group) on port 8080 instead of 80
    const moved = synthesizedStage("alb", { service: { containerPort: 8080 } });
    const group = targetGroupOf(moved.json);
    // THEN the target group uses the new port
    expect(group.port).toBe(8080);
    // AND gets a fresh name of the same form
    expect(group.name).toMatch(/^workshop-alb-[0-9a-f]{4}$/);
    expect(group.name).not.toBe(targetGroupOf(alb.json).name);
  });
});

describe("the listener", () => {
  test("listens for HTTP on port 80 on the ALB and forwards to the target group", () => {
    // GIVEN the alb stage with lesson defaults
    const { text, json } = synthesizedStage("alb");
    const [albId] = theOne(json, Lb);
    const [groupId] = theOne(json, LbTargetGroup);
    // THEN there is one listener, on the ALB, whose default action forwards to the target group
    expect(resourcesOf(json, LbListener)).toHaveLength(1);
    expect(text).toHaveResourceWithProperties(LbListener, {
      load_balancer_arn: ref(Lb, albId, "arn"),
      port: 80,
      protocol: "HTTP",
      default_action: [expect.objectContaining({ type: "forward", target_group_arn: ref(LbTargetGroup, groupId, "arn") })],
    });
  });
});

describe("the url", () => {
  test('url is "http://<dns_name>" of the ALB', () => {
    // GIVEN a load balancer on the default port 80
    const { stack, loadBalancer } = bareLoadBalancer(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
    // WHEN its url is used as an output
    new TerraformOutput(stack, "url", { value: loadBalancer.url });
    const { json } = synthesizedStack(stack);
    // THEN it is the ALB's DNS name behind http://, without a port
    const [albId] = theOne(json, Lb);
    expect(json.output?.url?.value).toBe(`http://${ref(Lb, albId, "dns_name")}`);
  });

  test("the alb stage outputs it as load_balancer_url", () => {
    // GIVEN the alb stage with lesson defaults
    const { json } = synthesizedStage("alb");
    // THEN the stage tells the learner where to browse
    const [albId] = theOne(json, Lb);
    expect(json.output?.load_balancer_url?.value).toBe(`http://${ref(Lb, albId, "dns_name")}`);
  });
});

describe("a different listener port (8080)", () => {
  let alb: SynthesizedStack;
  beforeAll(() => {
    alb = synthesizedStage("alb", { loadBalancer: { listenerPort: 8080 } });
  });

  test("moves the listener to 8080, still forwarding to the target group on the container port 80", () => {
    // GIVEN listenerPort 8080
    // THEN the one listener is on 8080
    const [, listener] = theOne(alb.json, LbListener);
    expect(listener.port).toBe(8080);
    // AND the targets still receive traffic on the container port
    expect(targetGroupOf(alb.json).port).toBe(80);
  });

  test("moves both internet ingress rules to 8080 and leaves nothing open on 80", () => {
    // GIVEN listenerPort 8080
    const rules = rulesOn(alb.json, VpcSecurityGroupIngressRule, albGroupRef(alb.json));
    // THEN the ALB's group admits exactly 8080 from 0.0.0.0/0 and ::/0
    expect(rules).toHaveLength(2);
    expect(rules).toEqual(expect.arrayContaining(internetRules(8080)));
    for (const rule of rules) expect(rule.from_port).not.toBe(80);
  });

  test("the url carries the port", () => {
    // GIVEN listenerPort 8080
    const [albId] = theOne(alb.json, Lb);
    // THEN the stage's url says where to browse, port included
    expect(alb.json.output?.load_balancer_url?.value).toBe(`http://${ref(Lb, albId, "dns_name")}:8080`);
  });
});
