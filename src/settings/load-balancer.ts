/**
 * The load balancer section (stage alb): the HTTP listener, health checks, and HTTPS with ACM certificates of
 * the stage's region. A load balancer can only use certificates of its own region.
 */
import { z } from "zod";
import { MAX_EXTRA_CERTIFICATES } from "./facts/elb";
import { ELB_SECURITY_POLICIES, ELB_SECURITY_POLICY_NAMES, RECOMMENDED_SECURITY_POLICY } from "./facts/elb-security-policies";
import { ADMIN_PORTS } from "./facts/ports";
import { pattern, section, sectionDefaults, show, urlPath, wholeNumber } from "./blocks";

/** The HTTPS listener's port, once there is a certificate. */
export const HTTPS_PORT = 443;

/** arn:aws:acm:<region>:<account>:certificate/<uuid> */
export const CERTIFICATE_ARN = /^arn:aws:acm:([a-z0-9-]+):(\d{12}):certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CERTIFICATE_ARN_RULE = "must be an ACM certificate ARN: arn:aws:acm:<region>:<12-digit account>:certificate/<uuid>";

/** The lesson's TLS policy: TLS 1.3 and 1.2. */
const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
const SSL_POLICY_RULE =
  `must be an ELB security policy name, one of the ${ELB_SECURITY_POLICY_NAMES.length} ELB publishes (src/settings/facts/elb-security-policies.ts), ` +
  `such as "${RECOMMENDED_SECURITY_POLICY}" (AWS's recommendation) or "${DEFAULT_SSL_POLICY}"`;

export const loadBalancerSettings = section(
  {
    listenerPort: wholeNumber(1, 65535, 80, "HTTP listener port, open to the internet. @default 80"),
    desiredCount: wholeNumber(0, 1000, 3, "Tasks behind the load balancer in stage alb. @default 3"),
    deregistrationDelaySeconds: wholeNumber(0, 3600, 30, "Time a deregistering target keeps draining. @default 30"),
    healthCheckPath: urlPath().default("/").describe('Health check path. @default "/"'),
    healthyThreshold: wholeNumber(2, 10, 3, "Healthy checks in a row before a target takes traffic. @default 3"),
    healthCheckIntervalSeconds: wholeNumber(5, 300, 6, "Seconds between health checks. @default 6"),
    certificateArn: pattern(CERTIFICATE_ARN, CERTIFICATE_ARN_RULE)
      .optional()
      .describe("ACM certificate for an HTTPS listener on 443; port 80 then redirects to it. @default - none: plain HTTP, as in the lesson"),
    extraCertificateArns: z
      .array(pattern(CERTIFICATE_ARN, CERTIFICATE_ARN_RULE), { error: "must be a list of ACM certificate ARNs" })
      .max(MAX_EXTRA_CERTIFICATES, { error: `the HTTPS listener takes at most ${MAX_EXTRA_CERTIFICATES} extra certificates (ALB limit)` })
      .default([])
      .describe("More ACM certificates on the HTTPS listener (other domains, picked by SNI); needs certificateArn. @default []"),
    // Optional here, so that a policy set without a certificate can be told from the default (see below).
    sslPolicy: z
      .string({ error: SSL_POLICY_RULE })
      .superRefine((name, context) => {
        if (ELB_SECURITY_POLICIES[name]) return;
        const near = ELB_SECURITY_POLICY_NAMES.find((known) => known.toLowerCase() === name.toLowerCase());
        context.addIssue({ code: "custom", message: `${SSL_POLICY_RULE}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ""}` });
      })
      .optional()
      .describe(`TLS policy of the HTTPS listener, one of those ELB publishes; needs certificateArn. @default "${DEFAULT_SSL_POLICY}" (TLS 1.3 and 1.2)`),
  },
  "The Application Load Balancer (stage alb).",
)
  .superRefine((loadBalancer, context) => {
    if (loadBalancer.sslPolicy !== undefined && loadBalancer.certificateArn === undefined) {
      context.addIssue({
        code: "custom",
        path: ["sslPolicy"],
        message:
          "sets the TLS policy of the HTTPS listener, and there is none: without loadBalancer.certificateArn the load balancer serves plain HTTP; " +
          "allowed: an sslPolicy together with certificateArn, or no sslPolicy",
      });
    }
  })
  .transform((loadBalancer) => ({ ...loadBalancer, sslPolicy: loadBalancer.sslPolicy ?? DEFAULT_SSL_POLICY }));

export type LoadBalancerSettings = z.output<typeof loadBalancerSettings>;
export const LOAD_BALANCER_DEFAULTS = sectionDefaults(loadBalancerSettings);

/** An ARN as a message shows it: whole (an ARN is no secret, and a shortened one cannot be told from its neighbours). */
const arnText = (arn: string) => JSON.stringify(arn);

/** Problems of the HTTPS settings: certificates of another region, extra ones without a main one, a port clash. */
export function httpsProblems(s: { readonly region: string; readonly loadBalancer: LoadBalancerSettings }): string[] {
  const { certificateArn, extraCertificateArns, listenerPort } = s.loadBalancer;
  const problems: string[] = [];
  const arns: Array<[string, string]> = [
    ...(certificateArn ? [["loadBalancer.certificateArn", certificateArn] as [string, string]] : []),
    ...extraCertificateArns.map((arn, i) => [`loadBalancer.extraCertificateArns[${i}]`, arn] as [string, string]),
  ];
  for (const [setting, arn] of arns) {
    const region = CERTIFICATE_ARN.exec(arn)?.[1];
    if (region !== undefined && region !== s.region) {
      problems.push(`${setting}: ${arnText(arn)} is a certificate in ${region}; the load balancer is in ${s.region} and can only use certificates of that region`);
    }
  }
  if (extraCertificateArns.length > 0 && !certificateArn) {
    problems.push(`loadBalancer.extraCertificateArns: ${show(extraCertificateArns)} needs loadBalancer.certificateArn, the HTTPS listener's default certificate`);
  }
  if (ADMIN_PORTS.includes(listenerPort)) {
    problems.push(
      `loadBalancer.listenerPort: ${listenerPort} would open the remote administration port ${listenerPort} to the whole internet (the listener admits 0.0.0.0/0 and ::/0), ` +
        `which the policy check SG-NO-WORLD-ADMIN-PORTS refuses; allowed: any other port from 1 to 65535, such as 80 or 8080`,
    );
  }
  if (certificateArn && listenerPort === HTTPS_PORT) {
    problems.push(`loadBalancer.listenerPort: ${HTTPS_PORT} is the HTTPS listener's port once certificateArn is set; keep the HTTP listener on another port (80)`);
  }
  const duplicate = arns.find(([, arn], i) => arns.findIndex(([, other]) => other === arn) !== i);
  if (duplicate) problems.push(`${duplicate[0]}: ${arnText(duplicate[1])} is listed twice; list each certificate once`);
  return problems;
}
