/** IAM roles that ECS tasks assume, with exactly the statements they are given. */
import { Construct } from "constructs";
import { Fn } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";

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
