/**
 * What checkov, trivy and Security Hub report on the real stacks is fixed or waived where the lesson needs it: public
 * IPv4 on EC2 hosts, the HTTPS listener's TLS policy and the HTTP redirect on the load balancer, the state bucket
 * and lock table, managed policies attached to roles. Every variant of the project, with the state stack of an S3
 * backend, synthesizes with no open finding and no unused waiver.
 */
import { App, Testing } from "cdktf";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { parseSettings, type SettingsInput } from "../src/settings/index";
import { checkPolicies, checkStack, type Finding, type PolicyReport } from "../src/policy";
import { REASONS } from "../src/policy/reasons";
import { skipsOf } from "../src/policy/skips";
import { lowestTlsVersion } from "../src/policy/rules/elb-tls";
import { RECOMMENDED_SECURITY_POLICY } from "../src/settings/facts/elb-security-policies";
import { STAGE_NAMES, WorkshopStage, type StageName } from "../src/stages";
import { STATE_STACK } from "../src/state/bootstrap";
import { CERTIFICATE, THREE_SERVICES } from "./support/services";
import { open, reportsOf } from "./support/policy";

const KMS_KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

function stageReport(input: SettingsInput, stage: StageName): PolicyReport {
  return checkPolicies(stageApp(input, stage).app)[0];
}

function stageApp(input: SettingsInput, stage: StageName): { app: App; stage: WorkshopStage } {
  const app = Testing.app();
  return { app, stage: new WorkshopStage(app, stage, { settings: parseSettings(input) }) };
}

const of = (report: PolicyReport | undefined, rule: string): Finding[] => report?.findings.filter((f) => f.rule === rule) ?? [];

describe("every variant of the project synthesizes: no open finding and no unused waiver in any stack", () => {
  test.each<[string, SettingsInput, string[]]>([
    ["the lesson's defaults", {}, [...STAGE_NAMES]],
    ["EC2 capacity", { service: { launchType: "EC2" } }, [...STAGE_NAMES]],
    ["EC2 capacity with NAT", { service: { launchType: "EC2" }, network: { nat: "single" } }, [...STAGE_NAMES]],
    ["three services with HTTPS and discovery", THREE_SERVICES, [...STAGE_NAMES]],
    ["VPC endpoints", { network: { enableVpcEndpoints: true }, service: { imageSource: "repository" } }, [...STAGE_NAMES]],
    ["NAT per zone", { network: { nat: "perAz" } }, [...STAGE_NAMES]],
    ["an S3 backend with lock files and SSE-S3", { backend: { type: "s3", bucket: "team-state" } }, [...STAGE_NAMES, STATE_STACK]],
    [
      "an S3 backend with SSE-KMS and a lock table, EC2 capacity and HTTPS",
      {
        backend: { type: "s3", bucket: "team-state", encryption: "SSE-KMS", kmsKeyArn: KMS_KEY, lockTable: "team-locks" },
        service: { launchType: "EC2" },
        loadBalancer: { certificateArn: CERTIFICATE },
      },
      [...STAGE_NAMES, STATE_STACK],
    ],
  ])("%s", (_, input, stacks) => {
    const reports = reportsOf(input, STAGE_NAMES, { stateStack: true });
    expect(reports.map((r) => r.stack)).toEqual(stacks);
    expect(open(reports)).toEqual([]);
  });
});

describe("public IPv4 on EC2 hosts", () => {
  test("the jump host without NAT has a public IP, waived with the reason it needs one; with NAT it has none", () => {
    const [publicHost, privateHost] = [stageReport({}, "db"), stageReport({ network: { nat: "single" } }, "db")];
    expect(of(publicHost, "EC2-NO-PUBLIC-IP").map((f) => [f.address.split(".")[0], f.waiver])).toEqual([["aws_instance", REASONS.publicIpWithoutNat]]);
    expect(of(privateHost, "EC2-NO-PUBLIC-IP")).toEqual([]);
  });

  test("the ECS instances' launch template: the browsing reason in fargate, the NAT reason in alb, nothing with NAT", () => {
    const ec2 = { service: { launchType: "EC2" } } as const;
    // (the jump host of these stages has its own finding, tested above)
    const waiverOf = (report: PolicyReport) => of(report, "EC2-NO-PUBLIC-IP").filter((f) => !f.address.startsWith("aws_instance.")).map((f) => [f.address.split(".")[0], f.waiver]);
    expect(waiverOf(stageReport(ec2, "fargate"))).toEqual([["aws_launch_template", expect.stringMatching(/fargate lesson browses to the task on its instance's public IP/)]]);
    expect(waiverOf(stageReport(ec2, "alb"))).toEqual([["aws_launch_template", REASONS.publicIpWithoutNat]]);
    expect(waiverOf(stageReport({ ...ec2, network: { nat: "single" } }, "alb"))).toEqual([]);
  });
});

describe("HTTP and TLS on the load balancer", () => {
  /** The alb stage with HTTPS on the default TLS policy, shared by the tests that only read it. */
  let httpsAlb: PolicyReport;
  beforeAll(() => {
    httpsAlb = stageReport({ loadBalancer: { certificateArn: CERTIFICATE } }, "alb");
  });

  test("without a certificate the load balancer itself carries the plain-HTTP waiver the scanners report there", () => {
    const alb = stageReport({}, "alb");
    expect(of(alb, "ELB-HTTP-REDIRECT").map((f) => [f.address.split(".")[0], f.severity, f.waiver])).toEqual([["aws_lb", "error", REASONS.noCertificate]]);
    // AND the skip comments put checkov's load-balancer check on the aws_lb block
    expect(skipsOf([alb]).find((s) => s.rule === "ELB-HTTP-REDIRECT")).toMatchObject({ address: expect.stringMatching(/^aws_lb\./), checkov: ["CKV2_AWS_20"] });
  });

  test("with a certificate, port 80 redirects: no plain-HTTP finding on the listener or the load balancer, no waiver left", () => {
    expect([...of(httpsAlb, "ELB-HTTPS"), ...of(httpsAlb, "ELB-HTTP-REDIRECT"), ...of(httpsAlb, "ELB-TLS-POLICY")]).toEqual([]);
    expect(httpsAlb.unusedWaivers).toEqual([]);
  });

  test("the default TLS policy passes the TLS 1.2 rule; Security Hub's stricter list is waived on it, naming the setting and the stricter policy", () => {
    const [recommended] = of(httpsAlb, "ELB-TLS-POLICY-RECOMMENDED");
    expect(recommended).toMatchObject({ address: expect.stringMatching(/^aws_lb_listener\./), detail: "ELBSecurityPolicy-TLS13-1-2-2021-06" });
    expect(recommended.waiver).toMatch(/loadBalancer\.sslPolicy keeps its default .* set ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09/);
  });

  test("a policy on Security Hub's list needs no waiver", () => {
    const alb = stageReport({ loadBalancer: { certificateArn: CERTIFICATE, sslPolicy: RECOMMENDED_SECURITY_POLICY } }, "alb");
    expect(of(alb, "ELB-TLS-POLICY-RECOMMENDED")).toEqual([]);
    expect(alb.unusedWaivers).toEqual([]);
  });

  test("a listener on a TLS 1.0 policy fails the synth with the TLS rule, naming the policy", () => {
    // GIVEN the alb stage with HTTPS WHEN the listener's policy is the API's old default
    const { app, stage } = stageApp({ loadBalancer: { certificateArn: CERTIFICATE } }, "alb");
    const listener = stage.loadBalancer?.httpsListener;
    if (!listener) throw new Error("no HTTPS listener");
    listener.sslPolicy = "ELBSecurityPolicy-2016-08";
    // THEN the check fails on ELB-TLS-POLICY
    expect(() => checkPolicies(app)).toThrow(/aws_lb_listener\.load-balancer_listener-https_\w+ .*\n\s+ELB-TLS-POLICY: .*\[ELBSecurityPolicy-2016-08 accepts TLS 1\.0\]/);
  });

  test("TLS versions come from the policy names of ELB's table", () => {
    expect(
      ["ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-FS-2018-06", "ELBSecurityPolicy-TLS-1-1-2017-01", "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04", "ELBSecurityPolicy-TLS-1-2-Ext-2018-06", "ELBSecurityPolicy-FS-1-2-Res-2020-10", "ELBSecurityPolicy-TLS13-1-3-2021-06"].map(lowestTlsVersion),
    ).toEqual([0, 0, 1, 1, 2, 2, 3]);
  });
});

describe("the state stack", () => {
  const stateReport = (backend: Record<string, unknown>) => reportsOf({ backend: { type: "s3", bucket: "team-state", ...backend } } as SettingsInput, STAGE_NAMES, { stateStack: true }).find((r) => r.stack === STATE_STACK);
  const waived = (report: PolicyReport | undefined) => Object.fromEntries(report?.findings.map((f) => [f.rule, f.waiver]) ?? []);

  test("access logs, data events, replication and notifications are waived on the bucket, each with its reason", () => {
    const report = stateReport({});
    expect(waived(report)).toEqual({
      "STATE-BUCKET-CUSTOMER-KEY": expect.stringMatching(/backend\.encryption "SSE-S3"/),
      "STATE-BUCKET-ACCESS-LOGS": expect.stringMatching(/^Server access logs need a second bucket/),
      "STATE-BUCKET-DATA-EVENTS": expect.stringMatching(/^CloudTrail data events are paid per request/),
      "STATE-BUCKET-REPLICATION": expect.stringMatching(/another region/),
      "STATE-BUCKET-EVENT-NOTIFICATIONS": expect.stringMatching(/^Nothing needs to react to a state write/),
    });
    expect(report?.findings.every((f) => f.address.startsWith("aws_s3_bucket.") && f.severity === "warning")).toBe(true);
  });

  test("SSE-KMS with the backend's key needs no customer-key waiver; the lock table carries its own", () => {
    const report = stateReport({ encryption: "SSE-KMS", kmsKeyArn: KMS_KEY, lockTable: "team-locks" });
    expect(of(report, "STATE-BUCKET-CUSTOMER-KEY")).toEqual([]);
    expect(of(report, "STATE-LOCK-TABLE-CUSTOMER-KEY").map((f) => f.waiver)).toEqual([expect.stringMatching(/lock ids and state digests/)]);
    expect(report?.unusedWaivers).toEqual([]);
  });
});

describe("managed policies attached to roles", () => {
  test("the project's attachments (Session Manager, the ECS instance role) are judged and pass", () => {
    // GIVEN the db stage's jump host and the alb stage's ECS instances
    const stages = [stageApp({}, "db").stage, stageApp({ service: { launchType: "EC2" } }, "alb").stage];
    const jsons = stages.map((stage) => stage.toTerraform() as { resource: Record<string, Record<string, { policy_arn?: string }>> });
    // THEN they attach the AWS-managed policies the rule judges
    const arns = jsons.flatMap((json) => Object.values(json.resource.aws_iam_role_policy_attachment ?? {}).map((a) => a.policy_arn));
    expect(arns).toEqual(expect.arrayContaining(["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore", "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"]));
    // AND the rule finds nothing in them
    expect(jsons.flatMap((json, i) => of(checkStack(json, stages[i].node.id), "IAM-NO-BROAD-MANAGED-POLICY"))).toEqual([]);
  });

  test.each(["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"])("attaching %s to the task role fails the synth", (policy) => {
    const { app, stage } = stageApp({}, "autoscaling");
    new IamRolePolicyAttachment(stage, "broad", { role: stage.service?.taskRole.name ?? "", policyArn: `arn:aws:iam::aws:policy/${policy}` });
    expect(() => checkPolicies(app)).toThrow(new RegExp(`aws_iam_role_policy_attachment\\.broad .*\\n\\s+IAM-NO-BROAD-MANAGED-POLICY: .*\\[${policy}\\]`));
  });
});
