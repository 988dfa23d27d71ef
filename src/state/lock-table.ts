/** StateLockTable: the DynamoDB table Terraform's S3 backend locks state in when locking is "dynamodb" or "both". */
import { Construct } from "constructs";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { waive } from "../policy/waivers";

export interface StateLockTableProps {
  /** The table name (backend.lockTable). */
  readonly tableName: string;
}

export class StateLockTable extends Construct {
  /** The partition key Terraform's S3 backend reads and writes. */
  static readonly HASH_KEY = "LockID";
  readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: StateLockTableProps) {
    super(scope, id);
    this.table = new DynamodbTable(this, "table", {
      name: props.tableName,
      billingMode: "PAY_PER_REQUEST",
      hashKey: StateLockTable.HASH_KEY,
      attribute: [{ name: StateLockTable.HASH_KEY, type: "S" }],
      pointInTimeRecovery: { enabled: true },
      deletionProtectionEnabled: true,
    });
    waive(this.table, "STATE-LOCK-TABLE-CUSTOMER-KEY", "The table holds lock ids and state digests, nothing secret; DynamoDB encrypts it with an AWS owned key at no cost");
  }
}
