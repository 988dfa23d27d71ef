/**
 * An internet-facing Application Load Balancer in every public subnet, with an HTTP listener that forwards
 * to an ip-type target group (Fargate's awsvpc tasks register by IP). Its security group is the only one
 * that admits traffic from the internet. With a certificate (https.ts), a 443 listener forwards instead
 * and port 80 redirects to it. More services get their own target groups and path rules (addTarget).
 */
import { Construct } from "constructs";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener, type LbListenerDefaultAction } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import type { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { withDefaults } from "../../settings/blocks";
import { LOAD_BALANCER_DEFAULTS, type LoadBalancerSettings } from "../../settings/load-balancer";
import { HTTPS_PORT } from "../../settings/load-balancer";
import { REDIRECT_TO_HTTPS, httpsListener } from "./https";
import { targetGroupSuffix, type StageNames } from "../../common/naming";
import type { Network } from "../network";
import { REASONS } from "../../policy/reasons";
import { waive } from "../../policy/waivers";
import { ANYWHERE_IPV4, ANYWHERE_IPV6, allowIngress, namedSecurityGroup } from "../security-group";

/** How targets register: by IP (awsvpc tasks) or by instance and host port (bridge tasks on EC2). */
export type TargetType = "ip" | "instance";

export interface LoadBalancerProps {
  /** The network whose public subnets (at least two zones) hold the load balancer. */
  readonly network: Network;
  readonly names: StageNames;
  /**
   * Port the default target group's targets listen on: the service at "/".
   * @default - no default target group: requests no path rule takes get a 404
   */
  readonly targetPort?: number;
  /** Health check path of the default target group. @default settings.healthCheckPath */
  readonly targetHealthCheckPath?: string;
  /** "ip" for awsvpc tasks (Fargate), "instance" for bridge tasks on EC2, registered by instance and host port. @default "ip" */
  readonly targetType?: TargetType;
  /** Listener, health check and draining. @default - the lesson's: HTTP 80, check "/" every 6 s, healthy after 3 */
  readonly settings?: Partial<LoadBalancerSettings>;
}

export class LoadBalancer extends Construct {
  readonly loadBalancer: Lb;
  readonly securityGroup: SecurityGroup;
  /** The default service's target group (the listener's default action); undefined without targetPort. */
  readonly targetGroup?: LbTargetGroup;
  /** The HTTP listener (a redirect to HTTPS when there is a certificate). */
  readonly listener: LbListener;
  /** The HTTPS listener, when there is a certificate. */
  readonly httpsListener?: LbListener;
  /** The listener that forwards requests to the services and holds the path rules: HTTPS when there is one. */
  readonly forwardingListener: LbListener;
  readonly listenerPort: number;
  /** How its target groups register targets (props.targetType). */
  readonly targetType: TargetType;
  /** "http://<dns name>" (with the port when it is not 80), or "https://<dns name>" with a certificate. */
  readonly url: string;
  private readonly network: Network;
  private readonly names: StageNames;
  private readonly settings: LoadBalancerSettings;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    const settings = withDefaults(LOAD_BALANCER_DEFAULTS, props.settings);
    const { network, names, targetPort } = props;
    this.network = network;
    this.names = names;
    this.settings = settings;
    const certificateArn = settings.certificateArn;
    const zones = new Set(network.publicSubnets.map(({ zone }) => zone));
    if (zones.size < 2) {
      throw new Error(
        `LoadBalancer: the public subnets span ${zones.size} availability zone(s) (${[...zones].join(", ")}); an Application Load Balancer needs at least 2`,
      );
    }
    this.listenerPort = settings.listenerPort;
    this.targetType = props.targetType ?? "ip";

    this.securityGroup = namedSecurityGroup(this, "security-group", {
      name: names.of("alb"),
      // A security group's description cannot change in place (a new one replaces the group, which the load
      // balancer still holds): it stays the lesson's text when a certificate adds HTTPS.
      description: "Application Load Balancer: HTTP from the internet",
      vpcId: network.vpc.id,
    });
    for (const [suffix, peer] of [["ipv4", ANYWHERE_IPV4], ["ipv6", ANYWHERE_IPV6]] as const) {
      const rule = allowIngress(this, `ingress-http-${suffix}`, {
        group: this.securityGroup,
        peer,
        port: settings.listenerPort,
        description: `HTTP from the internet (${suffix})`,
      });
      waive(rule, "SG-NO-WORLD-INGRESS", REASONS.publicEntryPoint);
      if (!certificateArn) continue;
      const https = allowIngress(this, `ingress-https-${suffix}`, {
        group: this.securityGroup,
        peer,
        port: HTTPS_PORT,
        description: `HTTPS from the internet (${suffix})`,
      });
      waive(https, "SG-NO-WORLD-INGRESS", REASONS.publicEntryPoint);
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

    this.targetGroup = targetPort === undefined ? undefined : this.addTargetGroup(this, "target-group", { port: targetPort, healthCheckPath: props.targetHealthCheckPath });
    const forward: LbListenerDefaultAction = this.targetGroup
      ? { type: "forward", targetGroupArn: this.targetGroup.arn }
      : { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "No service at this path" } };

    this.listener = new LbListener(this, "listener", {
      loadBalancerArn: this.loadBalancer.arn,
      port: settings.listenerPort,
      protocol: "HTTP",
      defaultAction: [certificateArn ? REDIRECT_TO_HTTPS : forward],
    });
    if (certificateArn) {
      this.httpsListener = httpsListener(this, "listener-https", {
        loadBalancer: this.loadBalancer,
        certificateArn,
        extraCertificateArns: settings.extraCertificateArns,
        sslPolicy: settings.sslPolicy,
        defaultAction: forward,
      });
      this.url = `https://${this.loadBalancer.dnsName}`;
    } else {
      waive(this.listener, "ELB-HTTPS", REASONS.noCertificate);
      // Reported on the load balancer too (checkov CKV2_AWS_20, Security Hub ELB.1): its HTTP listener does not redirect.
      waive(this.loadBalancer, "ELB-HTTP-REDIRECT", REASONS.noCertificate);
      this.url = `http://${this.loadBalancer.dnsName}${settings.listenerPort === 80 ? "" : `:${settings.listenerPort}`}`;
    }
    this.forwardingListener = this.httpsListener ?? this.listener;
  }

  /**
   * A target group of the load balancer's target type in its VPC, created in `scope` (a service's own construct, so that
   * its address carries the service's name). `service` goes into the name's hash, so that services on the same
   * port get different names; the default service leaves it out and keeps the lesson's name.
   */
  addTargetGroup(scope: Construct, id: string, props: { port: number; healthCheckPath?: string; service?: string }): LbTargetGroup {
    const settings = this.settings;
    // Attributes that force a new target group are hashed into its name, so a replacement gets a fresh
    // name and is created before the old one is destroyed: the listener is never left pointing at nothing.
    const replacementKey = { port: props.port, protocol: "HTTP", targetType: this.targetType };
    const suffix = targetGroupSuffix({ ...replacementKey, vpc: this.network.cidr, service: props.service });
    const targetGroup = new LbTargetGroup(scope, id, {
      name: this.names.of(suffix),
      port: replacementKey.port,
      protocol: replacementKey.protocol,
      targetType: replacementKey.targetType,
      vpcId: this.network.vpc.id,
      deregistrationDelay: String(settings.deregistrationDelaySeconds),
      healthCheck: {
        enabled: true,
        path: props.healthCheckPath ?? settings.healthCheckPath,
        protocol: "HTTP",
        matcher: "200-399",
        healthyThreshold: settings.healthyThreshold,
        unhealthyThreshold: 2,
        interval: settings.healthCheckIntervalSeconds,
        timeout: Math.min(5, settings.healthCheckIntervalSeconds - 1),
      },
      lifecycle: { createBeforeDestroy: true },
    });
    waive(targetGroup, "ELB-TARGET-TLS", settings.certificateArn ? REASONS.tlsEndsAtLoadBalancer : REASONS.noCertificate);
    return targetGroup;
  }
}
