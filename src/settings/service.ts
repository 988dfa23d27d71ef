/**
 * The service section (stage fargate on): the ECS service of the lesson, its image, size, port and logs; and
 * the `services` list, whose entries leave out what the service, loadBalancer and autoscaling sections give
 * (services.ts completes and checks them).
 */
import { z } from "zod";
import { FARGATE_CPU_SIZES, fargateMemoryOptions } from "./facts/fargate";
import { LOG_RETENTION_DAYS } from "./facts/cloudwatch-logs";
import { ADMIN_PORTS, ECS_AGENT_RESERVED_PORTS } from "./facts/ports";
import { choice, flag, oneOf, optionalWholeNumber, pattern, section, sectionDefaults, strictGroup, urlPath, wholeNumber } from "./blocks";

/** Also an ECR repository name's last part, which takes no two separators in a row ("api--v1"). */
const APP_NAME = /^(?=.{2,32}$)[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const APP_NAME_RULE =
  "must be 2 to 32 lowercase letters, digits or hyphens, starting with a letter and ending with a letter or digit, never two hyphens in a row (ECR refuses such repository names)";
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const IMAGE_TAG_RULE = "must be a Docker tag: letters, digits, _ . - (at most 128)";
/** ALB path patterns: up to 128 characters, wildcards * and ?. */
const PATH_PATTERN = /^\/[A-Za-z0-9_\-.$/~"'@:+&*?]{0,127}$/;
const PATH_PATTERN_RULE = 'must be a path pattern starting with "/", at most 128 characters: letters, digits, _ - . $ / ~ " \' @ : + & and the wildcards * and ?';

export const serviceSettings = section(
  {
    appName: pattern(APP_NAME, APP_NAME_RULE)
      .default("my-nginx")
      .describe('Name of the container, service and task family. @default "my-nginx"'),
    imageSource: oneOf(
      ["public", "repository"],
      "public",
      'Where the image comes from: "public" (publicImage, so a deploy works before anything is pushed) or "repository" (the stage\'s ECR repository at imageTag). @default "public"',
    ),
    publicImage: pattern(/^\S+$/, "must be an image reference without spaces, such as public.ecr.aws/nginx/nginx:stable")
      .default("public.ecr.aws/nginx/nginx:stable")
      .describe('Image used when imageSource is "public". @default "public.ecr.aws/nginx/nginx:stable"'),
    imageTag: pattern(IMAGE_TAG, IMAGE_TAG_RULE)
      .default("latest")
      .describe('Tag used when imageSource is "repository". @default "latest"'),
    launchType: oneOf(
      ["FARGATE", "EC2"],
      "FARGATE",
      'Where the tasks run: "FARGATE" (the lesson) or "EC2" (an Auto Scaling group of ECS instances, see ec2Capacity; bridge networking, with dynamic host ports behind the load balancer). @default "FARGATE"',
    ),
    cpu: wholeNumber(256, 16384, 256, "Task CPU units; must pair with memoryMiB as Fargate allows (on EC2: fit on ec2Capacity.instanceType). @default 256"),
    memoryMiB: wholeNumber(512, 122880, 512, "Task memory in MiB. @default 512"),
    containerPort: wholeNumber(1, 65535, 80, "Port the container listens on. @default 80"),
    desiredCount: wholeNumber(0, 1000, 1, "Tasks in stage fargate. @default 1"),
    enableContainerInsights: flag(false, "CloudWatch Container Insights on the cluster (extra cost). @default false"),
    logRetentionDays: z
      .literal(LOG_RETENTION_DAYS, { error: `must be one of the retention periods CloudWatch Logs offers: ${LOG_RETENTION_DAYS.join(", ")}` })
      .default(7)
      .describe("Days CloudWatch keeps the container logs and the database's exported logs. @default 7"),
  },
  "The ECS cluster, task definition and service (stage fargate).",
);

export type ServiceSettings = z.output<typeof serviceSettings>;
export const SERVICE_DEFAULTS = sectionDefaults(serviceSettings);

/** One service of the `services` list: what it leaves out comes from the service, loadBalancer and autoscaling sections. */
const serviceEntry = strictGroup({
  name: pattern(APP_NAME, APP_NAME_RULE).describe("Name of the service, its container, task family, repository and DNS name; unique in the list"),
  imageSource: choice(["public", "repository"]).optional().describe("@default service.imageSource"),
  publicImage: pattern(/^\S+$/, "must be an image reference without spaces").optional().describe("@default service.publicImage"),
  imageTag: pattern(IMAGE_TAG, IMAGE_TAG_RULE).optional().describe("@default service.imageTag"),
  containerPort: optionalWholeNumber(1, 65535, "@default service.containerPort"),
  cpu: optionalWholeNumber(256, 16384, "@default service.cpu"),
  memoryMiB: optionalWholeNumber(512, 122880, "@default service.memoryMiB"),
  desiredCount: optionalWholeNumber(0, 1000, "Tasks in stages fargate and alb. @default service.desiredCount in fargate, loadBalancer.desiredCount in alb"),
  healthCheckPath: urlPath().optional().describe("@default loadBalancer.healthCheckPath"),
  paths: z
    .array(pattern(PATH_PATTERN, PATH_PATTERN_RULE), { error: "must be a list of path patterns" })
    .optional()
    .describe('Path patterns the load balancer routes here, such as "/api/*"; "/" makes it the default (catch-all) service. @default [] (not routed: reached only by services that call it)'),
  priority: optionalWholeNumber(1, 50000, "Listener rule priority. @default derived from the name (stable when the list is reordered)"),
  calls: z.array(z.string({ error: "must be a service name" }), { error: "must be a list of service names" }).default([]).describe(
    "Services this one connects to (needs serviceDiscovery.enable): opens their port to it and sets <NAME>_HOST, <NAME>_PORT, <NAME>_URL. @default []",
  ),
  useDatabase: z.boolean({ error: "must be true or false" }).optional().describe('Database access (security group, DB_* environment, password secret). @default true for the service at "/", false for the others'),
  scaling: strictGroup({
    policy: choice(["requestCount", "cpu"]).optional().describe('@default autoscaling.policy ("cpu" for a service without paths)'),
    target: optionalWholeNumber(1, 100000, "@default the policy's target in the autoscaling section"),
    minCapacity: optionalWholeNumber(0, 1000, "@default the policy's minCapacity"),
    desiredCount: optionalWholeNumber(0, 1000, "@default the policy's desiredCount"),
    maxCapacity: optionalWholeNumber(1, 1000, "@default the policy's maxCapacity"),
  })
    .optional()
    .describe("This service's scaling in stage autoscaling. @default the autoscaling section"),
});

export const servicesList = z
  .array(serviceEntry, { error: "must be a list of services" })
  .min(1, { error: "must list at least one service (leave the key out for the lesson's one)" })
  .optional()
  .describe('Several services behind one load balancer, routed by path. @default one service from the service, loadBalancer and autoscaling sections: service.appName at "/"');

export type ServiceEntry = z.output<typeof serviceEntry>;

/** What is wrong with a task size on Fargate, for the settings at `at` ("service", "services[1]"). */
export function fargateSizeProblems(at: string, cpu: number, memoryMiB: number): string[] {
  const options = fargateMemoryOptions(cpu);
  if (options.length === 0) return [`${at}.cpu: ${cpu} is not a Fargate CPU size; allowed: ${FARGATE_CPU_SIZES.join(", ")}`];
  if (!options.includes(memoryMiB)) return [`${at}.memoryMiB: ${memoryMiB} does not pair with cpu ${cpu} on Fargate; allowed: ${options.join(", ")}`];
  return [];
}

/** On Fargate the task size must be one Fargate offers; on EC2 it has to fit on the instance type instead (ec2-capacity.ts). */
export function serviceProblems(service: ServiceSettings): string[] {
  return service.launchType === "EC2" ? [] : fargateSizeProblems("service", service.cpu, service.memoryMiB);
}

/**
 * Why a service cannot listen on `port`: on EC2 the ECS agent keeps it for itself; or the port is SSH or RDP and the
 * service is one the lesson browses to, whose port stage fargate opens to the whole internet.
 */
export function containerPortProblem(port: number, launchType: ServiceSettings["launchType"], openToInternet: boolean): string | undefined {
  const other = "allowed: any other port from 1 to 65535, such as 80 or 8080";
  if (launchType === "EC2" && ECS_AGENT_RESERVED_PORTS.includes(port)) {
    return (
      `${port} is a port the ECS agent reserves on its EC2 instances (${ECS_AGENT_RESERVED_PORTS.join(", ")}), ` +
      `so with service.launchType "EC2" no task listening there would be placed; ${other}`
    );
  }
  if (openToInternet && ADMIN_PORTS.includes(port)) {
    return (
      `${port} (${port === 22 ? "SSH" : "RDP"}) would be open to the whole internet in stage fargate, where the lesson browses to the task's public IP, ` +
      `and the policy check SG-NO-WORLD-ADMIN-PORTS refuses that; ${other}`
    );
  }
  return undefined;
}
