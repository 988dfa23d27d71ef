/** Cloud Map service discovery: a private namespace in the VPC, A records per service, callers get the names. */
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { ServiceDiscoveryPrivateDnsNamespace } from "@cdktf/provider-aws/lib/service-discovery-private-dns-namespace";
import { ServiceDiscoveryService } from "@cdktf/provider-aws/lib/service-discovery-service";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { parseSettings } from "../src/settings/index";
import { README_EXAMPLE, THREE_SERVICES, TWO_SERVICES } from "./support/services";
import { addresses, outputValue, ref, resourcesOf, stageJson, theOne, type TerraformJson } from "./support/synth";

const callEnvironmentOf = (json: TerraformJson, family: string): Array<{ name: string; value: string }> => {
  const [, task] = theOne(json, EcsTaskDefinition, (t) => t.family === family);
  const inner = /^\$\{jsonencode\((.*)\)\}$/s.exec(String(task.container_definitions))?.[1] ?? "[]";
  // The calls' variables only: the database's DB_* are another test's.
  return [...inner.matchAll(/\{"name" = "([A-Z_]+)", "value" = "([^"$]*)"\}/g)]
    .map((m) => ({ name: m[1], value: m[2] }))
    .filter(({ name }) => !name.startsWith("DB_"));
};

describe("service discovery off (the lesson)", () => {
  test("adds nothing: no namespace, no Cloud Map service, no service registry", () => {
    const json = stageJson("autoscaling", TWO_SERVICES);
    expect(addresses(json).filter((a) => a.startsWith("aws_service_discovery"))).toEqual([]);
    for (const [, service] of resourcesOf(json, EcsService)) expect(service.service_registries).toBeUndefined();
  });
});

describe("service discovery on", () => {
  const json = stageJson("autoscaling", THREE_SERVICES);

  test("a private DNS namespace \"local\" in the stage's VPC", () => {
    const [, namespace] = theOne(json, ServiceDiscoveryPrivateDnsNamespace);
    expect(namespace).toEqual(expect.objectContaining({ name: "local", vpc: ref(Vpc, theOne(json, Vpc)[0]) }));
  });

  test("one Cloud Map service per ECS service: A records, MULTIVALUE, custom health check, registered by the ECS service", () => {
    const [namespaceId] = theOne(json, ServiceDiscoveryPrivateDnsNamespace);
    for (const name of ["frontend", "backend", "worker"]) {
      const [discoveryId, discovery] = theOne(json, ServiceDiscoveryService, (s) => s.name === name);
      expect(discovery).toEqual(
        expect.objectContaining({
          dns_config: expect.objectContaining({
            namespace_id: ref(ServiceDiscoveryPrivateDnsNamespace, namespaceId),
            dns_records: [{ type: "A", ttl: 10 }],
            routing_policy: "MULTIVALUE",
          }),
          health_check_custom_config: expect.objectContaining({ failure_threshold: 1 }),
        }),
      );
      const [, service] = theOne(json, EcsService, (s) => s.name === name);
      expect(service.service_registries).toEqual({ registry_arn: ref(ServiceDiscoveryService, discoveryId, "arn") });
    }
  });

  test("a caller gets the callee's host, port and URL; a service that calls nobody gets none", () => {
    expect(callEnvironmentOf(json, "workshop-autoscaling-frontend")).toEqual([
      { name: "BACKEND_HOST", value: "backend.local" },
      { name: "BACKEND_PORT", value: "8080" },
      { name: "BACKEND_URL", value: "http://backend.local:8080" },
    ]);
    expect(callEnvironmentOf(json, "workshop-autoscaling-backend")).toEqual([
      { name: "WORKER_HOST", value: "worker.local" },
      { name: "WORKER_PORT", value: "9000" },
      { name: "WORKER_URL", value: "http://worker.local:9000" },
    ]);
    expect(callEnvironmentOf(json, "workshop-autoscaling-worker")).toEqual([]);
  });

  test("the service_details output gives each service's DNS name, and the URL of the routed ones", () => {
    expect(outputValue(json, "service_details")).toEqual({
      frontend: expect.objectContaining({
        dns_name: "frontend.local",
        paths: ["/"],
        url: expect.stringMatching(/^https:\/\/.*\/$/),
        docker_push_command: expect.stringMatching(/^docker push \$\{aws_ecr_repository\.registry_repository_\w+\.repository_url\}:latest$/),
      }),
      backend: expect.objectContaining({ dns_name: "backend.local", paths: ["/api/*"], url: expect.stringMatching(/^https:\/\/.*\/api\/$/) }),
      worker: expect.not.objectContaining({ url: expect.anything() }),
    });
  });

  test("another namespace name gives <name>.<namespace>, and the lesson's stage fargate has discovery too", () => {
    const json = stageJson("fargate", { ...README_EXAMPLE, serviceDiscovery: { enable: true, namespace: "shop.internal" } });
    expect(theOne(json, ServiceDiscoveryPrivateDnsNamespace)[1].name).toBe("shop.internal");
    expect(callEnvironmentOf(json, "workshop-fargate-frontend")).toContainEqual({ name: "BACKEND_HOST", value: "backend.shop.internal" });
  });

  test("a service may be called \"namespace\": its Cloud Map service does not clash with the namespace", () => {
    const json = stageJson("fargate", { serviceDiscovery: { enable: true }, services: [{ name: "namespace", paths: ["/"] }] });
    expect(theOne(json, ServiceDiscoveryService)[1].name).toBe("namespace");
  });

  test("the README's example reads: frontend at \"/\" calls backend at \"/api/*\" by backend.local", () => {
    const settings = parseSettings(README_EXAMPLE);
    expect(settings.services?.map((s) => [s.name, s.paths, s.calls])).toEqual([
      ["frontend", ["/"], ["backend"]],
      ["backend", ["/api/*"], []],
    ]);
    expect(callEnvironmentOf(stageJson("alb", README_EXAMPLE), "workshop-alb-frontend")).toContainEqual({ name: "BACKEND_URL", value: "http://backend.local" });
  });
});
