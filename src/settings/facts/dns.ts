/** DNS facts the service discovery checks need: how long a name may be, and the public names a stage depends on. */

/** Characters of a DNS name in text form: 253, which are 255 bytes on the wire (a length byte per label, a final zero). */
// source: RFC 1035, section 2.3.4 (names of 255 octets or less, labels of 63), read 2026-12-06
export const DNS_MAX_NAME_LENGTH = 253;

/**
 * Public names a stage's tasks, instances and jump host resolve inside the VPC: the AWS endpoints of the region (ECR,
 * CloudWatch Logs, Secrets Manager, SSM, ECS, STS, S3 and the database's endpoint under rds.amazonaws.com) and ECR
 * Public. A Cloud Map namespace equal to one of them, or to a parent ("aws", "amazonaws.com", "com"), hides it.
 */
// source: AWS General Reference, service endpoints (<service>.<region>.amazonaws.com; RDS endpoints
// <instance>.<id>.<region>.rds.amazonaws.com; ECR Public at public.ecr.aws), read 2026-12-06
export const publicHostsOfAStage = (region: string): string[] => [
  `api.ecr.${region}.amazonaws.com`,
  `dkr.ecr.${region}.amazonaws.com`,
  `logs.${region}.amazonaws.com`,
  `secretsmanager.${region}.amazonaws.com`,
  `ssm.${region}.amazonaws.com`,
  `ecs.${region}.amazonaws.com`,
  `sts.${region}.amazonaws.com`,
  `s3.${region}.amazonaws.com`,
  `instance.id.${region}.rds.amazonaws.com`,
  "public.ecr.aws",
];

/** Docker Hub, where an image reference without a registry host comes from. */
// source: Docker documentation, "docker image pull" (default registry docker.io, served by registry-1.docker.io), read 2026-12-06
const DOCKER_HUB = ["registry-1.docker.io", "auth.docker.io", "production.cloudflare.docker.com"];

/** ECR Public answers layer downloads with a redirect to CloudFront. */
// source: Amazon ECR Public User Guide, "Amazon ECR Public ... served through Amazon CloudFront" (layer URLs on
// *.cloudfront.net), read 2026-12-06
const ECR_PUBLIC_LAYERS = "layers.cloudfront.net";

/** The hosts a task pulls an image reference from: "public.ecr.aws/nginx/nginx:stable" -> public.ecr.aws, "nginx" -> Docker Hub. */
export function imageRegistryHosts(image: string): string[] {
  const first = image.split("/")[0];
  const hasHost = image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  const host = first.replace(/:\d+$/, "").toLowerCase();
  if (!hasHost) return DOCKER_HUB;
  return host === "public.ecr.aws" ? [host, ECR_PUBLIC_LAYERS] : [host];
}

