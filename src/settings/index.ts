/**
 * The settings: one typed object whose defaults are the lesson's values, an optional JSON file of
 * overrides (path in WORKSHOP_CONFIG), a JSON Schema generated from the same definition, and
 * validation of everything before a single construct is made.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";
import { WORLD_IPV4, WORLD_IPV6, carve, contains, overlaps, parseCidr, type Cidr } from "../common/cidr";
import { INSTANCE_TYPE_PATTERN, ec2CapacityProblems } from "./ec2-capacity";
import { UserError } from "../common/errors";
import { NAME_RULES, STAGE_NAMES, StageNames } from "../common/naming";
import { REGIONS, defaultZones, suggestRegions } from "./facts/regions";
import { SettingsFileError, decodeSettingsFile, parseStrictJson } from "./file";
import { BUCKET_NAME_RULES, RESERVED_BUCKET_PREFIXES, RESERVED_BUCKET_SUFFIXES, bucketNameProblem } from "./facts/s3";
import { backendProblems } from "./backend";
import { httpsProblems } from "../constructs/load-balancer/https";
import { resolveServices, serviceListProblems } from "./services";

export const CONFIG_ENV = "WORKSHOP_CONFIG";

/** Problems an error message lists; the rest are counted, so that a wrong file gives a short message. */
const SHOWN_PROBLEMS = 10;

export class ConfigError extends UserError {
  constructor(readonly problems: string[], source = "settings") {
    const shown = problems.slice(0, SHOWN_PROBLEMS).map((p) => `  - ${p}`);
    if (problems.length > SHOWN_PROBLEMS) shown.push(`  ... and ${problems.length - SHOWN_PROBLEMS} more; fix these first`);
    super(`Invalid ${source}:\n${shown.join("\n")}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Building blocks: every rule carries the sentence that says what is allowed.

function wholeRange(min: number, max: number) {
  const allowed = `must be a whole number from ${min} to ${max}`;
  return z.int({ error: allowed }).min(min, { error: allowed }).max(max, { error: allowed });
}

function wholeNumber(min: number, max: number, defaultValue: number, description: string) {
  return wholeRange(min, max).default(defaultValue).describe(description);
}

/** A setting a list entry may leave out (it then takes a section's value). */
function optionalWholeNumber(min: number, max: number, description: string) {
  return wholeRange(min, max).optional().describe(description);
}

function choice<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of ${values.map((v) => JSON.stringify(v)).join(", ")}` });
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T, defaultValue: T[number], description: string) {
  return choice(values).default(defaultValue).describe(description);
}

function pattern(regex: RegExp, allowed: string) {
  return z.string({ error: allowed }).regex(regex, { error: allowed });
}

const postgresIdentifier = () => pattern(/^[A-Za-z][A-Za-z0-9_]{0,62}$/, "must start with a letter and hold 1 to 63 letters, digits or underscores");
const keyPairName = () => pattern(/^[\x20-\x7e]{1,255}$/, "must be the name of an EC2 key pair: 1 to 255 printable ASCII characters");
const urlPath = () => pattern(/^\/\S*$/, 'must be a path starting with "/"');

function flag(defaultValue: boolean, description: string) {
  return z.boolean({ error: "must be true or false" }).default(defaultValue).describe(description);
}

/** An object whose unknown keys are errors that list the keys allowed there. */
function strictGroup<S extends z.ZodRawShape>(shape: S) {
  const allowed = `allowed here: ${Object.keys(shape).join(", ")}`;
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? allowed : issue.code === "invalid_type" ? `must be an object of settings; ${allowed}` : undefined,
  });
}

/** A group of settings: unknown keys are errors that list the keys allowed here. */
function section<S extends z.ZodRawShape>(shape: S, description: string) {
  const group = strictGroup(shape);
  // Every field of a section has a default, so an absent section is an empty one.
  const empty = {} as z.input<typeof group>;
  return group.prefault(empty).describe(description);
}

const cidrBlock = z.string({ error: "must be an IPv4 CIDR block such as 10.0.0.0/16" }).describe("IPv4 CIDR block");
const cidrList = (description: string) =>
  z.array(cidrBlock, { error: "must be a list of IPv4 CIDR blocks" }).optional().describe(description);

/** Retention periods CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** AWS tags: keys of 1 to 128 and values of up to 256 letters, digits, spaces and _ . : / = + - @; "aws:" is AWS's own. */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const TAG_RULE = "letters, digits, spaces and _ . : / = + - @";
const tagKey = z
  .string()
  .min(1, { error: "a tag key must not be empty" })
  .max(128, { error: "a tag key has at most 128 characters" })
  .regex(TAG_CHARACTERS, { error: `a tag key may hold only ${TAG_RULE}` })
  .refine((key) => !key.toLowerCase().startsWith("aws:"), { error: 'a tag key must not start with "aws:", which AWS reserves' });
const tagValue = z
  .string({ error: "must be a string (tag values are text)" })
  .max(256, { error: "a tag value has at most 256 characters" })
  .regex(TAG_CHARACTERS, { error: `a tag value may hold only ${TAG_RULE}` });
/** AWS allows 50 tags on a resource; the common tags and a Name tag take 4. */
export const MAX_EXTRA_TAGS = 46;

const APP_NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
const APP_NAME_RULE = "must be 2 to 32 lowercase letters, digits or hyphens, starting with a letter";
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const IMAGE_TAG_RULE = "must be a Docker tag: letters, digits, _ . - (at most 128)";
/** ALB path patterns: up to 128 characters, wildcards * and ?. */
const PATH_PATTERN = /^\/[A-Za-z0-9_\-.$/~"'@:+&*?]{0,127}$/;
const PATH_PATTERN_RULE = 'must be a path pattern starting with "/", at most 128 characters: letters, digits, _ - . $ / ~ " \' @ : + & and the wildcards * and ?';
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const DNS_NAME_RULE = 'must be a DNS name of lowercase labels separated by dots, such as "local" or "internal.example"';
/** arn:aws:acm:<region>:<account>:certificate/<uuid> */
export const CERTIFICATE_ARN = /^arn:aws:acm:([a-z0-9-]+):(\d{12}):certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CERTIFICATE_ARN_RULE = "must be an ACM certificate ARN: arn:aws:acm:<region>:<12-digit account>:certificate/<uuid>";

// ---------------------------------------------------------------------------------------------
// The settings, grouped by lesson concept. Defaults are the workshop's values.

const network = section(
  {
    name: z.string({ error: "must be a non-empty string" }).min(1, { error: "must be a non-empty string" }).default("main").describe('Name tag of the VPC. @default "main"'),
    cidr: cidrBlock.default("10.0.0.0/16").describe('VPC CIDR block. @default "10.0.0.0/16"'),
    publicSubnetCidrs: cidrList(
      "One public subnet per availability zone, in zone order. @default the VPC's first blocks 8 bits smaller (at most /28), one per zone: 10.0.0.0/24, 10.0.1.0/24, 10.0.2.0/24",
    ),
    privateSubnetCidrs: cidrList(
      "One private subnet per availability zone, in zone order. @default the blocks after the public ones: 10.0.3.0/24, 10.0.4.0/24, 10.0.5.0/24",
    ),
    nat: oneOf(
      ["none", "single", "perAz"],
      "none",
      'NAT gateways for the private subnets: "none" (the lesson: no cost), "single" (one, in the first zone) or "perAz" (one per zone). From stage alb on, NAT moves the tasks into the private subnets; in fargate they stay public, as the lesson browses to them.',
    ),
    enableVpcEndpoints: flag(
      false,
      "Interface endpoints (ECR api and dkr, CloudWatch Logs, Secrets Manager, SSM, SSM messages, EC2 messages) in the private subnets and the S3 gateway endpoint: like NAT, they move the tasks (from stage alb on) and the jump host into the private subnets without public IPs. Without NAT the tasks cannot reach public.ecr.aws, so service.imageSource must be \"repository\". @default false",
    ),
  },
  "The VPC and its subnets (stage vpc-only).",
);

const database = section(
  {
    engineVersion: pattern(/^\d+(\.\d+)?$/, 'must be a PostgreSQL major version such as "17", optionally with a minor ("17.6")')
      .default("17")
      .describe("PostgreSQL version on RDS; the major must be in standard support. @default \"17\""),
    instanceClass: pattern(/^db\.[a-z0-9]+\.[a-z0-9]+$/, 'must be an RDS instance class such as "db.t4g.micro"')
      .default("db.t4g.micro")
      .describe('RDS instance class. Free tier: "db.t4g.micro" or "db.t3.micro". @default "db.t4g.micro"'),
    allocatedStorageGiB: wholeNumber(20, 65536, 20, "Encrypted gp3 storage in GiB. @default 20"),
    port: wholeNumber(1150, 65535, 5432, "Database port. @default 5432"),
    masterUsername: postgresIdentifier()
      .default("postgres")
      .describe('Master user; its password is generated and kept by RDS in Secrets Manager. @default "postgres"'),
    databaseName: postgresIdentifier()
      .default("workshop")
      .describe('Database created on the instance. @default "workshop"'),
    subnetGroupName: pattern(/^[a-z0-9][a-z0-9.\-_ ]*$/, "must be lowercase letters, digits, periods, hyphens, underscores or spaces")
      .default("main-private")
      .describe('DB subnet group name, after "<namePrefix>-<stage>-". @default "main-private"'),
    enableMultiAz: flag(false, "Multi-AZ standby; recommended for production. @default false"),
    backupRetentionDays: wholeNumber(0, 35, 1, "Automated backup retention in days. @default 1"),
    skipFinalSnapshot: flag(true, "Lesson profile: destroy without a final snapshot. @default true"),
    enableDeletionProtection: flag(false, "Lesson profile: no deletion protection, so that teardown works. @default false"),
  },
  "PostgreSQL on RDS (stage db).",
);

const jumpHost = section(
  {
    enable: flag(true, "A small instance to reach the database from (stage db on), through SSM Session Manager. @default true (the lesson has one)"),
    instanceType: pattern(/^[a-z][a-z0-9-]*\d[a-z0-9-]*\.(nano|micro|small|medium|large|\d*xlarge|metal(-\d+xl)?)$/, 'must be an EC2 instance type such as "t4g.nano" or "t3.micro"')
      .default("t4g.nano")
      .describe('EC2 instance type; Graviton types (t4g, m7g ...) get the arm64 Amazon Linux 2023 image, others the x86_64 one. @default "t4g.nano"'),
    sshKeyPairName: keyPairName()
      .optional()
      .describe("EC2 key pair for SSH, the lesson's way; Session Manager needs none. @default - no key pair"),
    sshAllowedCidr: z
      .string({ error: "must be a CIDR block such as 203.0.113.7/32" })
      .optional()
      .describe("The one range SSH (port 22) is admitted from; needs sshKeyPairName. @default - no SSH"),
    enableSshFromAnywhere: flag(false, "Allow 0.0.0.0/0 or ::/0 as sshAllowedCidr. @default false"),
  },
  "The jump host that reaches the database (stage db).",
);

const registry = section(
  {
    imageTagMutability: oneOf(["MUTABLE", "IMMUTABLE"], "MUTABLE", 'ECR tag mutability. @default "MUTABLE" (the lesson pushes "latest" again)'),
    keepImages: wholeNumber(1, 1000, 10, "Images the lifecycle policy keeps; older ones expire. @default 10"),
    untaggedImageExpiryDays: wholeNumber(1, 3650, 1, "Untagged images expire after this many days. @default 1"),
    forceDelete: flag(true, "Lesson profile: delete the repository even when it still holds images. @default true"),
  },
  "The ECR repository (stage fargate).",
);

const service = section(
  {
    appName: pattern(APP_NAME, APP_NAME_RULE)
      .default("my-nginx")
      .describe('Name of the container, service and task family. @default "my-nginx"'),
    imageSource: oneOf(
      ["public", "repository"],
      "public",
      'Where the image comes from: "public" (publicImage, so a deploy works before anything is pushed) or "repository" (the stage\'s ECR repository at imageTag). @default "public"',
    ),
    publicImage: pattern(/^\S+$/, "must be an image reference without spaces, such as public.ecr.aws/nginx/nginx:stable")
      .default("public.ecr.aws/nginx/nginx:stable")
      .describe('Image used when imageSource is "public". @default "public.ecr.aws/nginx/nginx:stable"'),
    imageTag: pattern(IMAGE_TAG, IMAGE_TAG_RULE)
      .default("latest")
      .describe('Tag used when imageSource is "repository". @default "latest"'),
    launchType: oneOf(
      ["FARGATE", "EC2"],
      "FARGATE",
      'Where the tasks run: "FARGATE" (the lesson) or "EC2" (an Auto Scaling group of ECS instances, see ec2Capacity; bridge networking, with dynamic host ports behind the load balancer). @default "FARGATE"',
    ),
    cpu: wholeNumber(256, 16384, 256, "Task CPU units; must pair with memoryMiB as Fargate allows (on EC2: fit on ec2Capacity.instanceType). @default 256"),
    memoryMiB: wholeNumber(512, 122880, 512, "Task memory in MiB. @default 512"),
    containerPort: wholeNumber(1, 65535, 80, "Port the container listens on. @default 80"),
    desiredCount: wholeNumber(0, 1000, 1, "Tasks in stage fargate. @default 1"),
    enableContainerInsights: flag(false, "CloudWatch Container Insights on the cluster (extra cost). @default false"),
    logRetentionDays: z
      .literal(LOG_RETENTION_DAYS, { error: `must be one of the retention periods CloudWatch Logs offers: ${LOG_RETENTION_DAYS.join(", ")}` })
      .default(7)
      .describe("Days CloudWatch keeps the container logs and the database's exported logs. @default 7"),
  },
  "The ECS cluster, task definition and service (stage fargate).",
);

const ec2Capacity = section(
  {
    instanceType: pattern(INSTANCE_TYPE_PATTERN, 'must be an EC2 instance type such as "t3.small" or "t4g.small"')
      .default("t3.small")
      .describe('Instance type of the ECS instances; Graviton types (t4g, m7g, ...) get the arm64 AMI and ARM64 tasks. @default "t3.small"'),
    minSize: wholeNumber(0, 100, 2, "Fewest instances the Auto Scaling group keeps. @default 2"),
    desiredCapacity: wholeNumber(0, 100, 2, "Instances at creation; afterwards the capacity provider sets it. @default 2"),
    maxSize: wholeNumber(1, 100, 4, "Most instances the capacity provider may start. @default 4"),
    targetCapacityPercent: wholeNumber(1, 100, 100, "Managed scaling keeps the instances this full with tasks. @default 100"),
    sshKeyPairName: keyPairName()
      .optional()
      .describe("EC2 key pair for SSH through Session Manager; no SSH port is opened. @default - none"),
  },
  'EC2 instances for the tasks (stages fargate, alb, autoscaling), used only with service.launchType "EC2".',
);

const loadBalancer = section(
  {
    listenerPort: wholeNumber(1, 65535, 80, "HTTP listener port, open to the internet. @default 80"),
    desiredCount: wholeNumber(0, 1000, 3, "Tasks behind the load balancer in stage alb. @default 3"),
    deregistrationDelaySeconds: wholeNumber(0, 3600, 30, "Time a deregistering target keeps draining. @default 30"),
    healthCheckPath: urlPath().default("/").describe('Health check path. @default "/"'),
    healthyThreshold: wholeNumber(2, 10, 3, "Healthy checks in a row before a target takes traffic. @default 3"),
    healthCheckIntervalSeconds: wholeNumber(5, 300, 6, "Seconds between health checks. @default 6"),
    certificateArn: pattern(CERTIFICATE_ARN, CERTIFICATE_ARN_RULE)
      .optional()
      .describe("ACM certificate for an HTTPS listener on 443; port 80 then redirects to it. @default - none: plain HTTP, as in the lesson"),
    extraCertificateArns: z
      .array(pattern(CERTIFICATE_ARN, CERTIFICATE_ARN_RULE), { error: "must be a list of ACM certificate ARNs" })
      .max(25, { error: "the HTTPS listener takes at most 25 extra certificates (ALB limit)" })
      .default([])
      .describe("More ACM certificates on the HTTPS listener (other domains, picked by SNI); needs certificateArn. @default []"),
    sslPolicy: pattern(/^ELBSecurityPolicy-[A-Za-z0-9-]+$/, 'must be an ELB security policy name such as "ELBSecurityPolicy-TLS13-1-2-2021-06"')
      .default("ELBSecurityPolicy-TLS13-1-2-2021-06")
      .describe('TLS policy of the HTTPS listener. @default "ELBSecurityPolicy-TLS13-1-2-2021-06" (TLS 1.3 and 1.2)'),
  },
  "The Application Load Balancer (stage alb).",
);

/** One service of the `services` list: what it leaves out comes from the service, loadBalancer and autoscaling sections. */
const serviceEntry = strictGroup({
  name: pattern(APP_NAME, APP_NAME_RULE).describe("Name of the service, its container, task family, repository and DNS name; unique in the list"),
  imageSource: choice(["public", "repository"]).optional().describe("@default service.imageSource"),
  publicImage: pattern(/^\S+$/, "must be an image reference without spaces").optional().describe("@default service.publicImage"),
  imageTag: pattern(IMAGE_TAG, IMAGE_TAG_RULE).optional().describe("@default service.imageTag"),
  containerPort: optionalWholeNumber(1, 65535, "@default service.containerPort"),
  cpu: optionalWholeNumber(256, 16384, "@default service.cpu"),
  memoryMiB: optionalWholeNumber(512, 122880, "@default service.memoryMiB"),
  desiredCount: optionalWholeNumber(0, 1000, "Tasks in stages fargate and alb. @default service.desiredCount in fargate, loadBalancer.desiredCount in alb"),
  healthCheckPath: urlPath().optional().describe("@default loadBalancer.healthCheckPath"),
  paths: z
    .array(pattern(PATH_PATTERN, PATH_PATTERN_RULE), { error: "must be a list of path patterns" })
    .optional()
    .describe('Path patterns the load balancer routes here, such as "/api/*"; "/" makes it the default (catch-all) service. @default [] (not routed: reached only by services that call it)'),
  priority: optionalWholeNumber(1, 50000, "Listener rule priority. @default derived from the name (stable when the list is reordered)"),
  calls: z.array(z.string({ error: "must be a service name" }), { error: "must be a list of service names" }).default([]).describe(
    "Services this one connects to (needs serviceDiscovery.enable): opens their port to it and sets <NAME>_HOST, <NAME>_PORT, <NAME>_URL. @default []",
  ),
  useDatabase: z.boolean({ error: "must be true or false" }).optional().describe('Database access (security group, DB_* environment, password secret). @default true for the service at "/", false for the others'),
  scaling: strictGroup({
    policy: choice(["requestCount", "cpu"]).optional().describe('@default autoscaling.policy ("cpu" for a service without paths)'),
    target: optionalWholeNumber(1, 100000, "@default the policy's target in the autoscaling section"),
    minCapacity: optionalWholeNumber(0, 1000, "@default the policy's minCapacity"),
    desiredCount: optionalWholeNumber(0, 1000, "@default the policy's desiredCount"),
    maxCapacity: optionalWholeNumber(1, 1000, "@default the policy's maxCapacity"),
  })
    .optional()
    .describe("This service's scaling in stage autoscaling. @default the autoscaling section"),
});

const services = z
  .array(serviceEntry, { error: "must be a list of services" })
  .min(1, { error: "must list at least one service (leave the key out for the lesson's one)" })
  .optional()
  .describe('Several services behind one load balancer, routed by path. @default one service from the service, loadBalancer and autoscaling sections: service.appName at "/"');

const serviceDiscovery = section(
  {
    enable: flag(false, "A Cloud Map private DNS namespace in the VPC and an A-record service per ECS service. @default false"),
    namespace: pattern(DNS_NAME, DNS_NAME_RULE).default("local").describe('Private DNS namespace: services are <name>.<namespace>. @default "local"'),
  },
  "Cloud Map service discovery (stages fargate on).",
);

const scalingRange = (min: number, desired: number, max: number, target: ReturnType<typeof wholeNumber>, what: string) =>
  section(
    {
      target,
      minCapacity: wholeNumber(0, 1000, min, `Fewest tasks. @default ${min}`),
      desiredCount: wholeNumber(0, 1000, desired, `Tasks at creation. @default ${desired}`),
      maxCapacity: wholeNumber(1, 1000, max, `Most tasks. @default ${max}`),
    },
    what,
  );

const autoscaling = section(
  {
    policy: oneOf(
      ["requestCount", "cpu"],
      "requestCount",
      'Target tracking on ALBRequestCountPerTarget ("requestCount", the lesson) or on ECSServiceAverageCPUUtilization ("cpu"). @default "requestCount"',
    ),
    requestCount: scalingRange(
      1,
      1,
      10,
      wholeNumber(1, 100000, 10, "Requests per target to hold. @default 10 (low, so that load tests scale easily)"),
      "The lesson's policy: 10 requests per target, 1 to 10 tasks.",
    ),
    cpu: scalingRange(
      2,
      2,
      50,
      wholeNumber(1, 100, 70, "Average CPU percent to hold. @default 70"),
      "The slides' CPU example: 70 %, 2 to 50 tasks.",
    ),
    scaleOutCooldownSeconds: wholeNumber(0, 3600, 60, "@default 60"),
    scaleInCooldownSeconds: wholeNumber(0, 3600, 60, "@default 60"),
    enableScaleIn: flag(true, "Let the policy remove tasks. @default true"),
  },
  "Service auto scaling (stage autoscaling).",
);

const regionName = z.string({ error: 'must be an AWS Region such as "eu-west-1"' }).superRefine((region, context) => {
  if (REGIONS[region]) return;
  const partition = /^(cn|us-gov|us-iso[a-z]*|eu-isoe)-/.test(region) ? " (China, GovCloud and isolated partitions are not supported)" : "";
  context.addIssue({
    code: "custom",
    message: `is not an AWS Region the AWS provider knows${partition}; allowed: ${suggestRegions(region)}`,
  });
});

const LOCKING = ["lockfile", "dynamodb", "both"] as const;
const ENCRYPTION = ["SSE-S3", "SSE-KMS"] as const;
const endpoint = z.url({ protocol: /^https?$/, error: "must be an http or https URL such as http://127.0.0.1:4566" });

const s3Backend = strictGroup({
    type: z.literal("s3"),
    bucket: z
      .string({ error: `must be an S3 bucket name: ${BUCKET_NAME_RULES}` })
      .superRefine((name, ctx) => {
        const problem = bucketNameProblem(name);
        if (problem) ctx.addIssue({ code: "custom", input: name, message: `must be an S3 bucket name: ${problem}; allowed: ${BUCKET_NAME_RULES}, not an IP address, not starting with ${RESERVED_BUCKET_PREFIXES.join(", ")}, not ending with ${RESERVED_BUCKET_SUFFIXES.join(", ")}` });
      })
      .describe("Bucket holding the state; each stage writes <keyPrefix>/<stage>.tfstate. The state stack creates it."),
    keyPrefix: pattern(/^[A-Za-z0-9!_.*'()/-]+$/, "must be an S3 key prefix without spaces").default("container-workshop").describe(
      '@default "container-workshop"',
    ),
    region: regionName.optional().describe("Region of the bucket. @default the region setting"),
    locking: choice(LOCKING)
      .optional()
      .describe(
        'How Terraform locks the state: "lockfile" (S3-native <key>.tflock, Terraform 1.11+), "dynamodb" (the lockTable; deprecated by Terraform 1.11) or "both" (while a team moves from the table to lock files). @default "dynamodb" when lockTable is set (what lockTable meant before), else "lockfile"',
      ),
    lockTable: pattern(/^[A-Za-z0-9_.-]{3,255}$/, "must be a DynamoDB table name: 3 to 255 letters, digits, underscores, periods or hyphens")
      .optional()
      .describe('DynamoDB table (partition key LockID) for locking "dynamodb" or "both". @default - none'),
    encryption: oneOf(ENCRYPTION, "SSE-S3", 'Default encryption of the state bucket: "SSE-S3" (S3-managed keys) or "SSE-KMS" (kmsKeyArn). @default "SSE-S3"'),
    kmsKeyArn: pattern(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/\S+$/, "must be the ARN of a KMS key or alias, such as arn:aws:kms:eu-west-1:111122223333:key/<id>")
      .optional()
      .describe('KMS key for encryption "SSE-KMS": the bucket default and the key Terraform writes state with. @default - none'),
    noncurrentVersionExpiryDays: wholeNumber(1, 36500, 90, "Days the state bucket keeps a replaced state version before deleting it. @default 90"),
    s3Endpoint: endpoint.optional().describe("S3-compatible endpoint, for tests. @default - AWS"),
    dynamodbEndpoint: endpoint.optional().describe("DynamoDB-compatible endpoint, for tests. @default - AWS"),
  })
  .superRefine((backend, ctx) => {
    for (const problem of backendProblems(backend)) ctx.addIssue({ code: "custom", ...problem });
  })
  .describe("State in S3, one key per stage.");

const backend = z
  .discriminatedUnion("type", [strictGroup({ type: z.literal("local") }).describe("State files in the project folder."), s3Backend], {
    error: 'must be {"type": "local"} or {"type": "s3", "bucket": ...}',
  })
  .default({ type: "local" })
  .describe('Where each stage keeps its Terraform state. @default {"type": "local"}');

export const SettingsSchema = strictGroup({
      $schema: z.string().optional().describe("Path or URL of this schema, for editors."),
      namePrefix: pattern(/^[a-z][a-z0-9-]*$/, "must be lowercase letters, digits and hyphens, starting with a letter")
        .default("workshop")
        .describe('Starts every AWS name that must be unique, followed by the stage. @default "workshop"'),
      region: regionName
        .default("eu-west-1")
        .describe('@default "eu-west-1"'),
      availabilityZones: z
        .array(z.string(), { error: "must be a list of availability zone names" })
        .optional()
        .describe('Zones of the region, one public and one private subnet each. @default the region\'s first three: ["eu-west-1a", "eu-west-1b", "eu-west-1c"]'),
      extraTags: z.record(tagKey, tagValue, { error: "must map tag names to string values" }).default({}).describe(
        "Tags merged over the common tags (project, stage, managed-by) on every resource. @default {}",
      ),
      backend,
      network,
      database,
      jumpHost,
      registry,
      service,
      ec2Capacity,
      loadBalancer,
      autoscaling,
      services,
      serviceDiscovery,
}).describe("Settings of the container workshop stages. Every field is optional; defaults are the lesson's values.");

type ParsedSettings = z.output<typeof SettingsSchema>;
/** The settings with every default applied, zones and subnets included. */
export type Settings = Omit<ParsedSettings, "availabilityZones" | "network"> & {
  availabilityZones: string[];
  network: Required<ParsedSettings["network"]>;
};
export type SettingsInput = z.input<typeof SettingsSchema>;
export type NatMode = Settings["network"]["nat"];

/** The JSON Schema of the settings file, from the same definition the loader uses. */
export function settingsJsonSchema(): object {
  return z.toJSONSchema(SettingsSchema, { io: "input", unrepresentable: "any" });
}

// ---------------------------------------------------------------------------------------------
// Facts about AWS the checks need.

/** PostgreSQL majors on RDS and the day their standard support ends (after it: paid Extended Support). */
export const POSTGRES_STANDARD_SUPPORT_ENDS: Readonly<Record<string, string>> = {
  "13": "2026-02-28",
  "14": "2027-02-28",
  "15": "2028-02-29",
  "16": "2029-02-28",
  "17": "2030-02-28",
  "18": "2031-02-28",
};

/** Instance families RDS has retired. */
const RETIRED_DB_FAMILIES = ["t1", "t2", "m1", "m2", "m3", "r3"];


/** Task sizes Fargate offers: CPU units -> allowed memory (MiB). */
export function fargateMemoryOptions(cpu: number): number[] {
  const range = (from: number, to: number, step: number) =>
    Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
  switch (cpu) {
    case 256:
      return [512, 1024, 2048];
    case 512:
      return range(1024, 4096, 1024);
    case 1024:
      return range(2048, 8192, 1024);
    case 2048:
      return range(4096, 16384, 1024);
    case 4096:
      return range(8192, 30720, 1024);
    case 8192:
      return range(16384, 61440, 4096);
    case 16384:
      return range(32768, 122880, 8192);
    default:
      return [];
  }
}

// ---------------------------------------------------------------------------------------------
// Checks that span several settings.

/** A value as an error message shows it: short, so that a long or secret value is not printed back whole. */
export function show(value: unknown): string {
  if (typeof value === "string") return value.length > 80 ? `${JSON.stringify(value.slice(0, 72))}... (${value.length} characters)` : JSON.stringify(value);
  if (Array.isArray(value)) return value.length <= 3 && JSON.stringify(value).length <= 60 ? JSON.stringify(value) : `a list of ${value.length}`;
  if (value !== null && typeof value === "object") return "an object";
  return String(value);
}

function checkNamePrefix(s: Settings, problems: string[]): void {
  const prefix = s.namePrefix;
  if (prefix.includes("--") || prefix.endsWith("-")) {
    problems.push(`namePrefix: ${show(prefix)} must not end with a hyphen or hold two in a row (AWS rejects such names)`);
  }
  const names = STAGE_NAMES.flatMap((stage) =>
    new StageNames(prefix, stage).all(s.service.appName, s.database.subnetGroupName).map((n) => ({ stage, ...n })),
  );
  const reserved = names.find(({ kind, name }) => {
    const start = NAME_RULES[kind].reservedStart;
    return start !== undefined && name.startsWith(start);
  });
  if (reserved) {
    problems.push(`namePrefix: ${show(prefix)} makes the ${reserved.kind} name ${show(reserved.name)} start with a prefix AWS reserves`);
  }
  // The tightest name decides how long the prefix may be.
  const tightest = names
    .map((n) => ({ ...n, room: NAME_RULES[n.kind].maxLength - (n.name.length - prefix.length) }))
    .reduce((a, b) => (b.room < a.room ? b : a));
  if (prefix.length > tightest.room) {
    problems.push(
      `namePrefix: ${show(prefix)} has ${prefix.length} characters; the ${tightest.stage} ${tightest.kind} name ${show(tightest.name)} ` +
        `would exceed the ${NAME_RULES[tightest.kind].maxLength} characters AWS allows, so namePrefix may have at most ${tightest.room}`,
    );
  }
}

function checkZones(s: Settings, problems: string[]): void {
  const zones = s.availabilityZones;
  const letters = REGIONS[s.region]?.zoneLetters;
  zones.forEach((zone, i) => {
    const suffix = zone.slice(s.region.length);
    if (!zone.startsWith(s.region) || !/^[a-z]$/.test(suffix)) {
      problems.push(`availabilityZones[${i}]: ${show(zone)} is not a zone of region ${show(s.region)}; zones are named like "${s.region}a"`);
    } else if (letters !== undefined && !letters.includes(suffix)) {
      problems.push(
        `availabilityZones[${i}]: ${show(zone)} does not exist in ${s.region}; its zones are ${[...letters].map((l) => s.region + l).join(", ")}`,
      );
    }
  });
  if (new Set(zones).size !== zones.length) problems.push(`availabilityZones: ${show(zones)} lists a zone twice`);
  if (zones.length < 2) {
    problems.push(`availabilityZones: ${show(zones)} must name at least 2 zones (RDS subnet groups and load balancers span two or more)`);
  }
}

function checkSubnets(s: Settings, problems: string[]): void {
  const vpc = parseCidr(s.network.cidr);
  if (!vpc) {
    problems.push(`network.cidr: ${show(s.network.cidr)} is not an IPv4 CIDR block (example: 10.0.0.0/16)`);
  } else if (vpc.prefixLength < 16 || vpc.prefixLength > 28) {
    problems.push(`network.cidr: ${show(s.network.cidr)} has a /${vpc.prefixLength} mask; AWS allows VPCs from /16 to /28`);
  }
  const subnets: Array<{ setting: string; cidr: Cidr }> = [];
  for (const kind of ["publicSubnetCidrs", "privateSubnetCidrs"] as const) {
    const list = s.network[kind];
    if (list.length !== s.availabilityZones.length) {
      problems.push(
        `network.${kind}: ${show(list)} has ${list.length} subnets but availabilityZones names ${s.availabilityZones.length}; give one per zone`,
      );
    }
    for (const [i, text] of list.entries()) {
      const setting = `network.${kind}[${i}]`;
      const cidr = parseCidr(text);
      const clash = cidr && subnets.find((other) => overlaps(other.cidr, cidr));
      if (!cidr) problems.push(`${setting}: ${show(text)} is not an IPv4 CIDR block (example: 10.0.1.0/24)`);
      else if (cidr.prefixLength > 28) problems.push(`${setting}: ${show(text)} is smaller than /28, the smallest subnet AWS allows`);
      else if (vpc && !contains(vpc, cidr)) problems.push(`${setting}: ${show(text)} lies outside the VPC ${s.network.cidr}`);
      else if (clash) problems.push(`${setting}: ${show(text)} overlaps ${clash.setting} (${clash.cidr.text})`);
      else subnets.push({ setting, cidr });
    }
  }
}

function checkDatabase(s: Settings, today: Date, problems: string[]): void {
  const { engineVersion, instanceClass } = s.database;
  const major = engineVersion.split(".")[0];
  const ends = POSTGRES_STANDARD_SUPPORT_ENDS[major];
  // Support ends at the end of the given day; compare calendar days, as ISO dates compare as strings.
  const day = today.toISOString().slice(0, 10);
  const supported = Object.entries(POSTGRES_STANDARD_SUPPORT_ENDS)
    .filter(([, end]) => end >= day)
    .map(([m]) => m);
  if (!ends || ends < day) {
    problems.push(
      `database.engineVersion: ${show(engineVersion)} is not a PostgreSQL major in RDS standard support; allowed: ${supported.join(", ")}`,
    );
  }
  const family = instanceClass.split(".")[1];
  if (RETIRED_DB_FAMILIES.includes(family)) {
    problems.push(`database.instanceClass: ${show(instanceClass)} is a retired generation; use "db.t4g.micro" or "db.t3.micro" (free tier)`);
  }
}

/** What is wrong with a task size on Fargate, for the settings at `at` ("service", "services[1]"). */
export function fargateSizeProblems(at: string, cpu: number, memoryMiB: number): string[] {
  const options = fargateMemoryOptions(cpu);
  if (options.length === 0) return [`${at}.cpu: ${cpu} is not a Fargate CPU size; allowed: 256, 512, 1024, 2048, 4096, 8192, 16384`];
  if (!options.includes(memoryMiB)) return [`${at}.memoryMiB: ${memoryMiB} does not pair with cpu ${cpu} on Fargate; allowed: ${options.join(", ")}`];
  return [];
}

function checkService(s: Settings, problems: string[]): void {
  // On EC2, the task has to fit on the instance type instead (ec2CapacityProblems).
  if (s.service.launchType !== "EC2") problems.push(...fargateSizeProblems("service", s.service.cpu, s.service.memoryMiB));
}

function checkRegistry(s: Settings, problems: string[]): void {
  if (s.registry.imageTagMutability === "IMMUTABLE" && s.service.imageTag === "latest") {
    problems.push(
      `registry.imageTagMutability: "IMMUTABLE" refuses a second push of service.imageTag "latest"; ` +
        `set service.imageTag to a version such as "v1", or keep "MUTABLE"`,
    );
  }
}

function checkTags(s: Settings, problems: string[]): void {
  const count = Object.keys(s.extraTags).length;
  if (count > MAX_EXTRA_TAGS) {
    problems.push(`extraTags: ${count} tags; AWS allows 50 on a resource and the stages use 4 (project, stage, managed-by, Name), so at most ${MAX_EXTRA_TAGS}`);
  } else if (s.service.launchType === "EC2" && count > MAX_EXTRA_TAGS - 1) {
    problems.push(
      `extraTags: ${count} tags; with service.launchType "EC2" the Auto Scaling group also carries the tag AmazonECSManaged, ` +
        `so at most ${MAX_EXTRA_TAGS - 1} fit in the 50 AWS allows`,
    );
  }
}

/** "<at>: a 1, b 3, c 2 must satisfy a <= b <= c" when the named values, in the given order, do not ascend. */
export function orderProblems(at: string, values: Readonly<Record<string, number>>): string[] {
  const named = Object.entries(values);
  if (named.every(([, value], i) => i === 0 || named[i - 1][1] <= value)) return [];
  return [`${at}: ${named.map(([name, value]) => `${name} ${value}`).join(", ")} must satisfy ${named.map(([name]) => name).join(" <= ")}`];
}

function checkScaling(s: Settings, problems: string[]): void {
  for (const policy of ["requestCount", "cpu"] as const) {
    const { minCapacity, desiredCount, maxCapacity } = s.autoscaling[policy];
    problems.push(...orderProblems(`autoscaling.${policy}`, { minCapacity, desiredCount, maxCapacity }));
  }
}

const WORLD_CIDRS = [WORLD_IPV4, WORLD_IPV6];
const IPV6_CIDR = /^[0-9a-f:]*:[0-9a-f:]*\/(\d|[1-9]\d|1[01]\d|12[0-8])$/i;

/** True when the jump host sits in a private subnet: NAT or endpoints give it a way to SSM without a public IP. */
export function jumpHostIsPrivate(s: Pick<Settings, "network">): boolean {
  return s.network.nat !== "none" || s.network.enableVpcEndpoints;
}

function checkJumpHost(s: Settings, problems: string[]): void {
  const { sshAllowedCidr: cidr, sshKeyPairName, enableSshFromAnywhere } = s.jumpHost;
  if (cidr === undefined) return;
  const ipv4 = parseCidr(cidr);
  if (!ipv4 && !IPV6_CIDR.test(cidr)) {
    problems.push(`jumpHost.sshAllowedCidr: ${show(cidr)} is not a CIDR block; give one range such as "203.0.113.7/32" (your address)`);
    return;
  }
  if (sshKeyPairName === undefined) {
    problems.push(`jumpHost.sshAllowedCidr: ${show(cidr)} opens SSH, which needs jumpHost.sshKeyPairName (the EC2 key pair to log in with)`);
  }
  if (WORLD_CIDRS.includes(cidr.toLowerCase()) && !enableSshFromAnywhere) {
    problems.push(
      `jumpHost.sshAllowedCidr: ${show(cidr)} opens SSH to the whole internet; give your own range such as "203.0.113.7/32", ` +
        `or set jumpHost.enableSshFromAnywhere to true to accept that`,
    );
  }
  const vpc = parseCidr(s.network.cidr);
  if (jumpHostIsPrivate(s) && vpc && !(ipv4 && overlaps(vpc, ipv4))) {
    problems.push(
      `jumpHost.sshAllowedCidr: ${show(cidr)} lies outside the VPC, but with network.nat or network.enableVpcEndpoints the jump host ` +
        `has no public IP, so SSH from there cannot reach it; use Session Manager (an SSH ProxyCommand through it works too), or a range inside ${s.network.cidr}`,
    );
  }
}

function checkVpcEndpoints(s: Settings, problems: string[]): void {
  if (!s.network.enableVpcEndpoints || s.network.nat !== "none") return;
  resolveServices(s).forEach(({ name, container }, i) => {
    if (container.imageSource !== "public") return;
    const setting = s.services ? `services[${i}].imageSource` : "service.imageSource";
    problems.push(
      `${setting}: "public" runs ${show(container.publicImage)}${s.services ? ` in service ${show(name)}` : ""}, which tasks in the private subnets cannot pull: ` +
        `network.enableVpcEndpoints reaches the stage's own ECR repositories but not public registries, and network.nat is "none"; ` +
        `set ${setting} to "repository" (and push the image, see docker_push_command), or network.nat to "single"`,
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Loading.

const KINDS: Record<string, string> = { string: "text", number: "a number", boolean: "true or false", object: "an object" };

/** What kind of JSON value this is, as a user would say it. */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return KINDS[typeof value] ?? typeof value;
}

/** Letters apart, for "did you mean": insertions, deletions and substitutions. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length];
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string[] {
  const where = (path: PropertyKey[]) =>
    path.reduce<string>((acc, key) => {
      if (typeof key === "number") return `${acc}[${key}]`;
      // A key the user typed is shown escaped and short, like a value.
      const name = /^[$\w:-]{1,64}$/.test(String(key)) ? String(key) : `[${show(String(key))}]`;
      return acc && !name.startsWith("[") ? `${acc}.${name}` : `${acc}${name}`;
    }, "");
  if (issue.code === "unrecognized_keys") {
    // The value is never printed: a password or a whole state file put in the wrong place stays unseen.
    const allowed = issue.message.replace(/^allowed here: /, "").split(", ");
    return issue.keys.map((key) => {
      const near = allowed.find((name) => name.toLowerCase() === key.toLowerCase() || distance(name, key) <= 2);
      return `${where([...issue.path, key])}: unknown setting${near ? ` (did you mean ${JSON.stringify(near)}?)` : ""}; ${issue.message}`;
    });
  }
  const message = issue.code === "invalid_key" && issue.issues[0] ? issue.issues[0].message : issue.message;
  const atPath = issue.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k], input);
  const value = atPath !== undefined || !("input" in issue) ? atPath : issue.input;
  const place = where(issue.path) || "(top level)";
  if (issue.code === "invalid_key") {
    return [`${where(issue.path.slice(0, -1))}: the key ${show(issue.path[issue.path.length - 1])} is refused: ${message}`];
  }
  if (value === undefined) return [`${place}: missing; ${message}`];
  if (value === null) return [`${place}: null is not a value here (leave the key out for the default); ${message}`];
  if (issue.code === "invalid_type" && typeof value !== "number") {
    const unquoted = typeof value === "string" && /^(-?\d+(\.\d+)?|true|false)$/.test(value.trim());
    const hint = unquoted ? ` (write ${value.trim()} without quotes)` : "";
    return [`${place}: ${show(value)} is ${kindOf(value)}; ${message}${hint}`];
  }
  return [`${place}: ${show(value)} ${message}`];
}

export interface ParseOptions {
  /** Where the input came from, for messages. @default "settings" */
  readonly source?: string;
  /** The day support windows are judged on. @default - now */
  readonly today?: Date;
}

/** Zones default to the region's first three; subnets to consecutive blocks of the VPC, public first. */
function withDerivedDefaults(parsed: ParsedSettings, problems: string[]): Settings {
  const zones = parsed.availabilityZones ?? defaultZones(parsed.region) ?? [];
  if (zones.length === 0 && parsed.availabilityZones === undefined) {
    problems.push(
      `availabilityZones: missing, and needed for region ${show(parsed.region)}, whose zone names differ between accounts; ` +
        `name 2 or 3 zones your account has (aws ec2 describe-availability-zones --region ${parsed.region}), e.g. ["${parsed.region}a", "${parsed.region}b"]`,
    );
    return { ...parsed, availabilityZones: zones, network: { ...parsed.network, publicSubnetCidrs: [], privateSubnetCidrs: [] } };
  }
  const { publicSubnetCidrs, privateSubnetCidrs } = parsed.network;
  let blocks: string[] = [];
  const vpc = parseCidr(parsed.network.cidr);
  if (vpc && (!publicSubnetCidrs || !privateSubnetCidrs)) {
    const prefixLength = Math.min(vpc.prefixLength + 8, 28);
    const carved = carve(vpc, prefixLength, 2 * zones.length);
    if (carved) blocks = carved;
    else {
      problems.push(
        `network.cidr: ${show(parsed.network.cidr)} has no room for ${2 * zones.length} /${prefixLength} subnets; ` +
          `give network.publicSubnetCidrs and network.privateSubnetCidrs, or a larger VPC`,
      );
    }
  }
  return {
    ...parsed,
    availabilityZones: zones,
    network: {
      ...parsed.network,
      publicSubnetCidrs: publicSubnetCidrs ?? blocks.slice(0, zones.length),
      privateSubnetCidrs: privateSubnetCidrs ?? blocks.slice(zones.length),
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** `defaults` with every override that is not undefined: what constructs do with their optional settings. */
export function withDefaults<T extends object>(defaults: T, overrides: Partial<T> = {}): T {
  const given = Object.entries(overrides).filter(([, value]) => value !== undefined);
  return { ...defaults, ...(Object.fromEntries(given) as Partial<T>) };
}

let lessonDefaults: Settings | undefined;

/** The lesson's values: the settings when nothing is overridden. Constructs take their defaults from here. */
export function defaultSettings(): Settings {
  lessonDefaults ??= deepFreeze(parseSettings({}));
  return lessonDefaults;
}

/** Validates partial settings and fills in the lesson's defaults; throws ConfigError listing every problem. */
export function parseSettings(input: unknown, options: ParseOptions = {}): Settings {
  const source = options.source ?? "settings";
  const parsed = SettingsSchema.safeParse(input ?? {}, { reportInput: true });
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.flatMap((issue) => describeIssue(issue, input)), source);
  }
  const problems: string[] = [];
  const settings = withDerivedDefaults(parsed.data, problems);
  checkNamePrefix(settings, problems);
  checkZones(settings, problems);
  checkSubnets(settings, problems);
  checkDatabase(settings, options.today ?? new Date(), problems);
  checkService(settings, problems);
  checkRegistry(settings, problems);
  checkScaling(settings, problems);
  problems.push(...ec2CapacityProblems(settings));
  checkTags(settings, problems);
  problems.push(...serviceListProblems(settings), ...httpsProblems(settings));
  checkJumpHost(settings, problems);
  checkVpcEndpoints(settings, problems);
  if (problems.length > 0) throw new ConfigError(problems, source);
  return settings;
}

/** The lesson's settings, overridden by the JSON file named in WORKSHOP_CONFIG when it is set. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const file = env[CONFIG_ENV];
  if (!file) return parseSettings({});
  const path = resolve(file);
  const refuse = (problem: string) => new ConfigError([`${CONFIG_ENV}: ${JSON.stringify(file)} ${problem}`]);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw refuse(code === "EISDIR" ? "is a folder; name a JSON file" : `cannot be read (${code}); unset it or name a JSON file`);
  }
  let input: unknown;
  try {
    input = parseStrictJson(decodeSettingsFile(bytes));
  } catch (e) {
    if (e instanceof SettingsFileError) throw refuse(e.message);
    throw e;
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw refuse(`must hold a JSON object of settings, not ${kindOf(input)}`);
  }
  if ("lineage" in input && "terraform_version" in input) throw refuse("is a Terraform state file, not a settings file");
  return parseSettings(input, { source: `settings in ${path}` });
}
