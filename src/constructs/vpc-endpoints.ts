/**
 * PrivateLink instead of NAT: interface endpoints with private DNS in every private subnet, so the usual
 * service names (api.ecr.<region>.amazonaws.com, logs..., ssm...) resolve to addresses inside the VPC, and
 * the S3 gateway endpoint on the private route tables (ECR keeps image layers in S3, and the Amazon Linux
 * package repositories are S3 buckets). One security group admits HTTPS only from the workload groups that
 * are handed to `admit` (the tasks, the jump host). Public registries such as public.ecr.aws stay out of
 * reach: only NAT gets there.
 */
import { Construct } from "constructs";
import type { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import type { StageNames } from "../common/naming";
import type { Network } from "./network";
import { REASONS } from "../policy/reasons";
import { allowEgress, allowHttpsToAnywhere, allowIngress, namedSecurityGroup } from "./security-group";

/**
 * Interface endpoints by construct id: what each is for.
 * source: AWS docs "Amazon ECR interface VPC endpoints", "Using CloudWatch Logs with interface VPC endpoints",
 * "Secrets Manager VPC endpoint" and Systems Manager "Use VPC endpoints to improve security" (ssm,
 * ssmmessages and ec2messages for Session Manager), read 2026-11-22
 */
export const INTERFACE_ENDPOINTS: Readonly<Record<string, { service: string; purpose: string }>> = {
  "ecr-api": { service: "ecr.api", purpose: "ECR API: authorization tokens and image manifests" },
  "ecr-dkr": { service: "ecr.dkr", purpose: "ECR Docker registry: image pulls" },
  logs: { service: "logs", purpose: "CloudWatch Logs: the containers' awslogs driver" },
  secretsmanager: { service: "secretsmanager", purpose: "Secrets Manager: the database password for the tasks" },
  ssm: { service: "ssm", purpose: "Systems Manager: the jump host registers with SSM" },
  ssmmessages: { service: "ssmmessages", purpose: "Session Manager: the shell and port-forwarding channels" },
  ec2messages: { service: "ec2messages", purpose: "SSM Agent's message channel" },
};

/**
 * What the ECS agent on EC2 capacity (service.launchType "EC2") calls besides the above; Fargate needs none.
 * source: AWS docs "Amazon ECS interface VPC endpoints (AWS PrivateLink)", read 2026-11-22
 */
export const ECS_INSTANCE_ENDPOINTS: Readonly<Record<string, { service: string; purpose: string }>> = {
  ecs: { service: "ecs", purpose: "ECS API: the container instances register with the cluster" },
  "ecs-agent": { service: "ecs-agent", purpose: "ECS agent: task placement and state" },
  "ecs-telemetry": { service: "ecs-telemetry", purpose: "ECS agent: task and instance metrics" },
};

export interface VpcEndpointsProps {
  /** The network whose private subnets hold the interface endpoints and whose private route tables get S3. */
  readonly network: Network;
  readonly names: StageNames;
  readonly region: string;
  /** Add the endpoints the ECS agent on EC2 instances needs (ECS_INSTANCE_ENDPOINTS). @default false */
  readonly ecsInstances?: boolean;
}

export class VpcEndpoints extends Construct {
  readonly securityGroup: SecurityGroup;
  /** Interface endpoints, by the ids of INTERFACE_ENDPOINTS. */
  readonly interfaceEndpoints: Readonly<Record<string, VpcEndpoint>>;
  readonly s3Gateway: VpcEndpoint;
  /** No NAT: the endpoints are the private subnets' only way to AWS, and a workload needs no HTTPS to the internet. */
  readonly soleWayOut: boolean;
  private readonly port = 443;

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    const { network, names, region } = props;
    this.soleWayOut = !network.hasNat;
    this.securityGroup = namedSecurityGroup(this, "security-group", {
      name: names.of("endpoints"),
      description: "VPC interface endpoints: HTTPS from the stage's workloads only",
      vpcId: network.vpc.id,
    });
    this.interfaceEndpoints = Object.fromEntries(
      Object.entries({ ...INTERFACE_ENDPOINTS, ...(props.ecsInstances && ECS_INSTANCE_ENDPOINTS) }).map(([endpointId, { service }]) => [
        endpointId,
        new VpcEndpoint(this, endpointId, {
          vpcId: network.vpc.id,
          serviceName: `com.amazonaws.${region}.${service}`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: network.privateSubnets.map(({ subnet }) => subnet.id),
          securityGroupIds: [this.securityGroup.id],
          tags: { Name: names.of(service) },
        }),
      ]),
    );
    this.s3Gateway = new VpcEndpoint(this, "s3", {
      vpcId: network.vpc.id,
      serviceName: `com.amazonaws.${region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: network.privateRouteTables.map((table) => table.id),
      tags: { Name: names.of("s3") },
    });
  }

  /** Lets `client` (a workload's security group) reach the interface endpoints on 443 (rule "<clientId>-ingress"). */
  admit(clientId: string, client: SecurityGroup): void {
    allowIngress(this, `${clientId}-ingress`, {
      group: this.securityGroup,
      peer: { securityGroup: client },
      port: this.port,
      description: `HTTPS from ${clientId}`,
    });
  }
}

export interface AwsHttpsProps {
  /** The workload's security group. */
  readonly group: SecurityGroup;
  /** Its role, for rule ids and descriptions ("tasks", "jump-host", "instances"). */
  readonly client: string;
  /** What it calls AWS for. */
  readonly description: string;
  /** Why HTTPS to any address is acceptable when it is what the workload gets (SG-NO-WORLD-EGRESS's waiver). */
  readonly reason: string;
  /** The stage's endpoints. @default - none: HTTPS to any address */
  readonly endpoints?: VpcEndpoints;
}

/**
 * HTTPS out for a workload that calls AWS APIs by name (rules "<id>..."). Where the VPC endpoints are the only
 * way out, only to them and to S3's prefix list (through the gateway endpoint), and the endpoints admit the
 * workload; otherwise to any address, waived with `reason` (with endpoints and NAT, public registries stay in
 * reach through NAT, which any-address egress is for).
 */
export function allowAwsHttps(scope: Construct, id: string, props: AwsHttpsProps): void {
  const { group, client, description, endpoints } = props;
  endpoints?.admit(client, group);
  if (!endpoints?.soleWayOut) {
    const reason = endpoints ? REASONS.egressBesideEndpoints : props.reason;
    allowHttpsToAnywhere(scope, id, { group, description: `HTTPS: ${description}`, reason });
    return;
  }
  allowEgress(scope, `${id}-endpoints`, {
    group,
    peer: { securityGroup: endpoints.securityGroup },
    port: 443,
    description: `HTTPS to the VPC endpoints: ${description}`,
  });
  allowEgress(scope, `${id}-s3`, {
    group,
    peer: { prefixListId: endpoints.s3Gateway.prefixListId },
    port: 443,
    description: "HTTPS to S3 through the gateway endpoint: ECR image layers, Amazon Linux repositories",
  });
}
