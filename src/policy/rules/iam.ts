/** IAM: roles, their trust policies and their permission policies (decoded from jsonencode). */
// source: checkov resource/aws (IAM*PolicyDocument, IAMRoleAllowsPublicAssume, IAMManagedAdminPolicy) and graph_checks/aws
// (IAMManagedIAMFullAccessPolicy), trivy-checks checks/cloud/aws/iam, AWS Security Hub IAM controls; read 2026-12-06
import type { Flag, Rule } from "../types";
import type { Resource, StackView } from "../stack-view";
import { asList } from "../stack-view";
import { flagWhere } from "./helpers";

interface Statement {
  readonly Effect?: string;
  readonly Action?: unknown;
  readonly Resource?: unknown;
  readonly Principal?: unknown;
}

/** Permission documents: standalone and inline policies, each with the resource that holds it. */
function permissionStatements(stack: StackView): Array<{ holder: Resource; statement: Statement }> {
  const documents = [
    ...stack.all("aws_iam_role_policy", "aws_iam_policy", "aws_iam_user_policy", "aws_iam_group_policy").map((holder) => ({ holder, document: holder.attributes.policy })),
    ...stack.all("aws_iam_role").flatMap((holder) => asList(holder.attributes.inline_policy).map((inline) => ({ holder, document: (inline as { policy?: unknown })?.policy }))),
  ];
  return documents.flatMap(({ holder, document }) => statementsOf(stack, document).map((statement) => ({ holder, statement })));
}

function statementsOf(stack: StackView, document: unknown): Statement[] {
  const decoded = stack.document(document) as { Statement?: unknown } | undefined;
  return asList(decoded?.Statement).filter((s): s is Statement => s !== null && typeof s === "object" && (s as Statement).Effect === "Allow");
}

const actions = (s: Statement) => asList(s.Action).map(String);
const resources = (s: Statement) => asList(s.Resource).map(String);

/** One flag per holder whose allowing statements match `broken`, naming the actions concerned. */
function flagStatements(stack: StackView, broken: (statement: Statement) => string[]): Flag[] {
  const byHolder = new Map<string, string[]>();
  for (const { holder, statement } of permissionStatements(stack)) {
    const found = broken(statement);
    if (found.length > 0) byHolder.set(holder.address, [...(byHolder.get(holder.address) ?? []), ...found]);
  }
  return [...byHolder].map(([address, found]) => ({ address, detail: found.join(", ") }));
}

/** Actions that accept no resource but "*": AWS documents them as not supporting resource-level permissions. */
// source: AWS Service Authorization Reference (ecr, logs, sts, xray, cloudwatch), read 2026-11-22
export const UNSCOPABLE_ACTIONS = ["ecr:GetAuthorizationToken", "logs:DescribeLogGroups", "xray:PutTraceSegments", "xray:PutTelemetryRecords", "cloudwatch:PutMetricData", "sts:GetCallerIdentity"];

/**
 * AWS-managed policies that grant administrator rights or every action of a service: AdministratorAccess ("*" on
 * "*"), PowerUserAccess (everything but IAM, Organizations and account management) and the "...FullAccess" policies
 * ("<service>:*", IAMFullAccess among them), in any partition. Scoped ones such as AmazonSSMManagedInstanceCore pass.
 */
// source: AWS Managed Policy Reference Guide (AdministratorAccess, PowerUserAccess, IAMFullAccess, AmazonS3FullAccess), read 2026-12-06
const BROAD_MANAGED_POLICY = /^arn:aws(?:-[a-z-]+)?:iam::aws:policy\/(?:[\w+=,.@-]+\/)*(AdministratorAccess(?:-[\w-]+)?|PowerUserAccess|[\w+=,.@-]*FullAccess)$/;

/** Where each resource type names the managed policies it attaches. */
const ATTACHMENTS: Record<string, string> = {
  aws_iam_role_policy_attachment: "policy_arn",
  aws_iam_user_policy_attachment: "policy_arn",
  aws_iam_group_policy_attachment: "policy_arn",
  aws_iam_policy_attachment: "policy_arn",
  aws_ssoadmin_managed_policy_attachment: "managed_policy_arn",
  aws_iam_role: "managed_policy_arns",
  aws_iam_role_policy_attachments_exclusive: "policy_arns",
  aws_iam_user_policy_attachments_exclusive: "policy_arns",
  aws_iam_group_policy_attachments_exclusive: "policy_arns",
};

export const IAM_RULES: Rule[] = [
  {
    id: "IAM-NO-ADMIN",
    service: "iam",
    severity: "error",
    reason: 'An allow of action "*" on resource "*" is full administrator access.',
    fix: "Grant the exact actions on the exact resources the role needs.",
    checkov: ["CKV_AWS_62"],
    securityHub: ["IAM.1"],
    check: (stack) => flagStatements(stack, (s) => (actions(s).includes("*") && resources(s).includes("*") ? ["* on *"] : [])),
  },
  {
    id: "IAM-NO-WILDCARD-ACTIONS",
    service: "iam",
    severity: "error",
    reason: 'Actions "*" or "service:*" grant every present and future action of a service.',
    fix: "List the actions the role uses.",
    checkov: ["CKV_AWS_63"],
    securityHub: ["IAM.21"],
    check: (stack) => flagStatements(stack, (s) => actions(s).filter((action) => action === "*" || action.endsWith(":*"))),
  },
  {
    id: "IAM-SCOPED-RESOURCES",
    service: "iam",
    severity: "error",
    reason: 'Resource "*" on actions that can be scoped reaches every such resource in the account.',
    fix: 'Name the resources (ARNs); keep "*" only for actions without resource-level permissions, such as ecr:GetAuthorizationToken.',
    checkov: ["CKV_AWS_355"],
    check: (stack) =>
      flagStatements(stack, (s) => (resources(s).includes("*") ? actions(s).filter((action) => action !== "*" && !UNSCOPABLE_ACTIONS.includes(action)) : [])),
  },
  {
    id: "IAM-NO-BROAD-MANAGED-POLICY",
    service: "iam",
    severity: "error",
    reason: "An attached AWS-managed policy such as AdministratorAccess, PowerUserAccess or IAMFullAccess grants what no inline policy here may.",
    fix: "Attach only scoped AWS-managed policies (such as AmazonSSMManagedInstanceCore), or write the exact statements the role needs.",
    checkov: ["CKV_AWS_274", "CKV2_AWS_56"],
    check: (stack) =>
      Object.entries(ATTACHMENTS).flatMap(([type, key]) =>
        flagWhere(stack, type, (holder) => {
          const broad = asList(holder.attributes[key]).map(String).flatMap((arn) => BROAD_MANAGED_POLICY.exec(arn)?.[1] ?? []);
          return broad.length > 0 && broad.join(", ");
        }),
      ),
  },
  {
    id: "IAM-NO-PASSROLE-ANY",
    service: "iam",
    severity: "error",
    reason: "iam:PassRole on any role lets the holder hand any role, an administrator's too, to a service it controls.",
    fix: "Limit iam:PassRole to the ARNs of the roles to pass.",
    trivy: ["AVD-AWS-0342"],
    check: (stack) =>
      flagStatements(stack, (s) => (resources(s).includes("*") && actions(s).some((a) => /^iam:(PassRole|\*)$|^\*$/.test(a)) ? ["iam:PassRole on *"] : [])),
  },
  {
    id: "IAM-TRUST-NAMED-PRINCIPALS",
    service: "iam",
    severity: "error",
    reason: 'A role anyone ("*") or any service may assume is a role for strangers.',
    fix: 'Trust exactly the service that needs the role, e.g. { Service = "ecs-tasks.amazonaws.com" }.',
    checkov: ["CKV_AWS_60"],
    check: (stack) =>
      flagWhere(stack, "aws_iam_role", (role) =>
        statementsOf(stack, role.attributes.assume_role_policy).some((s) => {
          const principal = s.Principal;
          if (principal === "*") return true;
          const named = principal && typeof principal === "object" ? Object.values(principal).flatMap(asList).map(String) : [];
          return named.length === 0 || named.includes("*");
        }),
      ),
  },
];
