/**
 * HTTPS on the load balancer: given an ACM certificate, a 443 listener with a current TLS policy forwards the
 * requests (and holds the path rules), extra certificates join it for SNI, and the HTTP listener answers every
 * request with a permanent redirect to 443. The certificate must live in the stage's region: a load balancer
 * can only use ACM certificates of its own region.
 */
import { createHash } from "node:crypto";
import { Construct } from "constructs";
import type { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener, type LbListenerDefaultAction } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerCertificate } from "@cdktf/provider-aws/lib/lb-listener-certificate";
import { HTTPS_PORT, LOAD_BALANCER_DEFAULTS } from "../../settings/load-balancer";
import { RECOMMENDED_SECURITY_POLICY } from "../../settings/facts/elb-security-policies";
import { waive } from "../../policy/waivers";

/** The HTTP listener's default action with HTTPS: a permanent redirect to the same URL on 443. */
export const REDIRECT_TO_HTTPS: LbListenerDefaultAction = {
  type: "redirect",
  redirect: { protocol: "HTTPS", port: String(HTTPS_PORT), statusCode: "HTTP_301" },
};

export interface HttpsListenerProps {
  readonly loadBalancer: Lb;
  readonly certificateArn: string;
  readonly extraCertificateArns: readonly string[];
  readonly sslPolicy: string;
  /** What requests no path rule takes get. */
  readonly defaultAction: LbListenerDefaultAction;
}

/** The 443 listener, and one listener certificate per extra certificate, keyed by the ARN (not its place in the list). */
export function httpsListener(scope: Construct, id: string, props: HttpsListenerProps): LbListener {
  const listener = new LbListener(scope, id, {
    loadBalancerArn: props.loadBalancer.arn,
    port: HTTPS_PORT,
    protocol: "HTTPS",
    sslPolicy: props.sslPolicy,
    certificateArn: props.certificateArn,
    defaultAction: [props.defaultAction],
  });
  // The default policy (TLS 1.3 and 1.2) stays what deployed stages have; Security Hub's ELB.17 lists only stricter
  // ones, the default not among them, so the default always needs this waiver.
  if (props.sslPolicy === LOAD_BALANCER_DEFAULTS.sslPolicy) {
    waive(
      listener,
      "ELB-TLS-POLICY-RECOMMENDED",
      `loadBalancer.sslPolicy keeps its default ${props.sslPolicy} (TLS 1.3 and 1.2) so that a deployed stage keeps its policy; set ${RECOMMENDED_SECURITY_POLICY} for Security Hub's list`,
    );
  }
  for (const arn of props.extraCertificateArns) {
    const key = createHash("sha256").update(arn).digest("hex").slice(0, 8);
    new LbListenerCertificate(scope, `certificate-${key}`, { listenerArn: listener.arn, certificateArn: arn });
  }
  return listener;
}
