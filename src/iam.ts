/** IAM roles that ECS tasks assume, with exactly the statements they are given. */
import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";

export interface PolicyStatement {
  readonly Sid: string;
  readonly Action: string[];
  readonly Resource: string | string[];
}

/** A policy document; tokens in resources resolve to Terraform references. */
export function policyDocument(statements: PolicyStatement[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements.map((s) => ({ Effect: "Allow", ...s })) });
}

/** A role for ECS tasks (trusted by ecs-tasks.amazonaws.com) with one inline policy, or none when statements is empty. */
export function taskRole(scope: Construct, id: string, props: { name: string; description: string; statements: PolicyStatement[] }): IamRole {
  const role = new IamRole(scope, id, {
    name: props.name,
    description: props.description,
    assumeRolePolicy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
  });
  if (props.statements.length > 0) {
    new IamRolePolicy(scope, `${id}-policy`, { role: role.id, name: props.name, policy: policyDocument(props.statements) });
  }
  return role;
}
