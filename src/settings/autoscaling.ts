/** The autoscaling section (stage autoscaling): target tracking on requests per target or on CPU. */
import type { z } from "zod";
import { flag, oneOf, orderProblems, section, sectionDefaults, wholeNumber } from "./blocks";

const scalingRange = (min: number, desired: number, max: number, target: ReturnType<typeof wholeNumber>, what: string) =>
  section(
    {
      target,
      minCapacity: wholeNumber(0, 1000, min, `Fewest tasks. @default ${min}`),
      desiredCount: wholeNumber(0, 1000, desired, `Tasks at creation. @default ${desired}`),
      maxCapacity: wholeNumber(1, 1000, max, `Most tasks. @default ${max}`),
    },
    what,
  );

/** A CPU target is a percentage of the tasks' CPU. */
export const MAX_CPU_TARGET_PERCENT = 100;

export const autoscalingSettings = section(
  {
    policy: oneOf(
      ["requestCount", "cpu"],
      "requestCount",
      'Target tracking on ALBRequestCountPerTarget ("requestCount", the lesson) or on ECSServiceAverageCPUUtilization ("cpu"). @default "requestCount"',
    ),
    requestCount: scalingRange(
      1,
      1,
      10,
      wholeNumber(1, 100000, 10, "Requests per target to hold. @default 10 (low, so that load tests scale easily)"),
      "The lesson's policy: 10 requests per target, 1 to 10 tasks.",
    ),
    cpu: scalingRange(
      2,
      2,
      50,
      wholeNumber(1, MAX_CPU_TARGET_PERCENT, 70, "Average CPU percent to hold. @default 70"),
      "The slides' CPU example: 70 %, 2 to 50 tasks.",
    ),
    scaleOutCooldownSeconds: wholeNumber(0, 3600, 60, "@default 60"),
    scaleInCooldownSeconds: wholeNumber(0, 3600, 60, "@default 60"),
    enableScaleIn: flag(true, "Let the policy remove tasks. @default true"),
  },
  "Service auto scaling (stage autoscaling).",
);

export type AutoscalingSettings = z.output<typeof autoscalingSettings>;
export type ScalingPolicy = AutoscalingSettings["policy"];
export const AUTOSCALING_DEFAULTS = sectionDefaults(autoscalingSettings);

export function autoscalingProblems(autoscaling: AutoscalingSettings): string[] {
  return (["requestCount", "cpu"] as const).flatMap((policy) => {
    const { minCapacity, desiredCount, maxCapacity } = autoscaling[policy];
    return orderProblems(`autoscaling.${policy}`, { minCapacity, desiredCount, maxCapacity });
  });
}
