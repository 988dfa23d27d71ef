/**
 * EC2 capacity for an ECS cluster, the workshop's EC2-backed module: ECS-optimized Amazon Linux 2023 instances
 * in an Auto Scaling group, joined to the cluster by their user data, and an ECS capacity provider with managed
 * scaling that adds instances when tasks do not fit and managed termination protection that never stops an
 * instance still running tasks.
 *
 * - The AMI is resolved by EC2 at launch from the public SSM parameter (`resolve:ssm:`), so a plan reads nothing
 *   from AWS, and the launch template keeps the parameter's text, not the image id, so a later plan shows no
 *   change when AWS publishes a new AMI (new instances simply get it).
 * - Instances require IMDSv2 with a hop limit of 1, so containers on the bridge network cannot read the
 *   instance role's credentials; tasks get their own role through the ECS agent.
 * - The instance role has the AWS managed policies ECS instances need, and Session Manager's, so the lesson
 *   opens a shell on an instance without an SSH port.
 * - Teardown: managed termination protection needs protect_from_scale_in, which would block deleting the group;
 *   force_delete terminates the protected instances with it, after Terraform has removed the service.
 */
import { Construct } from "constructs";
import { Fn } from "cdktf";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { EcsCapacityProvider } from "@cdktf/provider-aws/lib/ecs-capacity-provider";
import type { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import type { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import type { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { withDefaults } from "../../settings/blocks";
import { EC2_CAPACITY_DEFAULTS, type Ec2CapacitySettings } from "../../settings/ec2-capacity";
import { cpuArchitecture } from "../../settings/facts/instance-types";
import { INSTANCE_METADATA_OPTIONS, instanceRole, SSM_CORE_POLICY_ARN } from "../iam";
import type { StageNames } from "../../common/naming";
import type { Network, ZonalSubnet } from "../network";
import { REASONS } from "../../policy/reasons";
import { namedSecurityGroup } from "../security-group";
import { allowAwsHttps, type VpcEndpoints } from "../vpc-endpoints";

/** Host ports Docker picks from for dynamic port mappings (hostPort 0): Linux's ephemeral range and Docker's fallback. */
// source: Amazon ECS Developer Guide, task definition parameters, portMappings hostPort, read 2026-11-22
export const DYNAMIC_HOST_PORTS = { from: 32768, to: 65535 } as const;

/** The public SSM parameters of the ECS-optimized Amazon Linux 2023 AMI, by architecture. */
// source: Amazon ECS Developer Guide, "Retrieving Amazon ECS-optimized Linux AMI metadata", read 2026-11-22
export const ECS_AMI_PARAMETERS = {
  X86_64: "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id",
  ARM64: "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id",
} as const;

/** The AWS-managed policy of the ECS agent on an instance (the instance role also has Session Manager's). */
const ECS_INSTANCE_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role";

/** Root volume of the ECS-optimized AL2023 AMI: its snapshot is 30 GiB, the least a volume from it may have. */
const ROOT_DEVICE = "/dev/xvda";
const ROOT_VOLUME_GIB = 30;

export interface Ec2CapacityProps {
  /** The VPC the instances' security group belongs to. */
  readonly network: Network;
  readonly names: StageNames;
  /** The cluster the instances join (its name goes into their user data) and the capacity provider is attached to. */
  readonly cluster: EcsCluster;
  /** Subnets of the Auto Scaling group. */
  readonly subnets: ZonalSubnet[];
  /** Give each instance a public IP: needed in public subnets without NAT, to reach ECS, ECR and SSM. */
  readonly assignPublicIp: boolean;
  /** Region of the stage, for the commands the construct offers. */
  readonly region: string;
  /**
   * Tags of the group, its instances and their volumes: the provider's default tags reach neither an Auto Scaling
   * group nor what it launches. @default - only Name
   */
  readonly tags?: Readonly<Record<string, string>>;
  /** The stage's VPC endpoints: the instances use them, and only them where there is no NAT. @default - none */
  readonly vpcEndpoints?: VpcEndpoints;
  /** Instance type, group size, managed scaling target, key pair. @default - the lesson's: 2 t3.small, up to 4, 100 % */
  readonly settings?: Partial<Ec2CapacitySettings>;
}

export class Ec2Capacity extends Construct {
  readonly securityGroup: SecurityGroup;
  readonly role: IamRole;
  readonly instanceProfile: IamInstanceProfile;
  readonly launchTemplate: LaunchTemplate;
  readonly autoScalingGroup: AutoscalingGroup;
  readonly capacityProvider: EcsCapacityProvider;
  /** Attaches the capacity provider to the cluster; a service using it must be created after this. */
  readonly clusterCapacityProviders: EcsClusterCapacityProviders;
  readonly instanceType: string;
  /** What the task definitions must run on: "X86_64", or "ARM64" on Graviton types. */
  readonly cpuArchitecture: "ARM64" | "X86_64";
  /** The capacity provider strategy a service uses to run on these instances. */
  readonly strategy: { capacityProvider: string; weight: number; base: number };
  private readonly region: string;

  constructor(scope: Construct, id: string, props: Ec2CapacityProps) {
    super(scope, id);
    const settings = withDefaults(EC2_CAPACITY_DEFAULTS, props.settings);
    const { network, names, cluster } = props;
    const name = names.of("instances");
    this.instanceType = settings.instanceType;
    this.region = props.region;
    this.cpuArchitecture = cpuArchitecture(settings.instanceType);

    this.securityGroup = namedSecurityGroup(this, "security-group", {
      name,
      description: "ECS instances and their bridge-network tasks",
      vpcId: network.vpc.id,
    });
    allowAwsHttps(this, "egress-https", {
      group: this.securityGroup,
      client: "instances",
      description: "the ECS agent, image pulls, logs, the database secret and Session Manager",
      reason: REASONS.egressWithoutEndpoints,
      endpoints: props.vpcEndpoints,
    });

    ({ role: this.role, instanceProfile: this.instanceProfile } = instanceRole(this, {
      name,
      description: "ECS instances: the ECS agent registers with the cluster, and Session Manager opens shells",
      managedPolicies: { "role-ecs": ECS_INSTANCE_POLICY_ARN, "role-ssm": SSM_CORE_POLICY_ARN },
    }));

    const tags = { ...props.tags, Name: name };
    const userData = ["#!/bin/bash", `echo ECS_CLUSTER=${cluster.name} >> /etc/ecs/ecs.config`, ""].join("\n");
    this.launchTemplate = new LaunchTemplate(this, "launch-template", {
      name,
      description: "ECS-optimized Amazon Linux 2023, joined to the stage's cluster",
      imageId: `resolve:ssm:${ECS_AMI_PARAMETERS[this.cpuArchitecture]}`,
      instanceType: settings.instanceType,
      keyName: settings.sshKeyPairName,
      iamInstanceProfile: { arn: this.instanceProfile.arn },
      userData: Fn.base64encode(userData),
      networkInterfaces: [
        {
          deviceIndex: 0,
          associatePublicIpAddress: String(props.assignPublicIp),
          securityGroups: [this.securityGroup.id],
          deleteOnTermination: "true",
        },
      ],
      metadataOptions: INSTANCE_METADATA_OPTIONS,
      blockDeviceMappings: [
        { deviceName: ROOT_DEVICE, ebs: { volumeSize: ROOT_VOLUME_GIB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } },
      ],
      monitoring: { enabled: false },
      tagSpecifications: ["instance", "volume"].map((resourceType) => ({ resourceType, tags })),
      updateDefaultVersion: true,
    });

    this.autoScalingGroup = new AutoscalingGroup(this, "group", {
      name,
      vpcZoneIdentifier: props.subnets.map(({ subnet }) => subnet.id),
      minSize: settings.minSize,
      maxSize: settings.maxSize,
      desiredCapacity: settings.desiredCapacity,
      launchTemplate: { id: this.launchTemplate.id, version: "$Latest" },
      healthCheckType: "EC2",
      // Managed termination protection needs every instance protected from scale-in; the capacity provider lifts
      // the protection of an instance once it runs no task.
      protectFromScaleIn: true,
      // Deleting the group terminates its (protected) instances instead of waiting for them: teardown works.
      forceDelete: true,
      tag: [
        ...Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
        // ECS sets this tag when it manages the group's scaling; declaring it keeps Terraform from removing it.
        { key: "AmazonECSManaged", value: "", propagateAtLaunch: true },
      ],
      // The capacity provider's managed scaling sets the desired capacity from here on.
      lifecycle: { ignoreChanges: ["desired_capacity"] },
    });

    this.capacityProvider = new EcsCapacityProvider(this, "capacity-provider", {
      name,
      autoScalingGroupProvider: {
        autoScalingGroupArn: this.autoScalingGroup.arn,
        managedTerminationProtection: "ENABLED",
        managedDraining: "ENABLED",
        managedScaling: {
          status: "ENABLED",
          targetCapacity: settings.targetCapacityPercent,
          minimumScalingStepSize: 1,
          maximumScalingStepSize: Math.max(1, settings.maxSize - settings.minSize),
        },
      },
    });
    this.strategy = { capacityProvider: this.capacityProvider.name, weight: 1, base: 0 };
    this.clusterCapacityProviders = new EcsClusterCapacityProviders(this, "cluster-capacity-providers", {
      clusterName: cluster.name,
      capacityProviders: [this.capacityProvider.name],
      defaultCapacityProviderStrategy: [this.strategy],
    });
  }

  /** Lists the IDs of the group's instances; `aws ssm start-session --target <id>` opens a shell on one. */
  get listInstancesCommand(): string {
    return (
      `aws autoscaling describe-auto-scaling-groups --region ${this.region} --auto-scaling-group-names ${this.autoScalingGroup.name} ` +
      `--query 'AutoScalingGroups[0].Instances[].InstanceId' --output text`
    );
  }
}
