/**
 * Service auto scaling: an Application Auto Scaling target on the service's desired count and a
 * target-tracking policy, on requests per target (the lesson) or on average CPU (the slides' example).
 * AWS creates the CloudWatch alarms: out after about 3 minutes above target, in after about 15 below.
 */
import { Construct } from "constructs";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import type { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { withDefaults } from "../settings/blocks";
import { AUTOSCALING_DEFAULTS, type AutoscalingSettings } from "../settings/autoscaling";
import type { LoadBalancer } from "./load-balancer/load-balancer";
import type { ContainerService } from "./ecs/service";

export interface ServiceAutoscalingProps {
  /** The service to scale; create it with `autoscaled: true` so that Terraform leaves its desired count alone. */
  readonly service: ContainerService;
  /** Needed for the requestCount policy: its requests per target are the metric. @default - none */
  readonly loadBalancer?: LoadBalancer;
  /** The service's target group, whose requests per target the requestCount policy holds. @default - the load balancer's default target group */
  readonly targetGroup?: LbTargetGroup;
  /** Policy, target, capacity and cooldowns. @default - the lesson's: 10 requests per target, 1 to 10 tasks, 60 s cooldowns */
  readonly settings?: Partial<AutoscalingSettings>;
}

export class ServiceAutoscaling extends Construct {
  static readonly POLICY_NAMES = { requestCount: "cloud-native-example-service-scaling", cpu: "cloud-native-example-cpu-scaling" };
  readonly target: AppautoscalingTarget;
  readonly policy: AppautoscalingPolicy;

  constructor(scope: Construct, id: string, props: ServiceAutoscalingProps) {
    super(scope, id);
    const settings = withDefaults(AUTOSCALING_DEFAULTS, props.settings);
    const { service, loadBalancer } = props;
    const targetGroup = props.targetGroup ?? loadBalancer?.targetGroup;
    const range = settings[settings.policy];
    if (!(range.minCapacity <= service.desiredCount && service.desiredCount <= range.maxCapacity)) {
      throw new Error(
        `ServiceAutoscaling: the service's desired count ${service.desiredCount} is outside autoscaling.${settings.policy}'s ` +
          `capacity ${range.minCapacity} to ${range.maxCapacity}; allowed: minCapacity <= desired count <= maxCapacity`,
      );
    }
    if (settings.policy === "requestCount" && !(loadBalancer && targetGroup)) {
      throw new Error(`ServiceAutoscaling: autoscaling.policy "requestCount" scales on ALBRequestCountPerTarget and needs a loadBalancer with the service's target group; use "cpu" without one`);
    }

    this.target = new AppautoscalingTarget(this, "target", {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: `service/${service.cluster.name}/${service.service.name}`,
      minCapacity: range.minCapacity,
      maxCapacity: range.maxCapacity,
    });
    const metric =
      settings.policy === "requestCount" && loadBalancer && targetGroup
        ? {
            predefinedMetricType: "ALBRequestCountPerTarget",
            resourceLabel: `${loadBalancer.loadBalancer.arnSuffix}/${targetGroup.arnSuffix}`,
          }
        : { predefinedMetricType: "ECSServiceAverageCPUUtilization" };
    this.policy = new AppautoscalingPolicy(this, "policy", {
      name: ServiceAutoscaling.POLICY_NAMES[settings.policy],
      policyType: "TargetTrackingScaling",
      serviceNamespace: this.target.serviceNamespace,
      scalableDimension: this.target.scalableDimension,
      resourceId: this.target.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: range.target,
        scaleOutCooldown: settings.scaleOutCooldownSeconds,
        scaleInCooldown: settings.scaleInCooldownSeconds,
        disableScaleIn: !settings.enableScaleIn,
        predefinedMetricSpecification: metric,
      },
    });
  }
}
