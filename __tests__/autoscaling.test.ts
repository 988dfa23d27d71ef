/**
 * ServiceAutoscaling: an Application Auto Scaling target on the service's desired count and a target-tracking
 * policy, on requests per target (the lesson) or on average CPU. Most tests read the autoscaling stage as the
 * lesson builds it; the constructor's checks use the constructs in a bare stack. Resources are found by the
 * references between them, not by construct ids.
 */
import "cdktf/lib/testing/adapters/jest"; // types of the Testing matchers registered in setup.js
import { Testing, TerraformStack } from "cdktf";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { ServiceAutoscaling } from "../src/constructs/autoscaling";
import type { AutoscalingSettings } from "../src/settings/autoscaling";
import { parseSettings, type SettingsInput } from "../src/settings/index";
import { LoadBalancer } from "../src/constructs/load-balancer/load-balancer";
import { StageNames } from "../src/common/naming";
import { Network } from "../src/constructs/network";
import { ContainerRegistry } from "../src/constructs/registry";
import { ContainerService } from "../src/constructs/ecs/service";
import { ZONES, ref, resourcesOf, synthesizedStage, theOne, type Attributes, type Synthesized, type SynthesizedStack } from "./support/synth";

// ---------------------------------------------------------------------------------------------
// Reading the synthesized Terraform JSON.

function policyConfigOf(json: Synthesized): Attributes {
  return theOne(json, AppautoscalingPolicy)[1].target_tracking_scaling_policy_configuration as Attributes;
}

// ---------------------------------------------------------------------------------------------
// A bare stack with the pieces ServiceAutoscaling needs, for the constructor's checks.

interface BareOptions {
  /** Tasks the service starts with. @default the service setting (1) */
  readonly desiredCount?: number;
  /** Put the service behind a load balancer. */
  readonly withLoadBalancer: boolean;
}

function bareService({ desiredCount, withLoadBalancer }: BareOptions): { stack: TerraformStack; service: ContainerService; loadBalancer?: LoadBalancer } {
  const stack = new TerraformStack(Testing.app(), "bare");
  const names = new StageNames("workshop", "autoscaling");
  const network = new Network(stack, "network", { availabilityZones: ZONES });
  const registry = new ContainerRegistry(stack, "registry", { names, appName: "my-nginx", region: "eu-west-1" });
  const loadBalancer = withLoadBalancer ? new LoadBalancer(stack, "load-balancer", { network, names, targetPort: 80 }) : undefined;
  const service = new ContainerService(stack, "service", {
    network,
    names,
    region: "eu-west-1",
    registry,
    loadBalancer,
    desiredCount,
    autoscaled: true,
  });
  return { stack, service, loadBalancer };
}

// ---------------------------------------------------------------------------------------------

describe("the lesson's policy: requests per target (autoscaling stage)", () => {
  let stage: SynthesizedStack;
  beforeAll(() => {
    stage = synthesizedStage("autoscaling");
  });

  test("an ECS scalable target on the service's desired count, from 1 to 10 tasks", () => {
    // GIVEN the autoscaling stage with lesson defaults
    // THEN there is one scalable target: the desired count of an ECS service, between 1 and 10
    expect(resourcesOf(stage.json, AppautoscalingTarget)).toHaveLength(1);
    expect(stage.text).toHaveResourceWithProperties(AppautoscalingTarget, {
      service_namespace: "ecs",
      scalable_dimension: "ecs:service:DesiredCount",
      min_capacity: 1,
      max_capacity: 10,
    });
  });

  test('the target\'s resource_id is "service/<cluster name>/<service name>" of the stage\'s cluster and service', () => {
    // GIVEN the autoscaling stage with lesson defaults
    const [clusterId] = theOne(stage.json, EcsCluster);
    const [serviceId] = theOne(stage.json, EcsService);
    // THEN the target points at the service by reference, so it is created after the service
    expect(stage.text).toHaveResourceWithProperties(AppautoscalingTarget, {
      resource_id: `service/${ref(EcsCluster, clusterId, "name")}/${ref(EcsService, serviceId, "name")}`,
    });
  });

  test("the service starts with 1 task and Terraform ignores later changes to its desired count", () => {
    // GIVEN the autoscaling stage with lesson defaults
    // THEN the service is created with the policy's desired count and leaves it to Application Auto Scaling
    expect(stage.text).toHaveResourceWithProperties(EcsService, {
      desired_count: 1,
      lifecycle: expect.objectContaining({ ignore_changes: ["desired_count"] }),
    });
  });

  test('a TargetTrackingScaling policy named "cloud-native-example-service-scaling" on the scalable target', () => {
    // GIVEN the autoscaling stage with lesson defaults
    const [targetId] = theOne(stage.json, AppautoscalingTarget);
    // THEN there is one target-tracking policy with the lesson's name, attached to the target by reference
    expect(resourcesOf(stage.json, AppautoscalingPolicy)).toHaveLength(1);
    expect(stage.text).toHaveResourceWithProperties(AppautoscalingPolicy, {
      name: "cloud-native-example-service-scaling",
      policy_type: "TargetTrackingScaling",
      service_namespace: ref(AppautoscalingTarget, targetId, "service_namespace"),
      scalable_dimension: ref(AppautoscalingTarget, targetId, "scalable_dimension"),
      resource_id: ref(AppautoscalingTarget, targetId, "resource_id"),
    });
  });

  test('tracks ALBRequestCountPerTarget of the stage\'s ALB and target group ("<alb arn_suffix>/<target group arn_suffix>")', () => {
    // GIVEN the autoscaling stage with lesson defaults
    const [albId] = theOne(stage.json, Lb);
    const [groupId, group] = theOne(stage.json, LbTargetGroup);
    // THEN the metric is requests per target, labelled with the ALB and the target group
    expect(stage.text).toHaveResourceWithProperties(AppautoscalingPolicy, {
      target_tracking_scaling_policy_configuration: expect.objectContaining({
        predefined_metric_specification: expect.objectContaining({
          predefined_metric_type: "ALBRequestCountPerTarget",
          resource_label: `${ref(Lb, albId, "arn_suffix")}/${ref(LbTargetGroup, groupId, "arn_suffix")}`,
        }),
      }),
    });
    // AND that target group is the one the service registers with and the listener forwards to
    const groupArn = ref(LbTargetGroup, groupId, "arn");
    expect(group.target_type).toBe("ip");
    expect(stage.text).toHaveResourceWithProperties(EcsService, { load_balancer: [expect.objectContaining({ target_group_arn: groupArn })] });
    expect(stage.text).toHaveResourceWithProperties(LbListener, {
      load_balancer_arn: ref(Lb, albId, "arn"),
      default_action: [expect.objectContaining({ target_group_arn: groupArn })],
    });
  });

  test("holds 10 requests per target with 60 s cooldowns both ways, scale-in enabled", () => {
    // GIVEN the autoscaling stage with lesson defaults
    // THEN the policy's target and cooldowns are the lesson's
    expect(stage.text).toHaveResourceWithProperties(AppautoscalingPolicy, {
      target_tracking_scaling_policy_configuration: expect.objectContaining({
        target_value: 10,
        scale_out_cooldown: 60,
        scale_in_cooldown: 60,
        disable_scale_in: false,
      }),
    });
  });
});

describe("before the autoscaling stage (alb)", () => {
  let stage: SynthesizedStack;
  beforeAll(() => {
    stage = synthesizedStage("alb");
  });

  test("there is no scalable target and no scaling policy", () => {
    // GIVEN the alb stage with lesson defaults
    // THEN nothing scales the service
    expect(stage.text).not.toHaveResource(AppautoscalingTarget);
    expect(stage.text).not.toHaveResource(AppautoscalingPolicy);
  });

  test("Terraform owns the desired count: 3 tasks and no ignore_changes", () => {
    // GIVEN the alb stage with lesson defaults
    const [, service] = theOne(stage.json, EcsService);
    // THEN the service runs the load balancer's 3 tasks and a changed count is applied by Terraform
    expect(service.desired_count).toBe(3);
    expect(service).not.toHaveProperty("lifecycle");
  });
});

describe('the CPU policy (autoscaling.policy "cpu")', () => {
  let stage: SynthesizedStack;
  beforeAll(() => {
    stage = synthesizedStage("autoscaling", { autoscaling: { policy: "cpu" } });
  });

  test("tracks ECSServiceAverageCPUUtilization at 70 %", () => {
    // GIVEN the CPU policy with its defaults
    // THEN the one policy holds the service's average CPU at 70 %
    expect(resourcesOf(stage.json, AppautoscalingPolicy)).toHaveLength(1);
    expect(stage.text).toHaveResourceWithProperties(AppautoscalingPolicy, {
      name: "cloud-native-example-cpu-scaling",
      policy_type: "TargetTrackingScaling",
      target_tracking_scaling_policy_configuration: expect.objectContaining({
        target_value: 70,
        predefined_metric_specification: expect.objectContaining({ predefined_metric_type: "ECSServiceAverageCPUUtilization" }),
      }),
    });
  });

  test("the CPU metric has no resource_label (it is not tied to the load balancer)", () => {
    // GIVEN the CPU policy
    const metric = policyConfigOf(stage.json).predefined_metric_specification as Attributes;
    // THEN the metric names no ALB or target group
    expect(metric).not.toHaveProperty("resource_label");
  });

  test("scales between 2 and 50 tasks and starts the service at 2", () => {
    // GIVEN the CPU policy with its defaults
    // THEN the target's capacity and the service's first desired count are the CPU example's
    expect(stage.text).toHaveResourceWithProperties(AppautoscalingTarget, { min_capacity: 2, max_capacity: 50 });
    expect(stage.text).toHaveResourceWithProperties(EcsService, { desired_count: 2 });
  });
});

describe("settings", () => {
  test("target, capacity, desired count and cooldowns come from the settings", () => {
    // GIVEN 50 requests per target, 2 to 20 tasks starting at 3, scale out after 30 s and in after 300 s
    const { text } = synthesizedStage("autoscaling", {
      autoscaling: {
        requestCount: { target: 50, minCapacity: 2, desiredCount: 3, maxCapacity: 20 },
        scaleOutCooldownSeconds: 30,
        scaleInCooldownSeconds: 300,
      },
    });
    // THEN the policy, the target and the service take them
    expect(text).toHaveResourceWithProperties(AppautoscalingPolicy, {
      target_tracking_scaling_policy_configuration: expect.objectContaining({ target_value: 50, scale_out_cooldown: 30, scale_in_cooldown: 300 }),
    });
    expect(text).toHaveResourceWithProperties(AppautoscalingTarget, { min_capacity: 2, max_capacity: 20 });
    expect(text).toHaveResourceWithProperties(EcsService, { desired_count: 3 });
  });

  test("enableScaleIn false sets disable_scale_in", () => {
    // GIVEN a policy that may only add tasks
    const { text } = synthesizedStage("autoscaling", { autoscaling: { enableScaleIn: false } });
    // THEN the policy never removes tasks
    expect(text).toHaveResourceWithProperties(AppautoscalingPolicy, {
      target_tracking_scaling_policy_configuration: expect.objectContaining({ disable_scale_in: true }),
    });
  });

  test.each(["requestCount", "cpu"] as const)("parseSettings rejects %s with minCapacity above desiredCount", (policy) => {
    // GIVEN a minimum of 5 tasks but 3 at creation
    const input: SettingsInput = { autoscaling: { [policy]: { minCapacity: 5, desiredCount: 3 } } };
    // THEN the settings are refused, naming the policy and the rule
    expect(() => parseSettings(input)).toThrow(
      new RegExp(`autoscaling\\.${policy}: minCapacity 5, desiredCount 3, .*must satisfy minCapacity <= desiredCount <= maxCapacity`),
    );
  });
});

describe("the ServiceAutoscaling constructor", () => {
  test.each([
    ["requestCount", 20, "1 to 10"],
    ["requestCount", 11, "1 to 10"],
    ["requestCount", 0, "1 to 10"],
    ["cpu", 1, "2 to 50"],
    ["cpu", 51, "2 to 50"],
  ] as const)("throws when the service's desired count is outside the %s capacity (desired %i)", (policy, desiredCount, range) => {
    // GIVEN a service behind a load balancer that starts with a count outside the policy's capacity
    const { stack, service, loadBalancer } = bareService({ desiredCount, withLoadBalancer: true });
    const settings: Partial<AutoscalingSettings> = { policy };
    // WHEN auto scaling is added
    // THEN it refuses, naming the count, the policy and the capacity
    expect(() => new ServiceAutoscaling(stack, "autoscaling", { service, loadBalancer, settings })).toThrow(
      new RegExp(`desired count ${desiredCount} is outside autoscaling\\.${policy}'s capacity ${range}`),
    );
  });

  test.each([1, 10])("accepts a desired count on the edge of the capacity (desired %i, capacity 1 to 10)", (desiredCount) => {
    // GIVEN a service behind a load balancer that starts at the minimum or the maximum
    const { stack, service, loadBalancer } = bareService({ desiredCount, withLoadBalancer: true });
    // WHEN auto scaling is added with the lesson's policy
    new ServiceAutoscaling(stack, "autoscaling", { service, loadBalancer });
    // THEN the target is made with the lesson's capacity
    expect(Testing.synth(stack)).toHaveResourceWithProperties(AppautoscalingTarget, { min_capacity: 1, max_capacity: 10 });
  });

  test("throws for the requestCount policy without a load balancer", () => {
    // GIVEN a service that is not behind a load balancer
    const { stack, service } = bareService({ withLoadBalancer: false });
    // WHEN auto scaling on requests per target is added
    // THEN it refuses: there is no ALB whose requests could be counted
    expect(() => new ServiceAutoscaling(stack, "autoscaling", { service })).toThrow(/autoscaling\.policy "requestCount".*needs a loadBalancer/);
  });

  test("the cpu policy works without a load balancer", () => {
    // GIVEN a service that is not behind a load balancer, starting at the CPU policy's minimum
    const { stack, service } = bareService({ desiredCount: 2, withLoadBalancer: false });
    // WHEN auto scaling on CPU is added
    new ServiceAutoscaling(stack, "autoscaling", { service, settings: { policy: "cpu" } });
    // THEN the policy tracks CPU
    expect(Testing.synth(stack)).toHaveResourceWithProperties(AppautoscalingPolicy, {
      target_tracking_scaling_policy_configuration: expect.objectContaining({
        predefined_metric_specification: expect.objectContaining({ predefined_metric_type: "ECSServiceAverageCPUUtilization" }),
      }),
    });
  });
});
