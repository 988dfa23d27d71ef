/**
 * Private tasks without NAT: network.enableVpcEndpoints adds PrivateLink interface endpoints and the S3
 * gateway endpoint, moves the tasks (from stage alb on) and the jump host into the private subnets, and
 * admits HTTPS to the endpoints only from those workloads.
 */
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { parseSettings, type SettingsInput } from "../src/settings/index";
import { Testing } from "cdktf";
import { checkPolicies } from "../src/policy";
import { REASONS } from "../src/policy/reasons";
import { WorkshopStage } from "../src/stages";
import { INTERFACE_ENDPOINTS } from "../src/constructs/vpc-endpoints";
import { securityGraph } from "./support/security-graph";
import { PRIVATE_CIDRS, PUBLIC_CIDRS, ref, resources, resourcesOf, stageJson, subnetRef, theOne, type TerraformJson } from "./support/synth";

const ENDPOINTS: SettingsInput = { network: { enableVpcEndpoints: true }, service: { imageSource: "repository" } };

const endpointsOf = (json: TerraformJson) => resourcesOf(json, VpcEndpoint).map(([, e]) => e);
const serviceNetwork = (json: TerraformJson) =>
  Object.values(resources(json, "aws_ecs_service"))[0].network_configuration as { subnets: string[]; assign_public_ip: boolean };

describe("stage alb with network.enableVpcEndpoints", () => {
  let alb: TerraformJson;
  beforeAll(() => {
    alb = stageJson("alb", ENDPOINTS);
  });

  test("interface endpoints for ECR api and dkr, Logs, Secrets Manager, SSM, SSM messages and EC2 messages, with private DNS, in every private subnet", () => {
    const group = ref(SecurityGroup, theOne(alb, SecurityGroup, (g) => g.name === "workshop-alb-endpoints")[0]);
    const interfaces = endpointsOf(alb).filter((e) => e.vpc_endpoint_type === "Interface");
    expect(interfaces.map((e) => e.service_name).sort()).toEqual(
      ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm", "ssmmessages", "ec2messages"].map((s) => `com.amazonaws.eu-west-1.${s}`).sort(),
    );
    expect(Object.keys(INTERFACE_ENDPOINTS)).toHaveLength(7);
    const privateSubnets = PRIVATE_CIDRS.map((cidr) => subnetRef(alb, cidr));
    for (const endpoint of interfaces) {
      expect(endpoint).toMatchObject({ private_dns_enabled: true, subnet_ids: privateSubnets, security_group_ids: [group] });
    }
  });

  test("the S3 gateway endpoint serves the private route tables, where ECR keeps its layers and Amazon Linux its repositories", () => {
    const [gateway] = endpointsOf(alb).filter((e) => e.vpc_endpoint_type === "Gateway");
    const privateTables = resourcesOf(alb, RouteTable)
      .filter(([, table]) => String((table.tags as Record<string, string>).Name).startsWith("Private"))
      .map(([id]) => ref(RouteTable, id));
    expect(privateTables).toHaveLength(3);
    expect(gateway).toMatchObject({ service_name: "com.amazonaws.eu-west-1.s3", route_table_ids: privateTables });
  });

  test("the tasks run in the private subnets without a public IP, as with NAT", () => {
    const network = serviceNetwork(alb);
    expect(network.assign_public_ip).toBe(false);
    expect([...network.subnets].sort()).toEqual(PRIVATE_CIDRS.map((cidr) => subnetRef(alb, cidr)).sort());
  });

  test("the jump host sits in the first private subnet without a public IP", () => {
    expect(theOne(alb, Instance)[1]).toMatchObject({ subnet_id: subnetRef(alb, PRIVATE_CIDRS[0]), associate_public_ip_address: false });
  });

  test("the graph: the endpoints admit 443 from the tasks and the jump host only, whose HTTPS goes only to them and to S3", () => {
    expect(securityGraph(alb, "workshop-alb")).toEqual(
      [
        "alb -> tasks tcp/80",
        "alb <- 0.0.0.0/0 tcp/80",
        "alb <- ::/0 tcp/80",
        "database <- jump-host tcp/5432",
        "database <- tasks tcp/5432",
        "endpoints <- jump-host tcp/443",
        "endpoints <- tasks tcp/443",
        "jump-host -> database tcp/5432",
        "jump-host -> endpoints tcp/443",
        "jump-host -> s3-prefix-list tcp/443",
        "tasks -> database tcp/5432",
        "tasks -> endpoints tcp/443",
        "tasks -> s3-prefix-list tcp/443",
        "tasks <- alb tcp/80",
      ].sort(),
    );
  });
});

describe("other stages with network.enableVpcEndpoints", () => {
  test("vpc-only has the endpoints, whose group admits nothing yet: no workload exists", () => {
    const json = stageJson("vpc-only", ENDPOINTS);
    expect(endpointsOf(json)).toHaveLength(8);
    expect(securityGraph(json, "workshop-vpc-only")).toEqual([]);
  });

  test("fargate keeps its tasks public (the lesson browses to them); they still use the endpoints", () => {
    const json = stageJson("fargate", ENDPOINTS);
    const network = serviceNetwork(json);
    expect(network.assign_public_ip).toBe(true);
    expect([...network.subnets].sort()).toEqual(PUBLIC_CIDRS.map((cidr) => subnetRef(json, cidr)).sort());
    expect(securityGraph(json, "workshop-fargate")).toEqual(expect.arrayContaining(["endpoints <- tasks tcp/443", "tasks <- 0.0.0.0/0 tcp/80"]));
  });

  test("off by default: no endpoint in any stage", () => {
    expect(endpointsOf(stageJson("autoscaling"))).toEqual([]);
  });
});

describe("the public image and the endpoints", () => {
  test("without NAT, the public image is refused, naming service.imageSource and the ways out", () => {
    expect(() => parseSettings({ network: { enableVpcEndpoints: true } })).toThrow(
      /service\.imageSource: "public" runs "public\.ecr\.aws\/nginx\/nginx:stable", which tasks in the private subnets cannot pull: .*set service\.imageSource to "repository" .*or network\.nat to "single"/,
    );
  });

  test("with NAT as well, the public image stays reachable: HTTPS to any address, waived for NAT's sake", () => {
    // GIVEN endpoints and NAT, and the public image
    const json = stageJson("alb", { network: { enableVpcEndpoints: true, nat: "single" } });
    // THEN the tasks and the jump host keep HTTPS to any address, and still may use the endpoints
    expect(securityGraph(json, "workshop-alb").filter((edge) => edge.endsWith("tcp/443") && !edge.startsWith("alb"))).toEqual([
      "endpoints <- jump-host tcp/443",
      "endpoints <- tasks tcp/443",
      "jump-host -> 0.0.0.0/0 tcp/443",
      "tasks -> 0.0.0.0/0 tcp/443",
    ]);
    // AND the policy check finds both waived, saying why: NAT is there for the public registries
    const app = Testing.app();
    new WorkshopStage(app, "alb", { settings: parseSettings({ network: { enableVpcEndpoints: true, nat: "single" } }) });
    const [report] = checkPolicies(app);
    const waivers = report.findings.filter((f) => f.rule === "SG-NO-WORLD-EGRESS").map((f) => f.waiver);
    expect(waivers).toEqual([REASONS.egressBesideEndpoints, REASONS.egressBesideEndpoints]);
  });
});

describe("the endpoints with the other container settings", () => {
  test("several services: the endpoints admit each service's tasks, and the public-image check names the service's own setting", () => {
    // GIVEN two services from the stage's repositories
    const services = [
      { name: "frontend", paths: ["/"] },
      { name: "backend", paths: ["/api/*"], containerPort: 8080 },
    ];
    const json = stageJson("alb", { ...ENDPOINTS, services });
    // THEN the endpoints' group admits both services' groups and the jump host, nothing else
    expect(securityGraph(json, "workshop-alb").filter((edge) => edge.startsWith("endpoints"))).toEqual([
      "endpoints <- backend-tasks tcp/443",
      "endpoints <- jump-host tcp/443",
      "endpoints <- tasks tcp/443",
    ]);
    // AND a service that runs a public image is refused by its own setting
    const publicBackend = [services[0], { ...services[1], imageSource: "public" as const }];
    expect(() => parseSettings({ ...ENDPOINTS, services: publicBackend })).toThrow(
      /services\[1\]\.imageSource: "public" runs "public\.ecr\.aws\/nginx\/nginx:stable" in service "backend", which tasks in the private subnets cannot pull/,
    );
  });

  test("EC2 capacity: the ECS agent's endpoints join from the container stages on, and the instances may use them", () => {
    // GIVEN the endpoints with the EC2 launch type
    const input: SettingsInput = { ...ENDPOINTS, service: { imageSource: "repository", launchType: "EC2" } };
    const ecsEndpoints = (json: TerraformJson) =>
      endpointsOf(json)
        .map((e) => String(e.service_name).replace("com.amazonaws.eu-west-1.", ""))
        .filter((name) => name.startsWith("ecs"))
        .sort();
    // THEN alb has ecs, ecs-agent and ecs-telemetry, reachable from the instances; db, without instances, has none
    const alb = stageJson("alb", input);
    expect(ecsEndpoints(alb)).toEqual(["ecs", "ecs-agent", "ecs-telemetry"]);
    expect(ecsEndpoints(stageJson("db", input))).toEqual([]);
    expect(securityGraph(alb, "workshop-alb")).toEqual(
      expect.arrayContaining(["endpoints <- instances tcp/443", "instances -> endpoints tcp/443", "instances -> s3-prefix-list tcp/443"]),
    );
    expect(securityGraph(alb, "workshop-alb")).not.toContain("instances -> 0.0.0.0/0 tcp/443");
  });
});
