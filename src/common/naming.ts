/**
 * AWS names that must be unique in an account and region. Each carries the name prefix and the stage,
 * so that the stages can be deployed side by side. Config validation checks every name of every stage
 * against the limits below, so a construct never meets a name AWS would reject.
 */
import { createHash } from "node:crypto";
import { UserError } from "./errors";

/** Characters the target group name spends on its replacement suffix (see LoadBalancer). */
export const TARGET_GROUP_SUFFIX_LENGTH = 4;

/** What forces a new target group: hashed into its name, so that a replacement gets a fresh one. */
export interface TargetGroupKey {
  readonly port: number;
  /** @default "HTTP" */
  readonly protocol?: string;
  /** @default "ip" */
  readonly targetType?: string;
  /** The VPC's CIDR block. */
  readonly vpc: string;
  /** The service's name; the default service leaves it out and keeps the lesson's name. */
  readonly service?: string;
}

/** The target group name's suffix: the first characters of the key's SHA-256. */
export function targetGroupSuffix(key: TargetGroupKey): string {
  const { port, protocol = "HTTP", targetType = "ip", vpc, service } = key;
  return createHash("sha256")
    .update(JSON.stringify({ port, protocol, targetType, vpc, ...(service !== undefined && { service }) }))
    .digest("hex")
    .slice(0, TARGET_GROUP_SUFFIX_LENGTH);
}

export interface NameRule {
  readonly maxLength: number;
  /** A prefix AWS reserves for this kind of name. */
  readonly reservedStart?: string;
}

export type NameKind =
  | "dbSubnetGroup"
  | "dbInstance"
  | "securityGroup"
  | "repository"
  | "cluster"
  | "taskFamily"
  | "logGroup"
  | "role"
  | "loadBalancer"
  | "targetGroup";

export const NAME_RULES: Readonly<Record<NameKind, NameRule>> = {
  dbSubnetGroup: { maxLength: 255 },
  dbInstance: { maxLength: 63 },
  securityGroup: { maxLength: 255, reservedStart: "sg-" },
  repository: { maxLength: 256 },
  cluster: { maxLength: 255 },
  taskFamily: { maxLength: 255 },
  logGroup: { maxLength: 512 },
  role: { maxLength: 64 },
  loadBalancer: { maxLength: 32, reservedStart: "internal-" },
  targetGroup: { maxLength: 32 },
};

/** The unique AWS names of one stage. Role and security-group names take a role suffix. */
export class StageNames {
  /** "<prefix>-<stage>", the stem of every other name. */
  readonly base: string;

  constructor(prefix: string, stage: string) {
    this.base = `${prefix}-${stage}`;
  }

  /** "<prefix>-<stage>-<suffix>" */
  of(suffix: string): string {
    return `${this.base}-${suffix}`;
  }

  /** The ECR repository, namespaced by prefix and stage: "<prefix>-<stage>/<app>". */
  repository(app: string): string {
    return `${this.base}/${app}`;
  }

  logGroup(app: string): string {
    return `/ecs/${this.base}/${app}`;
  }

  /**
   * The unique names of one service's resources. The default service (the one at "/", the lesson's) keeps the
   * stage's own names; every other service's names carry its name, so that the services never collide.
   */
  forService(app: string, isDefault: boolean): ServiceNames {
    const own = (suffix: string) => this.of(isDefault ? suffix : `${app}-${suffix}`);
    return {
      taskFamily: this.of(app),
      logGroup: this.logGroup(app),
      repository: this.repository(app),
      securityGroup: own("tasks"),
      executionRole: own("task-execution"),
      taskRole: own("task"),
    };
  }

  /** Every name the stage uses, with its kind, for validation. The target group suffix is a placeholder. */
  all(app: string, dbSubnetGroup: string): Array<{ kind: NameKind; name: string }> {
    return [
      { kind: "dbSubnetGroup", name: this.of(dbSubnetGroup) },
      { kind: "dbInstance", name: this.of("postgres") },
      ...["database", "tasks", "alb", "jump-host", "endpoints"].map((role) => ({ kind: "securityGroup" as const, name: this.of(role) })),
      { kind: "repository", name: this.repository(app) },
      { kind: "cluster", name: this.base },
      { kind: "taskFamily", name: this.of(app) },
      { kind: "logGroup", name: this.logGroup(app) },
      ...["task-execution", "task", "jump-host"].map((role) => ({ kind: "role" as const, name: this.of(role) })),
      { kind: "loadBalancer", name: this.base },
      { kind: "targetGroup", name: this.of("x".repeat(TARGET_GROUP_SUFFIX_LENGTH)) },
    ];
  }
}

/** The AWS names of one service's own resources. */
export interface ServiceNames {
  readonly taskFamily: string;
  readonly logGroup: string;
  readonly repository: string;
  readonly securityGroup: string;
  readonly executionRole: string;
  readonly taskRole: string;
}

/** The kind of each of a service's names, for the length checks. */
export const SERVICE_NAME_KINDS: Readonly<Record<keyof ServiceNames, NameKind>> = {
  taskFamily: "taskFamily",
  logGroup: "logGroup",
  repository: "repository",
  securityGroup: "securityGroup",
  executionRole: "role",
  taskRole: "role",
};

/** The lesson's stages in order; each contains everything of the one before. */
export const STAGE_NAMES = ["vpc-only", "db", "fargate", "alb", "autoscaling"] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/**
 * Checks stack names given on a command line against the stacks there are (the stages, in lesson order,
 * and any others) and returns them; an unknown name is an error that lists the valid ones.
 */
export function checkStackNames(requested: readonly string[], known: readonly string[] = STAGE_NAMES): string[] {
  const unknown = requested.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    const near = unknown.map((name) => known.find((k) => k.startsWith(name) || name.startsWith(k))).filter(Boolean);
    throw new UserError(
      `${unknown.map((name) => JSON.stringify(name)).join(", ")} ${unknown.length > 1 ? "are not stacks" : "is not a stack"}` +
        `${near.length > 0 ? ` (did you mean ${near.map((n) => JSON.stringify(n)).join(", ")}?)` : ""}; the stacks are, in lesson order: ${known.join(", ")}`,
    );
  }
  return [...requested];
}
