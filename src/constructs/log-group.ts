/**
 * CloudWatch log groups the stages create themselves, each with the stage's retention, so that no log group
 * outlives the stack or keeps events forever.
 */
import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { REASONS } from "../policy/reasons";
import { waive } from "../policy/waivers";

export interface LogGroupProps {
  readonly name: string;
  /** Days CloudWatch Logs keeps events. */
  readonly retentionDays: number;
}

export function logGroup(scope: Construct, id: string, props: LogGroupProps): CloudwatchLogGroup {
  const group = new CloudwatchLogGroup(scope, id, { name: props.name, retentionInDays: props.retentionDays });
  if (props.retentionDays < 365) waive(group, "LOGS-RETENTION-YEAR", REASONS.shortLogRetention);
  waive(group, "LOGS-CUSTOMER-KEY", REASONS.awsOwnedKeys);
  return group;
}
