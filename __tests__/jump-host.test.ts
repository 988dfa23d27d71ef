/**
 * The jump host of stage db and later: an Amazon Linux 2023 instance with the PostgreSQL client, reached
 * through Session Manager, admitted by the database, and placed by the network's way out.
 */
import { Testing } from "cdktf";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { parseSettings, type SettingsInput } from "../src/settings/index";
import { SSM_CORE_POLICY_ARN } from "../src/constructs/iam";
import { architectureOf, imageParameter, postgresClientPackages } from "../src/constructs/jump-host";
import { checkStack } from "../src/policy";
import { skipsOf } from "../src/policy/skips";
import { WorkshopStage } from "../src/stages";
import { securityGraph } from "./support/security-graph";
import { outputValue, PRIVATE_CIDRS, PUBLIC_CIDRS, ref, resourcesOf, stageJson, subnetRef, theOne, type TerraformJson } from "./support/synth";

const hostOf = (json: TerraformJson) => theOne(json, Instance)[1];
const templateOf = (json: TerraformJson) => theOne(json, LaunchTemplate);
const userDataOf = (json: TerraformJson) => String(hostOf(json).user_data);

describe("stage db with the lesson defaults", () => {
  let db: TerraformJson;
  beforeAll(() => {
    db = stageJson("db");
  });

  test("one t4g.nano from the arm64 Amazon Linux 2023 parameter, resolved by EC2 at launch, not by the plan", () => {
    const [, template] = templateOf(db);
    expect(template).toMatchObject({
      name: "workshop-db-jump-host",
      image_id: "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
    });
    expect(hostOf(db).instance_type).toBe("t4g.nano");
  });

  test("the instance runs the template's $Latest, sets no ami of its own and ignores it, so a newer image never replaces it", () => {
    const [templateId] = templateOf(db);
    const host = hostOf(db);
    // a constant version: the provider reads EC2 while planning whenever an existing instance's version changes
    expect(host.launch_template).toEqual({ id: ref(LaunchTemplate, templateId), version: "$Latest" });
    expect(host).not.toHaveProperty("ami");
    expect((host.lifecycle as { ignore_changes: string[] }).ignore_changes).toEqual(["ami"]);
  });

  test("a new template version replaces the host, decided by Terraform at plan time (replace_triggered_by)", () => {
    const [templateId] = templateOf(db);
    expect((hostOf(db).lifecycle as { replace_triggered_by: string[] }).replace_triggered_by).toEqual([`aws_launch_template.${templateId}.latest_version`]);
  });

  test("IMDSv2 only, an encrypted gp3 root volume, no key pair", () => {
    const [, template] = templateOf(db);
    expect(template.metadata_options).toEqual({ http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 });
    expect(template.block_device_mappings).toEqual([
      { device_name: "/dev/xvda", ebs: { encrypted: "true", volume_type: "gp3", delete_on_termination: "true" } },
    ]);
    expect(template).not.toHaveProperty("key_name");
  });

  test("the instance states the template's IMDSv2 options itself, where checkov and trivy look", () => {
    const [, template] = templateOf(db);
    expect(hostOf(db).metadata_options).toEqual(template.metadata_options);
  });

  test("the root volume is left to the template; the scanners' finding on the instance is waived with the reason and skipped for them", () => {
    // root_block_device beside the template's SSM image parameter would fail the instance's creation
    expect(hostOf(db)).not.toHaveProperty("root_block_device");
    // WHEN the stage's JSON (with its waivers) is checked
    const report = checkStack(new WorkshopStage(Testing.app(), "db", { settings: parseSettings({}) }).toTerraform(), "db");
    // (its public IP is the placement's own waived finding, EC2-NO-PUBLIC-IP, tested with the placement)
    const storageAndMetadata = (f: { rule: string; address: string }) => f.address.startsWith("aws_instance.") && f.rule !== "EC2-NO-PUBLIC-IP";
    const onHost = report.findings.filter(storageAndMetadata);
    // THEN the instance passes IMDSv2 on its own options, and only the root volume is waived, with the reason
    expect(onHost).toEqual([expect.objectContaining({ rule: "EC2-EBS-ENCRYPTED", waiver: expect.stringMatching(/launch template encrypts the root volume.*DescribeImages.*43488/) })]);
    // AND checkov and trivy get the skips of their ids
    expect(skipsOf([report]).filter(storageAndMetadata)).toEqual([
      expect.objectContaining({ rule: "EC2-EBS-ENCRYPTED", checkov: ["CKV_AWS_8"], trivy: ["AVD-AWS-0131"] }),
    ]);
  });

  test("user data installs the PostgreSQL client of the database's major, falling back to the newest; a new script is a new host", () => {
    expect(hostOf(db).user_data_replace_on_change).toBe(true);
    expect(userDataOf(db)).toMatch(/^#!\/bin\/bash\n/);
    expect(userDataOf(db)).toContain("for package in postgresql17 postgresql16 postgresql15; do\n  dnf install -y \"$package\" && break\ndone");
  });

  test("Session Manager through an instance profile whose role EC2 assumes and that holds AmazonSSMManagedInstanceCore only", () => {
    const [roleId, role] = theOne(db, IamRole, (r) => r.name === "workshop-db-jump-host");
    expect(String(role.assume_role_policy)).toMatch(/Principal.*Service.*ec2\.amazonaws\.com/);
    const attachments = resourcesOf(db, IamRolePolicyAttachment).map(([, a]) => a);
    expect(attachments).toEqual([{ role: ref(IamRole, roleId, "name"), policy_arn: SSM_CORE_POLICY_ARN }]);
    const [profileId, profile] = theOne(db, IamInstanceProfile);
    expect(profile).toMatchObject({ name: "workshop-db-jump-host", role: ref(IamRole, roleId, "name") });
    expect(hostOf(db).iam_instance_profile).toBe(ref(IamInstanceProfile, profileId, "name"));
  });

  test('without NAT it sits in "Public subnet a" with a public IP, which it needs to reach SSM', () => {
    expect(hostOf(db)).toMatchObject({ subnet_id: subnetRef(db, PUBLIC_CIDRS[0]), associate_public_ip_address: true });
  });

  test("the outputs open a shell, forward the database port and run psql on either end", () => {
    const host = `\${aws_instance.${theOne(db, Instance)[0]}.id}`;
    const address = /^\$\{aws_db_instance\.[^.]+\.address\}$/;
    expect(outputValue(db, "jump_host_instance_id")).toBe(host);
    expect(outputValue(db, "jump_host_session_command")).toBe(`aws ssm start-session --region eu-west-1 --target ${host}`);
    const forward = String(outputValue(db, "database_port_forward_command"));
    expect(forward).toContain(`--target ${host} --document-name AWS-StartPortForwardingSessionToRemoteHost`);
    const parameters = Object.fromEntries((/--parameters (\S+)$/.exec(forward)?.[1] ?? "").split(",").map((p) => p.split("=")));
    expect(parameters.host).toMatch(address);
    expect(parameters).toMatchObject({ portNumber: "5432", localPortNumber: "5432" });
    expect(Object.keys(parameters)).toEqual(["host", "portNumber", "localPortNumber"]);
    expect(String(outputValue(db, "jump_host_psql_command"))).toMatch(/^psql -h \$\{aws_db_instance\.[^.]+\.address\} -p 5432 -U postgres -d workshop$/);
    expect(outputValue(db, "database_local_psql_command")).toBe("psql -h localhost -p 5432 -U postgres -d workshop");
  });
});

describe("settings", () => {
  const db = (input: SettingsInput) => stageJson("db", input);

  test("jumpHost.enable false leaves the stage without a host, and the database without that client", () => {
    const json = db({ jumpHost: { enable: false } });
    expect(resourcesOf(json, Instance)).toEqual([]);
    expect(json.output).not.toHaveProperty("jump_host_session_command");
  });

  test.each([
    ["t4g.nano", "arm64"],
    ["m7gd.large", "arm64"],
    ["c6gn.xlarge", "arm64"],
    ["is4gen.large", "arm64"],
    ["a1.medium", "arm64"],
    ["t3.micro", "x86_64"],
    ["g4dn.xlarge", "x86_64"],
    ["m7i-flex.large", "x86_64"],
    ["t3a.nano", "x86_64"],
  ] as const)("%s runs the %s image", (instanceType, architecture) => {
    expect(architectureOf(instanceType)).toBe(architecture);
    expect(imageParameter(instanceType)).toBe(`resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architecture}`);
  });

  test("t3.micro reaches the x86_64 image in the stage", () => {
    const json = db({ jumpHost: { instanceType: "t3.micro" } });
    expect(templateOf(json)[1].image_id).toBe("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
    expect(hostOf(json).instance_type).toBe("t3.micro");
  });

  test("the client package follows database.engineVersion's major", () => {
    expect(postgresClientPackages("16.4")).toEqual(["postgresql16", "postgresql17", "postgresql15"]);
    expect(userDataOf(db({ database: { engineVersion: "16" } }))).toContain("for package in postgresql16 postgresql17 postgresql15;");
  });

  test.each([
    ["NAT", { network: { nat: "single" } }],
    ["VPC endpoints", { network: { enableVpcEndpoints: true }, service: { imageSource: "repository" } }],
  ] as const)("with %s it sits in the first private subnet without a public IP", (_, input) => {
    const json = db(input);
    expect(hostOf(json)).toMatchObject({ subnet_id: subnetRef(json, PRIVATE_CIDRS[0]), associate_public_ip_address: false });
  });

  test("SSH: the key pair on the template and port 22 from the one range given; the graph gains that edge only", () => {
    const json = db({ jumpHost: { sshKeyPairName: "lesson-key", sshAllowedCidr: "203.0.113.7/32" } });
    expect(templateOf(json)[1].key_name).toBe("lesson-key");
    expect(securityGraph(json, "workshop-db")).toEqual([
      "database <- jump-host tcp/5432",
      "jump-host -> 0.0.0.0/0 tcp/443",
      "jump-host -> database tcp/5432",
      "jump-host <- 203.0.113.7/32 tcp/22",
    ]);
  });

  test("a key pair alone opens no port (SSH through a Session Manager tunnel needs none)", () => {
    const json = db({ jumpHost: { sshKeyPairName: "lesson-key" } });
    expect(templateOf(json)[1].key_name).toBe("lesson-key");
    expect(securityGraph(json, "workshop-db").filter((edge) => edge.startsWith("jump-host <-"))).toEqual([]);
  });

  test("SSH from anywhere, when asked for explicitly, admits exactly that range", () => {
    const json = db({ jumpHost: { sshKeyPairName: "k", sshAllowedCidr: "::/0", enableSshFromAnywhere: true } });
    expect(securityGraph(json, "workshop-db")).toContain("jump-host <- ::/0 tcp/22");
  });
});

describe("refused settings name the setting, the value and what is allowed", () => {
  test.each<[string, SettingsInput, RegExp]>([
    ["SSH without a key pair", { jumpHost: { sshAllowedCidr: "203.0.113.7/32" } }, /jumpHost\.sshAllowedCidr: "203\.0\.113\.7\/32" opens SSH, which needs jumpHost\.sshKeyPairName/],
    [
      "SSH from the whole IPv4 internet",
      { jumpHost: { sshKeyPairName: "k", sshAllowedCidr: "0.0.0.0/0" } },
      /jumpHost\.sshAllowedCidr: "0\.0\.0\.0\/0" opens SSH to the whole internet; give your own range .*or set jumpHost\.enableSshFromAnywhere to true/,
    ],
    ["SSH from the whole IPv6 internet", { jumpHost: { sshKeyPairName: "k", sshAllowedCidr: "::/0" } }, /jumpHost\.sshAllowedCidr: "::\/0" opens SSH to the whole internet/],
    ["not a range", { jumpHost: { sshKeyPairName: "k", sshAllowedCidr: "my-laptop" } }, /jumpHost\.sshAllowedCidr: "my-laptop" is not a CIDR block; give one range such as "203\.0\.113\.7\/32"/],
    [
      "SSH from outside to a private host",
      { network: { nat: "single" }, jumpHost: { sshKeyPairName: "k", sshAllowedCidr: "203.0.113.7/32" } },
      /jumpHost\.sshAllowedCidr: "203\.0\.113\.7\/32" lies outside the VPC, but with network\.nat or network\.enableVpcEndpoints the jump host has no public IP/,
    ],
    ["an instance type of the wrong shape", { jumpHost: { instanceType: "nano" } }, /jumpHost\.instanceType: "nano" must be an EC2 instance type such as "t4g\.nano" or "t3\.micro"/],
    ["an empty key pair name", { jumpHost: { sshKeyPairName: "" } }, /jumpHost\.sshKeyPairName: "" must be the name of an EC2 key pair/],
  ])("%s", (_, input, message) => {
    expect(() => parseSettings(input)).toThrow(message);
  });

  test("a range inside the VPC is fine for a private host (a VPN or a peered network)", () => {
    expect(() => parseSettings({ network: { nat: "single" }, jumpHost: { sshKeyPairName: "k", sshAllowedCidr: "10.0.0.0/16" } })).not.toThrow();
  });
});
