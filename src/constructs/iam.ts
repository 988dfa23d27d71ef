/** IAM roles that ECS tasks and EC2 instances assume, with exactly the statements or policies they are given. */
import { Construct } from "constructs";
import { Fn } from "cdktf";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";

/** The AWS-managed policy that lets SSM Agent register an instance and open Session Manager sessions. */
export const SSM_CORE_POLICY_ARN = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";

/**
 * An instance's metadata options: IMDSv2 only, one hop, so that only the instance itself (not a container on a
 * bridge network) reads its role's credentials. For launch templates and instances alike.
 */
export const INSTANCE_METADATA_OPTIONS = { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 } as const;

export interface PolicyStatement {
  readonly Sid: string;
  readonly Action: string[];
  readonly Resource: string | string[];
}

/**
 * A JSON document as Terraform's jsonencode(...): references inside it stay Terraform references, and the
 * expression renders correctly both as JSON and as HCL (`cdktf synth --hcl`), unlike JSON.stringify.
 */
export function jsonDocument(value: object): string {
  return Fn.jsonencode(value);
}

/** An IAM policy document allowing exactly these statements. */
export function policyDocument(statements: PolicyStatement[]): string {
  return jsonDocument({ Version: "2012-10-17", Statement: statements.map((s) => ({ Effect: "Allow", ...s })) });
}

/** The trust policy of a role that exactly one AWS service (such as "ec2.amazonaws.com") may assume. */
export function trustedBy(service: string): string {
  return jsonDocument({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  });
}

/** A role for ECS tasks (trusted by ecs-tasks.amazonaws.com) with one inline policy, or none when statements is empty. */
export function taskRole(scope: Construct, id: string, props: { name: string; description: string; statements: PolicyStatement[] }): IamRole {
  const role = new IamRole(scope, id, {
    name: props.name,
    description: props.description,
    assumeRolePolicy: trustedBy("ecs-tasks.amazonaws.com"),
  });
  if (props.statements.length > 0) {
    new IamRolePolicy(scope, `${id}-policy`, { role: role.id, name: props.name, policy: policyDocument(props.statements) });
  }
  return role;
}

/**
 * A role for EC2 instances (trusted by ec2.amazonaws.com) with these AWS-managed policies, by attachment id, and
 * its instance profile; role and profile are both named `name` (ids "role" and "instance-profile").
 */
export function instanceRole(
  scope: Construct,
  props: { name: string; description: string; managedPolicies: Readonly<Record<string, string>> },
): { role: IamRole; instanceProfile: IamInstanceProfile } {
  const role = new IamRole(scope, "role", { name: props.name, description: props.description, assumeRolePolicy: trustedBy("ec2.amazonaws.com") });
  for (const [id, policyArn] of Object.entries(props.managedPolicies)) new IamRolePolicyAttachment(scope, id, { role: role.name, policyArn });
  return { role, instanceProfile: new IamInstanceProfile(scope, "instance-profile", { name: props.name, role: role.name }) };
}
