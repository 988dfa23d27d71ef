/** Application Auto Scaling of the ECS service. */
// source: Application Auto Scaling and ECS developer guides (our own rules, no scanner counterpart); read 2026-11-22
import type { Rule } from "../types";
import { asList } from "../stack-view";
import { block, flagWhere } from "./helpers";

export const AUTOSCALING_RULES: Rule[] = [
  {
    id: "SCALING-CAPACITY-RANGE",
    service: "autoscaling",
    severity: "error",
    reason: "A scalable target whose minimum exceeds its maximum, or whose maximum is 0, cannot scale.",
    fix: "Set 0 <= min_capacity <= max_capacity and max_capacity >= 1.",
    check: (stack) =>
      flagWhere(stack, "aws_appautoscaling_target", (target) => {
        const min = Number(target.attributes.min_capacity);
        const max = Number(target.attributes.max_capacity);
        return !(min >= 0 && min <= max && max >= 1);
      }),
  },
  {
    id: "SCALING-DESIRED-COUNT-IGNORED",
    service: "autoscaling",
    severity: "error",
    reason: "When Terraform manages the desired count too, every deploy resets what the scaler chose.",
    fix: 'Give the scaled aws_ecs_service lifecycle { ignore_changes = ["desired_count"] }.',
    check: (stack) =>
      stack.all("aws_appautoscaling_target").flatMap((target) =>
        stack
          .all("aws_ecs_service")
          .filter((service) => stack.mentions(target.attributes.resource_id, service))
          .filter((service) => !asList(block(service.attributes.lifecycle)?.ignore_changes).includes("desired_count"))
          .map((service) => ({ address: service.address })),
      ),
  },
  {
    id: "SCALING-POLICY-ON-TARGET",
    service: "autoscaling",
    severity: "error",
    reason: "A scaling policy must act on a scalable target of the stack, or it fails at apply time.",
    fix: "Take the policy's resource_id, scalable_dimension and service_namespace from the aws_appautoscaling_target.",
    check: (stack) =>
      flagWhere(stack, "aws_appautoscaling_policy", (policy) => stack.target(policy.attributes.resource_id)?.type !== "aws_appautoscaling_target"),
  },
];
