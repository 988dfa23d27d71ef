/**
 * Several services: each with its own resources, path rules on the listener, the security-group graph they
 * promise, addresses and priorities that do not move when the list is reordered, and the lesson's one service
 * unchanged when it is written out as a list.
 */
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { TerraformStack, Testing } from "cdktf";
import { LoadBalancer } from "../src/constructs/load-balancer/load-balancer";
import { StageNames } from "../src/common/naming";
import { Network } from "../src/constructs/network";
import { derivedPriority } from "../src/settings/paths";
import { ContainerRegistry } from "../src/constructs/registry";
import { ContainerService } from "../src/constructs/ecs/service";
import type { SettingsInput } from "../src/settings/index";
import type { StageName } from "../src/stages";
import { securityGraph } from "./support/security-graph";
import { THREE_SERVICES, TWO_SERVICES, reordered } from "./support/services";
import { ZONES, addresses, outputValue, ref, resources, resourcesOf, stageJson, theOne, type Attributes, type TerraformJson } from "./support/synth";

const graph = (stage: StageName, input: SettingsInput) => securityGraph(stageJson(stage, input), `workshop-${stage}`);
/** The lesson's jump host and its one path, to the database, stand beside every service. */
const withJumpHost = (edges: string[]) => [...edges, "database <- jump-host tcp/5432", "jump-host -> 0.0.0.0/0 tcp/443", "jump-host -> database tcp/5432"].sort();
const valuesOf = (json: TerraformJson, type: { tfResourceType: string }, key: string) =>
  resourcesOf(json, type)
    .map(([, attributes]) => attributes[key])
    .sort();
/** The listener rule whose path patterns are `paths`. */
const ruleFor = (json: TerraformJson, paths: string[]) =>
  theOne(json, LbListenerRule, (rule) => JSON.stringify((rule.condition as Attributes[])[0].path_pattern) === JSON.stringify({ values: paths }));
const containerOf = (json: TerraformJson, family: string) => {
  const [, task] = theOne(json, EcsTaskDefinition, (t) => t.family === family);
  const match = /^\$\{jsonencode\((.*)\)\}$/s.exec(String(task.container_definitions));
  return { task, text: match?.[1] ?? "" };
};

describe("each service has its own resources", () => {
  const json = stageJson("autoscaling", TWO_SERVICES);

  test("two services: two repositories, log groups, task definitions, ECS services, security groups, role pairs, target groups and scaling policies", () => {
    expect(valuesOf(json, EcrRepository, "name")).toEqual(["workshop-autoscaling/backend", "workshop-autoscaling/frontend"]);
    expect(valuesOf(json, CloudwatchLogGroup, "name").filter((n) => String(n).startsWith("/ecs/"))).toEqual([
      "/ecs/workshop-autoscaling/backend",
      "/ecs/workshop-autoscaling/frontend",
    ]);
    expect(valuesOf(json, EcsTaskDefinition, "family")).toEqual(["workshop-autoscaling-backend", "workshop-autoscaling-frontend"]);
    expect(valuesOf(json, EcsService, "name")).toEqual(["backend", "frontend"]);
    expect(valuesOf(json, SecurityGroup, "name")).toEqual([
      "workshop-autoscaling-alb",
      "workshop-autoscaling-backend-tasks",
      "workshop-autoscaling-database",
      "workshop-autoscaling-jump-host",
      "workshop-autoscaling-tasks",
    ]);
    expect(valuesOf(json, IamRole, "name")).toEqual([
      "workshop-autoscaling-backend-task",
      "workshop-autoscaling-backend-task-execution",
      "workshop-autoscaling-jump-host",
      "workshop-autoscaling-task",
      "workshop-autoscaling-task-execution",
    ]);
    const targetGroups = valuesOf(json, LbTargetGroup, "name");
    expect(new Set(targetGroups).size).toBe(2);
    expect(resourcesOf(json, AppautoscalingPolicy)).toHaveLength(2);
    // every ECS service runs in the one cluster
    expect(new Set(resourcesOf(json, EcsService).map(([, s]) => s.cluster))).toEqual(new Set(["${aws_ecs_cluster.service_cluster_B81F1F5D.arn}"]));
  });

  test("each target group checks its own service's health path on its own port", () => {
    const [, backend] = theOne(json, LbTargetGroup, (g) => g.port === 8080);
    expect(backend.health_check).toEqual(expect.objectContaining({ path: "/health" }));
    const [, frontend] = theOne(json, LbTargetGroup, (g) => g.port === 80);
    expect(frontend.health_check).toEqual(expect.objectContaining({ path: "/" }));
  });

  test("the backend scales on its own target group's requests", () => {
    const [backendGroup] = theOne(json, LbTargetGroup, (g) => g.port === 8080);
    const labels = resourcesOf(json, AppautoscalingPolicy).map(
      ([, p]) => ((p.target_tracking_scaling_policy_configuration as Attributes).predefined_metric_specification as Attributes).resource_label,
    );
    expect(labels).toContainEqual(expect.stringContaining(ref(LbTargetGroup, backendGroup, "arn_suffix")));
  });

  test("only the service at \"/\" gets the database: DB_* environment and the password secret", () => {
    expect(containerOf(json, "workshop-autoscaling-frontend").text).toMatch(/DB_HOST.*DB_PASSWORD/s);
    expect(containerOf(json, "workshop-autoscaling-backend").text).not.toMatch(/DB_|secretsmanager/);
  });
});

describe("path routing", () => {
  const json = stageJson("alb", TWO_SERVICES);

  test("the service at \"/\" is the HTTP listener's default action; the other gets a rule with its patterns", () => {
    const [listenerId, listener] = theOne(json, LbListener);
    const [frontendGroup] = theOne(json, LbTargetGroup, (g) => g.port === 80);
    const [backendGroup] = theOne(json, LbTargetGroup, (g) => g.port === 8080);
    expect(listener.default_action).toEqual([expect.objectContaining({ type: "forward", target_group_arn: ref(LbTargetGroup, frontendGroup, "arn") })]);
    const [, rule] = ruleFor(json, ["/api/*", "/v1/*"]);
    expect(rule).toEqual(
      expect.objectContaining({
        listener_arn: ref(LbListener, listenerId, "arn"),
        priority: derivedPriority("backend"),
        action: [expect.objectContaining({ type: "forward", target_group_arn: ref(LbTargetGroup, backendGroup, "arn") })],
      }),
    );
  });

  test("the backend's ECS service registers with its target group and waits for its rule", () => {
    const [backendGroup] = theOne(json, LbTargetGroup, (g) => g.port === 8080);
    const [ruleId] = ruleFor(json, ["/api/*", "/v1/*"]);
    const [, service] = theOne(json, EcsService, (s) => s.name === "backend");
    expect(service.load_balancer).toEqual([{ target_group_arn: ref(LbTargetGroup, backendGroup, "arn"), container_name: "backend", container_port: 8080 }]);
    expect(service.depends_on).toEqual(expect.arrayContaining([`aws_lb_listener_rule.${ruleId}`]));
  });

  test("an explicit priority wins over the derived one", () => {
    const input: SettingsInput = { services: [{ name: "frontend", paths: ["/"] }, { name: "backend", paths: ["/api/*"], priority: 7 }] };
    expect(ruleFor(stageJson("alb", input), ["/api/*"])[1].priority).toBe(7);
  });

  test("without a service at \"/\" the listener answers 404 and the cluster keeps its address", () => {
    const input: SettingsInput = { services: [{ name: "api", paths: ["/api/*"] }, { name: "web", paths: ["/web/*"] }] };
    const noDefault = stageJson("alb", input);
    const [, listener] = theOne(noDefault, LbListener);
    expect(listener.default_action).toEqual([expect.objectContaining({ type: "fixed-response", fixed_response: expect.objectContaining({ status_code: "404" }) })]);
    expect(addresses(noDefault)).toContain("aws_ecs_cluster.service_cluster_B81F1F5D");
    expect(resourcesOf(noDefault, LbListenerRule)).toHaveLength(2);
  });

  test("a service behind a load balancer without a default target group must be given its own", () => {
    // GIVEN a load balancer made without targetPort (no service at "/")
    const stack = new TerraformStack(Testing.app(), "bare");
    const names = new StageNames("workshop", "alb");
    const network = new Network(stack, "network", { availabilityZones: ZONES });
    const loadBalancer = new LoadBalancer(stack, "load-balancer", { network, names });
    const registry = new ContainerRegistry(stack, "registry", { names, appName: "api", region: "eu-west-1" });
    // WHEN a service joins it without a target group THEN it is refused, naming what to pass
    expect(() => new ContainerService(stack, "service", { network, names, region: "eu-west-1", registry, loadBalancer, settings: { appName: "api" } })).toThrow(
      /ContainerService api: the load balancer has no default target group; pass targetGroup/,
    );
  });

  test("fargate: routed services are open to the internet for the lesson; a service without paths is not", () => {
    const input: SettingsInput = { services: [{ name: "frontend", paths: ["/"] }, { name: "worker" }] };
    expect(graph("fargate", input)).toEqual(
      withJumpHost([
        "database <- tasks tcp/5432",
        "tasks -> 0.0.0.0/0 tcp/443",
        "tasks -> database tcp/5432",
        "tasks <- 0.0.0.0/0 tcp/80",
        "worker-tasks -> 0.0.0.0/0 tcp/443",
      ]),
    );
  });
});

describe("the security-group graph shows only the paths the settings describe", () => {
  test("two services: the load balancer reaches each on its port; only the service at \"/\" reaches the database", () => {
    expect(graph("autoscaling", TWO_SERVICES)).toEqual(
      withJumpHost([
        "alb -> backend-tasks tcp/8080",
        "alb -> tasks tcp/80",
        "alb <- 0.0.0.0/0 tcp/80",
        "alb <- ::/0 tcp/80",
        "backend-tasks -> 0.0.0.0/0 tcp/443",
        "backend-tasks <- alb tcp/8080",
        "database <- tasks tcp/5432",
        "tasks -> 0.0.0.0/0 tcp/443",
        "tasks -> database tcp/5432",
        "tasks <- alb tcp/80",
      ]),
    );
  });

  test("three services with HTTPS: frontend calls backend, backend calls worker and uses the database, nobody else", () => {
    expect(graph("autoscaling", THREE_SERVICES)).toEqual(
      withJumpHost([
        "alb -> backend-tasks tcp/8080",
        "alb -> tasks tcp/80",
        "alb <- 0.0.0.0/0 tcp/443",
        "alb <- 0.0.0.0/0 tcp/80",
        "alb <- ::/0 tcp/443",
        "alb <- ::/0 tcp/80",
        "backend-tasks -> 0.0.0.0/0 tcp/443",
        "backend-tasks -> database tcp/5432",
        "backend-tasks -> worker-tasks tcp/9000",
        "backend-tasks <- alb tcp/8080",
        "backend-tasks <- tasks tcp/8080",
        "database <- backend-tasks tcp/5432",
        "database <- tasks tcp/5432",
        "tasks -> 0.0.0.0/0 tcp/443",
        "tasks -> backend-tasks tcp/8080",
        "tasks -> database tcp/5432",
        "tasks <- alb tcp/80",
        "worker-tasks -> 0.0.0.0/0 tcp/443",
        "worker-tasks <- backend-tasks tcp/9000",
      ]),
    );
  });

  test("a default service that does not use the database leaves the jump host its only client", () => {
    const input: SettingsInput = { services: [{ name: "frontend", paths: ["/"], useDatabase: false }] };
    expect(graph("alb", input).filter((edge) => edge.includes("database"))).toEqual(["database <- jump-host tcp/5432", "jump-host -> database tcp/5432"]);
  });
});

describe("addresses and priorities follow names, not places in the list", () => {
  test("reordering three services keeps every address and every rule's priority", () => {
    // GIVEN the three services in two orders
    const before = stageJson("autoscaling", THREE_SERVICES);
    const after = stageJson("autoscaling", reordered(THREE_SERVICES, [2, 0, 1]));
    // THEN the addresses are the same, and each path keeps its priority
    expect(addresses(after).sort()).toEqual(addresses(before).sort());
    const priorities = (json: TerraformJson) =>
      Object.fromEntries(resourcesOf(json, LbListenerRule).map(([id, rule]) => [id, rule.priority]));
    expect(priorities(after)).toEqual(priorities(before));
    expect(Object.keys(priorities(before))).toHaveLength(1);
  });

  test("adding a service keeps the others' rule priorities", () => {
    const more: SettingsInput = { services: [...(TWO_SERVICES.services ?? []), { name: "admin", paths: ["/admin/*"] }] };
    const priority = (json: TerraformJson) => ruleFor(json, ["/api/*", "/v1/*"])[1].priority;
    expect(priority(stageJson("alb", more))).toBe(priority(stageJson("alb", TWO_SERVICES)));
  });

  test("the lesson's service written out as a list synthesizes the same resources as the defaults", () => {
    const explicit = stageJson("autoscaling", { services: [{ name: "my-nginx", paths: ["/"] }] });
    expect(explicit.resource).toEqual(stageJson("autoscaling").resource);
  });
});

describe("HTTPS", () => {
  const json = stageJson("autoscaling", THREE_SERVICES);
  const listeners = (): Record<string, Attributes & { id: string }> =>
    Object.fromEntries(resourcesOf(json, LbListener).map(([id, l]) => [String(l.protocol), { ...l, id }]));

  test("port 80 redirects permanently to 443; the 443 listener forwards with the TLS 1.3/1.2 policy and the certificate", () => {
    const { HTTP, HTTPS } = listeners();
    expect(HTTP.default_action).toEqual([
      expect.objectContaining({ type: "redirect", redirect: expect.objectContaining({ protocol: "HTTPS", port: "443", status_code: "HTTP_301" }) }),
    ]);
    expect(HTTPS).toEqual(
      expect.objectContaining({ port: 443, ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06", certificate_arn: THREE_SERVICES.loadBalancer?.certificateArn }),
    );
    expect(HTTPS.default_action).toEqual([expect.objectContaining({ type: "forward" })]);
    // the HTTP listener keeps the lesson's address
    expect(HTTP.id).toBe("load-balancer_listener_DF3231AC");
  });

  test("the extra certificate joins the 443 listener", () => {
    const { HTTPS } = listeners();
    expect(Object.values(resources(json, "aws_lb_listener_certificate"))).toEqual([
      expect.objectContaining({ listener_arn: ref(LbListener, HTTPS.id, "arn"), certificate_arn: THREE_SERVICES.loadBalancer?.extraCertificateArns?.[0] }),
    ]);
  });

  test("path rules and the services' dependency move to the 443 listener; the URL is https", () => {
    const { HTTPS } = listeners();
    expect(ruleFor(json, ["/api/*"])[1].listener_arn).toBe(ref(LbListener, HTTPS.id, "arn"));
    for (const name of ["frontend", "backend"]) {
      expect(theOne(json, EcsService, (s) => s.name === name)[1].depends_on).toContain(`aws_lb_listener.${HTTPS.id}`);
    }
    expect(outputValue(json, "load_balancer_url")).toMatch(/^https:\/\/\$\{aws_lb\.[^}]+\.dns_name\}$/);
  });
  test("adding a certificate keeps the load balancer's security group: its name and description (which AWS cannot change in place) stay", () => {
    const group = (input: SettingsInput) => theOne(stageJson("alb", input), SecurityGroup, (g) => g.name === "workshop-alb-alb")[1];
    const withHttps = group({ loadBalancer: { certificateArn: THREE_SERVICES.loadBalancer?.certificateArn } });
    expect([withHttps.name, withHttps.description]).toEqual([group({}).name, group({}).description]);
  });
});
