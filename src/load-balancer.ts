/**
 * An internet-facing Application Load Balancer in every public subnet, with an HTTP listener that forwards
 * to an ip-type target group (Fargate's awsvpc tasks register by IP). Its security group is the only one
 * that admits traffic from the internet.
 */
import { createHash } from "node:crypto";
import { Construct } from "constructs";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { defaultSettings, withDefaults, type Settings } from "./config";
import { TARGET_GROUP_SUFFIX_LENGTH, type StageNames } from "./naming";
import type { Network } from "./network";
import { REASONS } from "./policy/reasons";
import { waive } from "./policy/waivers";
import { ANYWHERE_IPV4, ANYWHERE_IPV6, allowIngress } from "./security-group";

export type LoadBalancerSettings = Settings["loadBalancer"];

export interface LoadBalancerProps {
  /** The network whose public subnets (at least two zones) hold the load balancer. */
  readonly network: Network;
  readonly names: StageNames;
  /** Port the targets listen on. */
  readonly targetPort: number;
  /** "ip" for awsvpc tasks (Fargate), "instance" for bridge tasks on EC2, registered by instance and host port. @default "ip" */
  readonly targetType?: "ip" | "instance";
  /** Listener, health check and draining. @default - the lesson's: HTTP 80, check "/" every 6 s, healthy after 3 */
  readonly settings?: Partial<LoadBalancerSettings>;
}

export class LoadBalancer extends Construct {
  readonly loadBalancer: Lb;
  readonly securityGroup: SecurityGroup;
  readonly targetGroup: LbTargetGroup;
  readonly listener: LbListener;
  readonly listenerPort: number;
  /** "http://<dns name>" (with the port when it is not 80). */
  readonly url: string;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    const settings = withDefaults(defaultSettings().loadBalancer, props.settings);
    const { network, names, targetPort } = props;
    const zones = new Set(network.publicSubnets.map(({ zone }) => zone));
    if (zones.size < 2) {
      throw new Error(
        `LoadBalancer: the public subnets span ${zones.size} availability zone(s) (${[...zones].join(", ")}); an Application Load Balancer needs at least 2`,
      );
    }
    this.listenerPort = settings.listenerPort;

    this.securityGroup = new SecurityGroup(this, "security-group", {
      name: names.of("alb"),
      description: "Application Load Balancer: HTTP from the internet",
      vpcId: network.vpc.id,
      tags: { Name: names.of("alb") },
    });
    for (const [suffix, peer] of [["ipv4", ANYWHERE_IPV4], ["ipv6", ANYWHERE_IPV6]] as const) {
      const rule = allowIngress(this, `ingress-http-${suffix}`, {
        group: this.securityGroup,
        peer,
        port: settings.listenerPort,
        description: `HTTP from the internet (${suffix})`,
      });
      waive(rule, "SG-NO-WORLD-INGRESS", REASONS.publicEntryPoint);
    }

    this.loadBalancer = new Lb(this, "alb", {
      name: names.base,
      internal: false,
      loadBalancerType: "application",
      securityGroups: [this.securityGroup.id],
      subnets: network.publicSubnets.map(({ subnet }) => subnet.id),
      dropInvalidHeaderFields: true,
    });
    waive(this.loadBalancer, "ELB-INTERNAL", REASONS.publicEntryPoint);
    waive(this.loadBalancer, "ELB-WAF", "A web ACL costs money per month and per request; the lesson serves a static page");
    waive(this.loadBalancer, "ELB-ACCESS-LOGS", REASONS.paidMonitoring);
    waive(this.loadBalancer, "ELB-DELETION-PROTECTION", REASONS.teardown);

    // Attributes that force a new target group are hashed into its name, so a replacement gets a fresh
    // name and is created before the old one is destroyed: the listener is never left pointing at nothing.
    const replacementKey = { port: targetPort, protocol: "HTTP", targetType: props.targetType ?? "ip" };
    const suffix = createHash("sha256")
      .update(JSON.stringify({ ...replacementKey, vpc: network.cidr }))
      .digest("hex")
      .slice(0, TARGET_GROUP_SUFFIX_LENGTH);
    this.targetGroup = new LbTargetGroup(this, "target-group", {
      name: names.of(suffix),
      port: replacementKey.port,
      protocol: replacementKey.protocol,
      targetType: replacementKey.targetType,
      vpcId: network.vpc.id,
      deregistrationDelay: String(settings.deregistrationDelaySeconds),
      healthCheck: {
        enabled: true,
        path: settings.healthCheckPath,
        protocol: "HTTP",
        matcher: "200-399",
        healthyThreshold: settings.healthyThreshold,
        unhealthyThreshold: 2,
        interval: settings.healthCheckIntervalSeconds,
        timeout: Math.min(5, settings.healthCheckIntervalSeconds - 1),
      },
      lifecycle: { createBeforeDestroy: true },
    });
    waive(this.targetGroup, "ELB-TARGET-TLS", REASONS.noCertificate);

    this.listener = new LbListener(this, "listener", {
      loadBalancerArn: this.loadBalancer.arn,
      port: settings.listenerPort,
      protocol: "HTTP",
      defaultAction: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
    });
    waive(this.listener, "ELB-HTTPS", REASONS.noCertificate);
    this.url = `http://${this.loadBalancer.dnsName}${settings.listenerPort === 80 ? "" : `:${settings.listenerPort}`}`;
  }
}
