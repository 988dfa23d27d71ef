/**
 * Path routing on the load balancer's listener: one listener rule per routed service, forwarding its path
 * patterns to its target group. The service at "/" is the listener's default action instead of a rule; which
 * service that is, and each rule's priority, the settings decide (settings/paths.ts).
 */
import { Construct } from "constructs";
import type { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import type { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";

export interface PathRuleProps {
  /** The listener that routes requests: the HTTPS one when there is a certificate. */
  readonly listener: LbListener;
  readonly targetGroup: LbTargetGroup;
  /** Path patterns, at most five. */
  readonly paths: readonly string[];
  readonly priority: number;
}

/** A listener rule forwarding `paths` to the target group. */
export function pathRule(scope: Construct, id: string, props: PathRuleProps): LbListenerRule {
  return new LbListenerRule(scope, id, {
    listenerArn: props.listener.arn,
    priority: props.priority,
    action: [{ type: "forward", targetGroupArn: props.targetGroup.arn }],
    condition: [{ pathPattern: { values: [...props.paths] } }],
  });
}
