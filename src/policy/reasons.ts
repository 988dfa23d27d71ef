/**
 * The workshop's documented reasons for accepting a finding. The construct files waive findings with these,
 * so that the same decision reads the same everywhere.
 */
export const REASONS = {
  teardown: "Lesson profile: the stage is torn down after the lesson, so it keeps no protection against that",
  paidMonitoring: "Paid monitoring is left out of the lesson to keep its cost near zero; switch it on for production",
  awsOwnedKeys: "AWS-owned encryption keys: a customer managed KMS key costs money and the lesson does not need its controls",
  shortLogRetention: "Lesson profile: logs are kept for days, not a year (service.logRetentionDays)",
  noCertificate: "The lesson has no domain and no certificate, so it serves plain HTTP",
  tlsEndsAtLoadBalancer: "TLS ends at the load balancer; inside the VPC the tasks serve plain HTTP, as the stock image does",
  publicEntryPoint: "The load balancer is the lesson's deliberate entry point from the internet",
  egressWithoutEndpoints: "Tasks reach ECR, CloudWatch Logs and Secrets Manager over HTTPS; VPC endpoints would cost more than the lesson",
  egressBesideEndpoints: "With NAT as well as VPC endpoints (network.nat), HTTPS reaches public registries and APIs through NAT",
  publicIpWithoutNat:
    "Without NAT (network.nat) or VPC endpoints (network.enableVpcEndpoints), the instance reaches Session Manager and the other AWS APIs it needs over the internet gateway, which needs a public IP",
  sessionManagerEgress: "The jump host reaches Session Manager and the Amazon Linux repositories over HTTPS, by name, at addresses AWS does not fix",
  stockImage: "The stock nginx image writes to its root filesystem (cache, pid file)",
  mutableTags: 'The lesson pushes "latest" again to update the service (registry.imageTagMutability)',
} as const;
