/** ECS: cluster, task definition (its container definitions decoded from jsonencode) and service. */
// source: checkov resource/aws (ECS*), trivy-checks checks/cloud/aws/ecs, AWS Security Hub ECS controls; read 2026-12-06
import type { Flag, Rule } from "../types";
import type { Resource, StackView } from "../stack-view";
import { block, flagWhere } from "./helpers";

/** Names of environment variables that hold secrets; such values belong in `secrets` (Secrets Manager or SSM). */
export const SECRET_NAME = /(^|_)pass(_|$)|passw(or)?d|secret|token|api_?key|private_?key|credential|access_?key/i;
/** Values that are secrets whatever their name: AWS access key ids. */
const SECRET_VALUE = /\b(AKIA|ASIA)[A-Z0-9]{16}\b/;

interface Container {
  readonly name?: string;
  readonly privileged?: boolean;
  readonly readonlyRootFilesystem?: boolean;
  readonly logConfiguration?: { readonly logDriver?: string };
  readonly environment?: Array<{ readonly name?: string; readonly value?: unknown }>;
}

/** The task definition's containers, as the JSON ECS receives. */
function containers(stack: StackView, task: Resource): Container[] {
  const decoded = stack.document(task.attributes.container_definitions);
  return Array.isArray(decoded) ? (decoded as Container[]) : [];
}

/** One flag per container for which `broken` returns a detail. */
function perContainer(stack: StackView, broken: (container: Container) => string | false): Flag[] {
  return stack.all("aws_ecs_task_definition").flatMap((task) =>
    containers(stack, task).flatMap((container) => {
      const detail = broken(container);
      return detail === false ? [] : [{ address: task.address, detail: `container ${String(container.name)}: ${detail}` }];
    }),
  );
}

export const ECS_RULES: Rule[] = [
  {
    id: "ECS-NO-PLAIN-SECRETS",
    service: "ecs",
    severity: "error",
    reason: "Plain environment variables show in the console, the API and the Terraform state.",
    fix: "Pass secrets with the container's `secrets` (valueFrom a Secrets Manager or SSM ARN), never `environment`.",
    trivy: ["AVD-AWS-0036"],
    securityHub: ["ECS.8"],
    check: (stack) =>
      perContainer(stack, (container) => {
        const leaked = (container.environment ?? []).filter((v) => SECRET_NAME.test(String(v.name)) || SECRET_VALUE.test(String(v.value)));
        return leaked.length > 0 && `environment ${leaked.map((v) => String(v.name)).join(", ")}`;
      }),
  },
  {
    id: "ECS-NOT-PRIVILEGED",
    service: "ecs",
    severity: "error",
    reason: "A privileged container is root on its host.",
    fix: "Remove privileged (Fargate refuses it anyway).",
    checkov: ["CKV_AWS_334"],
    securityHub: ["ECS.4"],
    check: (stack) => perContainer(stack, (container) => container.privileged === true && "privileged"),
  },
  {
    id: "ECS-LOGGING",
    service: "ecs",
    severity: "error",
    reason: "A container without a log configuration leaves no output to debug a failing task with.",
    fix: 'Give every container a logConfiguration (logDriver "awslogs" into the stage\'s log group).',
    securityHub: ["ECS.9"],
    check: (stack) => perContainer(stack, (container) => !container.logConfiguration?.logDriver && "no logConfiguration"),
  },
  {
    id: "ECS-READONLY-ROOT",
    service: "ecs",
    severity: "warning",
    reason: "A writable root filesystem lets an intruder change the container's own files.",
    fix: "Set readonlyRootFilesystem = true and mount writable volumes where the app writes.",
    checkov: ["CKV_AWS_336"],
    securityHub: ["ECS.5"],
    check: (stack) => perContainer(stack, (container) => container.readonlyRootFilesystem !== true && "writable root filesystem"),
  },
  {
    id: "ECS-ROLES-DISTINCT",
    service: "ecs",
    severity: "error",
    reason: "The execution role pulls images and reads secrets for ECS; the app must not inherit those rights.",
    fix: "Give the task definition a task role of its own, distinct from the execution role.",
    checkov: ["CKV_AWS_249"],
    check: (stack) =>
      flagWhere(stack, "aws_ecs_task_definition", (task) => task.attributes.execution_role_arn !== undefined && task.attributes.execution_role_arn === task.attributes.task_role_arn),
  },
  {
    id: "ECS-NO-HOST-NAMESPACES",
    service: "ecs",
    severity: "error",
    reason: "Sharing the host's process or network namespace breaks the isolation between tasks.",
    fix: 'Use network_mode "awsvpc" and leave pid_mode and ipc_mode unset.',
    checkov: ["CKV_AWS_335"],
    securityHub: ["ECS.3", "ECS.17"],
    check: (stack) =>
      flagWhere(stack, "aws_ecs_task_definition", (task) =>
        task.attributes.pid_mode === "host" || task.attributes.ipc_mode === "host" || task.attributes.network_mode === "host"),
  },
  {
    id: "ECS-NO-PUBLIC-IP",
    service: "ecs",
    severity: "warning",
    reason: "A task with a public IP is addressable from the internet; only its security group stands in the way.",
    fix: "Run the tasks in private subnets without a public IP (network.nat, behind a load balancer).",
    checkov: ["CKV_AWS_333"],
    securityHub: ["ECS.2"],
    check: (stack) => flagWhere(stack, "aws_ecs_service", (service) => block(service.attributes.network_configuration)?.assign_public_ip === true),
  },
  {
    id: "ECS-FARGATE-LATEST",
    service: "ecs",
    severity: "warning",
    reason: "Older Fargate platform versions miss security patches.",
    fix: 'Leave platform_version unset or "LATEST".',
    checkov: ["CKV_AWS_332"],
    securityHub: ["ECS.10"],
    check: (stack) =>
      flagWhere(stack, "aws_ecs_service", (service) => service.attributes.platform_version !== undefined && service.attributes.platform_version !== "LATEST"),
  },
  {
    id: "ECS-CIRCUIT-BREAKER",
    service: "ecs",
    severity: "warning",
    reason: "Without the circuit breaker a broken image keeps ECS replacing failing tasks forever.",
    fix: "Set deployment_circuit_breaker { enable = true, rollback = true }.",
    check: (stack) =>
      flagWhere(stack, "aws_ecs_service", (service) => {
        const breaker = block(service.attributes.deployment_circuit_breaker);
        return breaker?.enable !== true || breaker.rollback !== true;
      }),
  },
  {
    id: "ECS-CONTAINER-INSIGHTS",
    service: "ecs",
    severity: "warning",
    reason: "Without Container Insights, per-task CPU, memory and restarts are not recorded.",
    fix: 'Set the cluster setting containerInsights to "enabled" (service.enableContainerInsights).',
    checkov: ["CKV_AWS_65"],
    trivy: ["AVD-AWS-0034"],
    securityHub: ["ECS.12"],
    check: (stack) =>
      flagWhere(stack, "aws_ecs_cluster", (cluster) =>
        ![cluster.attributes.setting].flat().some((s) => block(s)?.name === "containerInsights" && ["enabled", "enhanced"].includes(String(block(s)?.value)))),
  },
];
