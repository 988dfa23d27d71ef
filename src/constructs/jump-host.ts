/**
 * The lesson's stepping stone to the database: one small Amazon Linux 2023 instance with the PostgreSQL
 * client, reached through SSM Session Manager (an instance profile with AmazonSSMManagedInstanceCore, no
 * key pair, no inbound port). The database admits its security group on the database port. It sits in the
 * first public subnet with a public IP, which it needs to reach SSM, unless NAT or VPC endpoints give the
 * private subnets that way out; then it sits in the first private subnet without one. SSH with a key pair
 * is optional, from one named range only.
 *
 * The image is the launch template's `resolve:ssm:` parameter: EC2 resolves it at launch, so a plan needs
 * no AWS call. The launch template keeps the parameter's text, not the resolved id, so a newer image
 * makes no new template version and no diff; the instance leaves `ami` unset (it takes the template's).
 * The type and the user data are the instance's own: another type of the same architecture is a stop and
 * start; another architecture or key pair (a new template version) or another script replaces the host.
 *
 * The instance launches from the template's "$Latest" version, a constant, and is replaced when the template
 * plans a new version (replace_triggered_by its latest_version): Terraform decides that at plan time. The
 * provider's own check, run whenever an existing instance's launch_template.version changes in the plan,
 * reads EC2 (DescribeTags, DescribeLaunchTemplates), and with a version taken from latest_version, unknown
 * while the template changes, every such plan read AWS and an offline preview failed.
 */
import { Construct } from "constructs";
import type { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import type { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { withDefaults } from "../settings/blocks";
import { JUMP_HOST_DEFAULTS, type JumpHostSettings } from "../settings/jump-host";
import { DATABASE_DEFAULTS } from "../settings/database";
import { isGraviton } from "../settings/facts/instance-types";
import type { Database } from "./database";
import { INSTANCE_METADATA_OPTIONS, instanceRole, SSM_CORE_POLICY_ARN } from "./iam";
import { isWorld } from "../common/cidr";
import type { StageNames } from "../common/naming";
import type { Network, ZonalSubnet } from "./network";
import { REASONS } from "../policy/reasons";
import { waive } from "../policy/waivers";
import { allowIngress, namedSecurityGroup, type Peer } from "./security-group";
import { allowAwsHttps, type VpcEndpoints } from "./vpc-endpoints";

const SSH_PORT = 22;

// source: terraform-provider-aws issue #43488 (aws_instance: resolve:ssm AMI with root_block_device fails with
// InvalidAMIID.Malformed from DescribeImages), and provider 5.100.0 against a local EC2 endpoint; read 2026-12-06
const ROOT_VOLUME_REASON =
  "The launch template encrypts the root volume (gp3); root_block_device on the instance would make the AWS provider " +
  "look up the template's SSM image parameter with DescribeImages, which refuses it (terraform-provider-aws#43488), so no host could be created";

// source: Amazon Linux 2023 User Guide, "Finding the AMI ID with Systems Manager" (public parameters
// /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-<arch>), read 2026-11-22
const AL2023_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default";

// source: Amazon Linux 2023 package list (postgresql15, postgresql16 and postgresql17 client packages), read 2026-11-22;
// this machine could not open it, so user data falls back through the list when a name is missing.
export const AL2023_POSTGRES_CLIENTS = ["postgresql17", "postgresql16", "postgresql15"] as const;

/** The CPU architecture of an instance type, as the Amazon Linux 2023 image parameters name it. */
export function architectureOf(instanceType: string): "arm64" | "x86_64" {
  return isGraviton(instanceType) ? "arm64" : "x86_64";
}

/** The launch template's image: the public Amazon Linux 2023 parameter for the type's architecture. */
export function imageParameter(instanceType: string): string {
  return `resolve:ssm:${AL2023_PARAMETER}-${architectureOf(instanceType)}`;
}

/** Client packages to try, in order: the database's major first, then the newest there are (a newer psql talks to older servers). */
export function postgresClientPackages(engineVersion: string): string[] {
  const major = engineVersion.split(".")[0];
  return [...new Set([`postgresql${major}`, ...AL2023_POSTGRES_CLIENTS])];
}

/** The instance's first-boot script: install the PostgreSQL client (SSM Agent comes with the image). */
export function userData(engineVersion: string): string {
  const packages = postgresClientPackages(engineVersion);
  return [
    "#!/bin/bash",
    "# The PostgreSQL client for the lesson's psql. SSM Agent is part of the Amazon Linux 2023 image.",
    `for package in ${packages.join(" ")}; do`,
    '  dnf install -y "$package" && break',
    "done",
    "",
  ].join("\n");
}

export interface JumpHostProps {
  /** The host goes into its first workload subnet: public without NAT or endpoints, private with them. */
  readonly network: Network;
  readonly names: StageNames;
  /** The database the host is for: it admits the host's group, and the outputs name its address and port. */
  readonly database: Database;
  /** Region for the printed commands. */
  readonly region: string;
  /** PostgreSQL version, to pick the client package. @default - the lesson's database.engineVersion ("17") */
  readonly engineVersion?: string;
  /** The stage's VPC endpoints: the host uses them, and only them where there is no NAT. @default - none */
  readonly vpcEndpoints?: VpcEndpoints;
  /** Instance type and SSH. @default - the lesson's: t4g.nano, Session Manager only */
  readonly settings?: Partial<JumpHostSettings>;
}

export class JumpHost extends Construct {
  readonly securityGroup: SecurityGroup;
  readonly role: IamRole;
  readonly instanceProfile: IamInstanceProfile;
  readonly launchTemplate: LaunchTemplate;
  readonly instance: Instance;
  readonly subnet: ZonalSubnet;
  readonly publicIp: boolean;
  /** `aws ssm start-session ...`: a shell on the host. */
  readonly sessionCommand: string;
  /** The Session Manager port forward from the laptop's database port to the database, through the host. */
  readonly portForwardCommand: string;
  /** psql on the host, against the database. */
  readonly psqlOnHostCommand: string;
  /** psql on the laptop, through the port forward. */
  readonly psqlLocalCommand: string;

  constructor(scope: Construct, id: string, props: JumpHostProps) {
    super(scope, id);
    const settings = withDefaults(JUMP_HOST_DEFAULTS, props.settings);
    const { network, names, database, region } = props;
    const name = names.of("jump-host");
    this.subnet = network.workloadSubnets[0];
    this.publicIp = this.subnet === network.publicSubnets[0];

    this.securityGroup = namedSecurityGroup(this, "security-group", {
      name,
      description: "Jump host: reaches the database and SSM; no inbound port unless SSH is set",
      vpcId: network.vpc.id,
    });
    allowAwsHttps(this, "egress-https", {
      group: this.securityGroup,
      client: "jump-host",
      description: "Session Manager and the Amazon Linux package repositories",
      reason: REASONS.sessionManagerEgress,
      endpoints: props.vpcEndpoints,
    });
    database.allowFrom("jump-host", this.securityGroup);
    if (settings.sshKeyPairName !== undefined && settings.sshAllowedCidr !== undefined) this.allowSsh(settings.sshAllowedCidr);

    ({ role: this.role, instanceProfile: this.instanceProfile } = instanceRole(this, {
      name,
      description: "The jump host: Session Manager only",
      managedPolicies: { "ssm-core": SSM_CORE_POLICY_ARN },
    }));

    this.launchTemplate = new LaunchTemplate(this, "launch-template", {
      name,
      description: "The jump host: Amazon Linux 2023, IMDSv2 only, encrypted root volume",
      imageId: imageParameter(settings.instanceType),
      keyName: settings.sshKeyPairName,
      metadataOptions: INSTANCE_METADATA_OPTIONS,
      blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeType: "gp3", deleteOnTermination: "true" } }],
    });
    this.instance = new Instance(this, "instance", {
      launchTemplate: { id: this.launchTemplate.id, version: "$Latest" },
      // The type and the script are the instance's own, so that plans and reviews know them: another type
      // within the architecture is a stop and start, another script (database major) a new host.
      instanceType: settings.instanceType,
      // Plain text: the plan then knows the hash Terraform keeps, and compares like with like on the next plan.
      userData: userData(props.engineVersion ?? DATABASE_DEFAULTS.engineVersion),
      userDataReplaceOnChange: true,
      subnetId: this.subnet.subnet.id,
      vpcSecurityGroupIds: [this.securityGroup.id],
      // On the instance rather than the template: the provider waits here for a new profile to propagate.
      iamInstanceProfile: this.instanceProfile.name,
      associatePublicIpAddress: this.publicIp,
      tags: { Name: name },
      // The template's options, stated again where checkov and trivy look (they do not follow the template): the
      // same values, so EC2 launches the same host, and a plan of a running one (AWS reports them) shows no diff.
      metadataOptions: INSTANCE_METADATA_OPTIONS,
      lifecycle: {
        // `ami` is not set here, so the resolved image id is never compared with the parameter's text; ignoring
        // it also keeps an image the host was launched with from ever asking for a replacement.
        ignoreChanges: ["ami"],
        // A new template version (another architecture or key pair) replaces the host: it keeps nothing.
        replaceTriggeredBy: [`${this.launchTemplate.terraformResourceType}.${this.launchTemplate.friendlyUniqueId}.latest_version`],
      },
    });
    // Not stated again: root_block_device beside a launch template makes the provider look the template's image up
    // with DescribeImages, which refuses a resolve:ssm: parameter, and the host could not be created.
    waive(this.instance, "EC2-EBS-ENCRYPTED", ROOT_VOLUME_REASON);
    // The host takes a public IP only in a public subnet, where nothing else gives it a way to AWS's APIs.
    if (this.publicIp) waive(this.instance, "EC2-NO-PUBLIC-IP", REASONS.publicIpWithoutNat);

    const db = { address: database.instance.address, port: database.port };
    this.sessionCommand = `aws ssm start-session --region ${region} --target ${this.instance.id}`;
    this.portForwardCommand =
      `aws ssm start-session --region ${region} --target ${this.instance.id} --document-name AWS-StartPortForwardingSessionToRemoteHost ` +
      // The CLI's shorthand rather than JSON: cdktf's HCL output mangles double quotes next to a reference.
      `--parameters host=${db.address},portNumber=${db.port},localPortNumber=${db.port}`;
    this.psqlOnHostCommand = `psql -h ${db.address} -p ${db.port} -U ${database.masterUsername} -d ${database.databaseName}`;
    this.psqlLocalCommand = `psql -h localhost -p ${db.port} -U ${database.masterUsername} -d ${database.databaseName}`;
  }

  /** Admits SSH from `cidr` only (an IPv4 or IPv6 range). */
  private allowSsh(cidr: string): void {
    const peer: Peer = cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr };
    const rule = allowIngress(this, "ingress-ssh", { group: this.securityGroup, peer, port: SSH_PORT, description: "SSH with the key pair (jumpHost.sshAllowedCidr)" });
    if (isWorld(cidr)) {
      const reason = "SSH from anywhere, asked for explicitly (jumpHost.enableSshFromAnywhere); only the key pair stands in the way";
      waive(rule, "SG-NO-WORLD-ADMIN-PORTS", reason);
      waive(rule, "SG-NO-WORLD-INGRESS", reason);
    }
  }
}
