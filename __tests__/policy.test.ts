/**
 * The policy checks on the real stages: the lesson passes with documented waivers only, in every settings
 * variant the tests use; a construct change that opens the database, leaks the password or gives the task
 * role "*" on "*" fails with the rule's id; waivers that match nothing are reported.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Fn, TerraformStack, Testing } from "cdktf";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { defaultSettings, type SettingsInput } from "../src/settings/index";
import { PolicyError, UserError } from "../src/common/errors";
import { policyDocument } from "../src/constructs/iam";
import { RULES, checkPolicies, checkStack, renderNotices, rulesMarkdown, waive, type PolicyReport } from "../src/policy";
import { REASONS } from "../src/policy/reasons";
import { annotateHcl, annotateStacks, parseSkipsCommand, skipsOf } from "../src/policy/skips";
import { STAGE_NAMES, WorkshopStage, addStages, type StageName } from "../src/stages";
import { CERTIFICATE, README_EXAMPLE, THREE_SERVICES, TWO_SERVICES } from "./support/services";
import { open, reportsOf } from "./support/policy";

/** The message of the PolicyError that checking `app` throws. */
function policyFailure(app: App): string {
  expect(() => checkPolicies(app)).toThrow(/^Policy check failed: \d+ finding\(s\) of error severity, not waived:/);
  try {
    checkPolicies(app);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error("expected a PolicyError");
}

const autoscalingStage = () => {
  const app = Testing.app();
  return { app, stage: new WorkshopStage(app, "autoscaling", { settings: defaultSettings() }) };
};

describe("the lesson's stages", () => {
  let lesson: PolicyReport[];
  beforeAll(() => {
    lesson = checkPolicies(addStages(Testing.app(), { settings: defaultSettings() })[0].node.scope as App);
  });

  test("pass with documented waivers only: no open finding and no unused waiver in any stage", () => {
    expect(lesson.map((r) => r.stack)).toEqual([...STAGE_NAMES]);
    expect(open(lesson)).toEqual([]);
    expect(renderNotices(lesson)).toBeUndefined();
  });

  test("the IAM authentication and log-export fixes are in: those rules find nothing to waive", () => {
    const fixed = lesson.flatMap((r) => r.findings).filter((f) => ["RDS-IAM-AUTH", "RDS-LOG-EXPORTS", "RDS-LOG-GROUPS-OWNED"].includes(f.rule));
    expect(fixed).toEqual([]);
  });

  test("the audit's accepted findings carry the workshop's reasons", () => {
    const waived = (stage: StageName, rule: string) => lesson.find((r) => r.stack === stage)?.findings.filter((f) => f.rule === rule).map((f) => f.waiver);
    expect(waived("alb", "ELB-HTTPS")).toEqual([REASONS.noCertificate]);
    expect(waived("fargate", "SG-NO-WORLD-INGRESS")).toEqual([expect.stringMatching(/browses to the task's public IP/)]);
    expect(waived("db", "RDS-DELETION-PROTECTION")).toEqual([REASONS.teardown]);
    expect(waived("autoscaling", "ECS-READONLY-ROOT")).toEqual([REASONS.stockImage]);
    expect(waived("vpc-only", "VPC-FLOW-LOGS")).toEqual([REASONS.paidMonitoring]);
  });
});

describe("settings variants the tests use", () => {
  test.each<[string, SettingsInput, StageName[]]>([
    ["NAT in one zone", { network: { nat: "single" } }, ["fargate", "alb"]],
    ["NAT per zone", { network: { nat: "perAz" } }, ["vpc-only", "autoscaling"]],
    ["S3 state with a lock table", { backend: { type: "s3", bucket: "workshop-state", keyPrefix: "course", lockTable: "workshop-locks" } }, ["alb"]],
    ["service settings", { service: { enableContainerInsights: true, logRetentionDays: 30, imageSource: "repository", imageTag: "v1" } }, ["fargate"]],
    ["a year of logs and immutable tags", { service: { logRetentionDays: 365, imageTag: "v1" }, registry: { imageTagMutability: "IMMUTABLE" } }, ["fargate"]],
    ["a production database", { database: { enableMultiAz: true, backupRetentionDays: 7, enableDeletionProtection: true, skipFinalSnapshot: false } }, ["db"]],
    ["CPU scaling and a long prefix", { autoscaling: { policy: "cpu" }, namePrefix: "team-blue-12345" }, ["autoscaling"]],
    ["two services", TWO_SERVICES, ["fargate", "alb", "autoscaling"]],
    ["the README's two services with discovery", README_EXAMPLE, ["fargate", "alb"]],
    ["three services with discovery and HTTPS", THREE_SERVICES, ["fargate", "alb", "autoscaling"]],
    ["two services and none at \"/\"", { services: [{ name: "api", paths: ["/api/*"] }, { name: "web", paths: ["/web/*"] }] }, ["alb"]],
    ["EC2 capacity", { service: { launchType: "EC2" } }, ["fargate", "alb", "autoscaling"]],
    ["EC2 capacity on Graviton, with NAT and a key pair", { service: { launchType: "EC2" }, ec2Capacity: { instanceType: "t4g.small", sshKeyPairName: "workshop" }, network: { nat: "single" } }, ["fargate", "alb"]],
    ["VPC endpoints, private tasks", { network: { enableVpcEndpoints: true }, service: { imageSource: "repository" } }, ["vpc-only", "fargate", "autoscaling"]],
    ["a private jump host with SSH from inside the VPC", { network: { nat: "single" }, jumpHost: { sshKeyPairName: "k", sshAllowedCidr: "10.0.0.0/16" } }, ["db"]],
    ["SSH from anywhere, asked for, on t3.micro", { jumpHost: { instanceType: "t3.micro", sshKeyPairName: "k", sshAllowedCidr: "0.0.0.0/0", enableSshFromAnywhere: true } }, ["db"]],
    ["no jump host", { jumpHost: { enable: false } }, ["db", "alb"]],
  ])("%s: no open finding and no unused waiver", (_, input, stages) => {
    expect(open(reportsOf(input, stages))).toEqual([]);
  });

  test("HTTPS removes the ELB-HTTPS finding and its waiver; the target groups say TLS ends at the load balancer", () => {
    // GIVEN the alb stage with a certificate
    const [alb] = reportsOf({ loadBalancer: { certificateArn: CERTIFICATE } }, ["alb"]);
    // THEN no listener is flagged for plain HTTP, and no waiver of it is left over
    expect(alb.findings.filter((f) => f.rule === "ELB-HTTPS")).toEqual([]);
    expect(alb.unusedWaivers).toEqual([]);
    expect(alb.findings.filter((f) => f.rule === "ELB-TARGET-TLS").map((f) => f.waiver)).toEqual([REASONS.tlsEndsAtLoadBalancer]);
  });

  test("settings that remove a finding remove its waiver: a production database waives only what stays", () => {
    const [db] = reportsOf({ database: { enableMultiAz: true, backupRetentionDays: 7, enableDeletionProtection: true } }, ["db"]);
    const rules = db.findings.filter((f) => f.address.startsWith("aws_db_instance.")).map((f) => f.rule);
    expect(rules).toEqual(["RDS-ENHANCED-MONITORING", "RDS-PERFORMANCE-INSIGHTS", "RDS-CUSTOMER-KEY"]);
  });

  test("EC2 capacity: the instances' HTTPS egress and fargate's open task port carry the workshop's reasons; no task has a public IP to waive", () => {
    const [fargate, alb] = reportsOf({ service: { launchType: "EC2" } }, ["fargate", "alb"]);
    const waived = (report: PolicyReport, rule: string) => report.findings.filter((f) => f.rule === rule).map((f) => [f.address.split(".")[1].split("_")[1], f.waiver]);
    expect(waived(alb, "SG-NO-WORLD-EGRESS")).toEqual([
      ["egress-https", REASONS.sessionManagerEgress], // the jump host's
      ["ec2-capacity", REASONS.egressWithoutEndpoints],
    ]);
    expect(waived(fargate, "SG-NO-WORLD-INGRESS")).toEqual([["ingress-from-anywhere", expect.stringMatching(/browses to the task's public IP/)]]);
    expect(waived(alb, "SG-NO-WORLD-INGRESS").map(([where]) => where)).toEqual(["ingress-http-ipv4", "ingress-http-ipv6"]);
    expect([...fargate.findings, ...alb.findings].filter((f) => f.rule === "ECS-NO-PUBLIC-IP")).toEqual([]);
  });

  test("SSH from anywhere is an admin port on the internet: accepted only by the waiver that names the setting", () => {
    const [db] = reportsOf({ jumpHost: { sshKeyPairName: "k", sshAllowedCidr: "0.0.0.0/0", enableSshFromAnywhere: true } }, ["db"]);
    const ssh = db.findings.filter((f) => f.address.startsWith("aws_vpc_security_group_ingress_rule.jump-host_ingress-ssh"));
    expect(ssh.map((f) => [f.rule, f.severity])).toEqual([["SG-NO-WORLD-ADMIN-PORTS", "error"], ["SG-NO-WORLD-INGRESS", "warning"]]);
    for (const finding of ssh) expect(finding.waiver).toMatch(/jumpHost\.enableSshFromAnywhere/);
  });

  test("fargate with NAT: the open task port stays reachable, so no world-open rule guards unreachable tasks", () => {
    const [fargate] = reportsOf({ network: { nat: "single" } }, ["fargate"]);
    expect(fargate.findings.filter((f) => f.rule === "SG-NO-OPEN-PORT-ON-UNREACHABLE")).toEqual([]);
    expect(fargate.findings.filter((f) => f.rule === "SG-NO-WORLD-INGRESS")).toHaveLength(1);
  });
});

describe("a construct change that breaks a rule fails the check, naming stage, address, rule and fix", () => {
  test("opening the database to the world", () => {
    // GIVEN the autoscaling stage WHEN the database admits 5432 from 0.0.0.0/0
    const { app, stage } = autoscalingStage();
    new VpcSecurityGroupIngressRule(stage, "db-world", {
      securityGroupId: stage.database?.securityGroup.id ?? "",
      cidrIpv4: "0.0.0.0/0",
      ipProtocol: "tcp",
      fromPort: 5432,
      toPort: 5432,
      description: "oops",
    });
    // THEN the check fails on the rule, at the rule's address, with the fix
    const message = policyFailure(app);
    expect(message).toMatch(/autoscaling: aws_vpc_security_group_ingress_rule\.db-world \(autoscaling\/db-world\)\n\s+RDS-CLIENTS-BY-GROUP: .*\n\s+fix: Admit the database port only with referenced_security_group_id/);
  });

  test("putting the password in plain environment", () => {
    // GIVEN the autoscaling stage WHEN the container gets DB_PASSWORD as an environment variable
    const { app, stage } = autoscalingStage();
    const task = stage.service?.taskDefinition;
    if (!task) throw new Error("no task definition");
    task.containerDefinitions = Fn.jsonencode([{ name: "my-nginx", image: "nginx", environment: [{ name: "DB_PASSWORD", value: "hunter22" }] }]);
    // THEN the check fails on the plain-secret rule
    expect(policyFailure(app)).toMatch(/autoscaling: aws_ecs_task_definition\.service_task-definition_\w+ .*\n\s+ECS-NO-PLAIN-SECRETS: .*\[container my-nginx: environment DB_PASSWORD\]/);
  });

  test('giving the task role "*" on "*"', () => {
    // GIVEN the autoscaling stage WHEN the task role gets an administrator policy
    const { app, stage } = autoscalingStage();
    new IamRolePolicy(stage, "admin", {
      role: stage.service?.taskRole.id ?? "",
      name: "admin",
      policy: policyDocument([{ Sid: "Everything", Action: ["*"], Resource: "*" }]),
    });
    // THEN the check fails on the administrator rule
    expect(policyFailure(app)).toMatch(/autoscaling: aws_iam_role_policy\.admin .*\n\s+IAM-NO-ADMIN: /);
  });

  test("any TerraformStack is checked, such as a state bootstrap stack", () => {
    // GIVEN an app with a stack of its own holding a bucket without a public access block
    const app = Testing.app();
    const state = new TerraformStack(app, "state");
    new S3Bucket(state, "bucket", { bucket: "workshop-state" });
    // THEN the check fails on that stack
    expect(policyFailure(app)).toMatch(/state: aws_s3_bucket\.bucket .*\n\s+STATE-BUCKET-PUBLIC-ACCESS-BLOCK: /);
  });
});

describe("waivers", () => {
  const vpcStack = () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "net");
    return { app, stack, vpc: new Vpc(stack, "vpc", { cidrBlock: "10.0.0.0/16", enableDnsSupport: true, enableDnsHostnames: true }) };
  };

  test("a waiver that matches no finding is reported in the printed table", () => {
    // GIVEN a VPC waived for public IPs on launch, which a VPC never has
    const { app, vpc } = vpcStack();
    waive(vpc, "VPC-DEFAULT-SG-CLOSED", "tested elsewhere");
    waive(vpc, "VPC-SUBNET-NO-AUTO-PUBLIC-IP", "no reason to have it");
    // THEN the report lists the unused waiver, and the notice says to remove it
    const reports = checkPolicies(app);
    expect(reports[0].unusedWaivers).toEqual([{ stack: "net", rule: "VPC-SUBNET-NO-AUTO-PUBLIC-IP", address: "aws_vpc.vpc", reason: "no reason to have it" }]);
    expect(renderNotices(reports)).toMatch(/^net\s+VPC-SUBNET-NO-AUTO-PUBLIC-IP\s+aws_vpc\.vpc\s+waiver matches no finding: remove it$/m);
  });

  test("unwaived warnings print once, as a table naming stage, rule and address", () => {
    // GIVEN a VPC without flow logs and without a managed default security group (an error)
    const { app, stack, vpc } = vpcStack();
    waive(vpc, "VPC-DEFAULT-SG-CLOSED", "tested elsewhere");
    // THEN the flow-log warning is in the table
    const notices = renderNotices(checkPolicies(app)) ?? "";
    expect(notices.split("\n")[0]).toBe("Policy warnings (1):");
    expect(notices).toMatch(/^net\s+VPC-FLOW-LOGS\s+aws_vpc\.vpc\s+Add an aws_flow_log/m);
    expect(stack.node.id).toBe("net");
  });

  test("travel in the synthesized JSON, so the pure check of one stack's JSON sees them", () => {
    // GIVEN the alb stage's JSON alone, as app.synth() writes it (Testing.synth drops the "//" comments)
    const json = JSON.parse(JSON.stringify(new WorkshopStage(Testing.app(), "alb", { settings: defaultSettings() }).toTerraform())) as object;
    // WHEN it is checked without the constructs
    const report = checkStack(json, "alb");
    // THEN the same waivers apply
    expect(report.findings.find((f) => f.rule === "ELB-HTTPS")).toMatchObject({ severity: "error", waiver: REASONS.noCertificate });
    expect(open([report])).toEqual([]);
  });

  test("an unknown rule id or an empty reason is refused where the waiver is written", () => {
    const { vpc } = vpcStack();
    expect(() => waive(vpc, "VPC-NOPE", "why")).toThrow(/"VPC-NOPE" is not a policy rule id/);
    expect(() => waive(vpc, "VPC-FLOW-LOGS", " ")).toThrow(/waiver of VPC-FLOW-LOGS on net\/vpc needs a reason/);
  });
});

describe("checkov and trivy skips from the waivers", () => {
  let hcl: string;
  let annotated: string;
  let skips: ReturnType<typeof skipsOf>;
  beforeAll(() => {
    // GIVEN the alb stage as HCL, and its waivers
    const stage = new WorkshopStage(Testing.app(), "alb", { settings: defaultSettings() });
    skips = skipsOf([checkStack(stage.toTerraform(), "alb")]);
    hcl = Testing.synthHcl(stage);
    annotated = annotateHcl(hcl, skips);
  });

  test("list each waived finding with the other tools' ids and our reason", () => {
    expect(skips).toContainEqual({
      stack: "alb",
      address: expect.stringMatching(/^aws_lb_listener\.load-balancer_listener_/),
      rule: "ELB-HTTPS",
      checkov: ["CKV_AWS_2", "CKV_AWS_103"],
      trivy: ["AVD-AWS-0054"],
      reason: REASONS.noCertificate,
    });
    // AND rules of our own, which the scanners do not have, make no skip
    expect(skips.map((s) => s.rule)).not.toContain("RDS-CUSTOMER-KEY");
  });

  test("become inline comments: trivy above the resource block, checkov inside it", () => {
    expect(annotated).toMatch(
      /#trivy:ignore:AVD-AWS-0054\nresource "aws_lb_listener" "load-balancer_listener_\w+" \{\n {2}# policy skips \(npm run policy:skips\)\n {2}#checkov:skip=CKV_AWS_2:ELB-HTTPS waived - The lesson has no domain/,
    );
    // AND a resource without waivers is left as it was (Testing.synthHcl does not indent; cdktf synth --hcl does)
    expect(annotated).toMatch(/\}\nresource "aws_subnet" "network_public-subnet-a_\w+" \{\navailability_zone/);
  });

  test("annotating twice changes nothing", () => {
    expect(annotateHcl(annotated, skips)).toBe(annotated);
    expect(annotated.split("\n").length - hcl.split("\n").length).toBe(
      skips.reduce((lines, s) => lines + s.checkov.length, 0) + new Set(skips.map((s) => s.address)).size + new Set(skips.flatMap((s) => s.trivy.map((id) => `${s.address} ${id}`))).size,
    );
  });
});

describe("npm run policy:skips", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "workshop-skips-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const skip = { stack: "alb", address: "aws_lb_listener.web", rule: "ELB-HTTPS", checkov: ["CKV_AWS_2"], trivy: ["AVD-AWS-0054"], reason: "no certificate" };

  test("annotates the cdk.tf of each stage that has skips", () => {
    // GIVEN an HCL output folder with the alb stage
    mkdirSync(join(dir, "stacks", "alb"), { recursive: true });
    writeFileSync(join(dir, "stacks", "alb", "cdk.tf"), 'resource "aws_lb_listener" "web" {\n  port = 80\n}\n');
    // WHEN it is annotated THEN the file carries the skips
    expect(annotateStacks(dir, [skip])).toEqual([join(dir, "stacks", "alb", "cdk.tf")]);
    expect(readFileSync(join(dir, "stacks", "alb", "cdk.tf"), "utf8")).toContain("#trivy:ignore:AVD-AWS-0054\nresource \"aws_lb_listener\" \"web\" {");
  });

  test("refuses a folder without stacks, or without a stage's cdk.tf", () => {
    expect(() => annotateStacks(dir, [skip])).toThrow(/--annotate: ".*" holds no stacks\/ folder; run npm run synth:hcl -- --output/);
    mkdirSync(join(dir, "stacks"));
    expect(() => annotateStacks(dir, [skip])).toThrow(/--annotate: .*stacks\/alb\/cdk\.tf is missing; synthesize stage alb with --hcl/);
  });

  test("understands no arguments, --rules and --annotate <dir>, and refuses anything else", () => {
    expect(parseSkipsCommand([])).toEqual({ kind: "list" });
    expect(parseSkipsCommand(["--rules"])).toEqual({ kind: "rules" });
    expect(parseSkipsCommand(["--annotate", "out"])).toEqual({ kind: "annotate", dir: "out" });
    expect(() => parseSkipsCommand(["--annotate"])).toThrow(/policy:skips: \["--annotate"\] is not understood; allowed: no arguments, --rules, or --annotate <dir>/);
  });
});

test("the README's rule table is the one generated from the rule definitions", () => {
  const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
  const table = /<!-- policy-rules:start -->\n([\s\S]*?)\n<!-- policy-rules:end -->/.exec(readme)?.[1];
  expect(table).toBe(rulesMarkdown(RULES));
});
