/**
 * What the TLS security policies of Elastic Load Balancing accept, read from their names, and the policies
 * Security Hub's ELB.17 passes. The two TLS rules of elb.ts read them here.
 */

// source: Elastic Load Balancing, Application Load Balancers guide, "Security policies for your Application Load
// Balancer" (the policy-by-protocol table) and its considerations, read 2026-12-06. Every policy in the table
// follows one naming scheme: "TLS13-1-x", "TLS-1-x" and "FS-1-x" name the lowest TLS version (1.x) the policy
// accepts; the policies without a version in their name (2016-08, the API's default; 2015-05; FS-2018-06; the
// Classic Load Balancer's older ones) accept TLS 1.0.
const VERSION_IN_NAME = /^ELBSecurityPolicy-(?:TLS13-|TLS-|FS-)1-([0-3])(?:-|$)/;

/** The policy AWS applies to an HTTPS or TLS listener created through the API (Terraform) without one. */
// source: the same page, considerations: "the default security policy ... for the AWS CLI, ... CloudFormation and CDK", read 2026-12-06
export const API_DEFAULT_TLS_POLICY = "ELBSecurityPolicy-2016-08";

/** The lowest TLS minor version (0 for TLS 1.0, 2 for TLS 1.2) a predefined policy accepts. */
export function lowestTlsVersion(policy: string): number {
  const version = VERSION_IN_NAME.exec(policy)?.[1];
  return version === undefined ? 0 : Number(version);
}

// source: AWS Security Hub CSPM user guide, "[ELB.17] Application and Network Load Balancers with listeners should
// use recommended security policies", parameter sslPolicies (not customizable), read 2026-12-06
const SECURITY_HUB_TLS_POLICIES: readonly string[] = [
  "ELBSecurityPolicy-TLS13-1-3-2021-06",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
];

/** True when Security Hub's ELB.17 passes a listener with this policy. */
export function isSecurityHubTlsPolicy(policy: string): boolean {
  return SECURITY_HUB_TLS_POLICIES.includes(policy);
}
