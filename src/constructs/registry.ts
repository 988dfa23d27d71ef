/**
 * The ECR repository the lesson pushes its image to, scanned on push, with a lifecycle policy that expires
 * untagged images and keeps the last N.
 */
import { Construct } from "constructs";
import { Fn } from "cdktf";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { withDefaults } from "../settings/blocks";
import { REGISTRY_DEFAULTS, type RegistrySettings } from "../settings/registry";
import { jsonDocument } from "./iam";
import type { StageNames } from "../common/naming";
import { REASONS } from "../policy/reasons";
import { waive } from "../policy/waivers";

export interface ContainerRegistryProps {
  readonly names: StageNames;
  /** The app whose image the repository holds; the repository is "<prefix>-<stage>/<appName>". */
  readonly appName: string;
  /** Region of the repository, for the docker login command. */
  readonly region: string;
  /** Tag mutability, lifecycle and teardown. @default - the lesson's: MUTABLE, keep 10, untagged expire after 1 day, force delete */
  readonly settings?: Partial<RegistrySettings>;
}

export class ContainerRegistry extends Construct {
  readonly repository: EcrRepository;
  /** "<account>.dkr.ecr.<region>.amazonaws.com/<repository>" */
  readonly repositoryUrl: string;
  /** The registry host: "<account>.dkr.ecr.<region>.amazonaws.com". */
  readonly registryHost: string;
  private readonly region: string;
  private readonly appName: string;

  constructor(scope: Construct, id: string, props: ContainerRegistryProps) {
    super(scope, id);
    const settings = withDefaults(REGISTRY_DEFAULTS, props.settings);
    this.region = props.region;
    this.appName = props.appName;

    this.repository = new EcrRepository(this, "repository", {
      name: props.names.repository(props.appName),
      imageTagMutability: settings.imageTagMutability,
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "AES256" }],
      forceDelete: settings.forceDelete,
    });
    if (settings.imageTagMutability === "MUTABLE") waive(this.repository, "ECR-IMMUTABLE-TAGS", REASONS.mutableTags);
    waive(this.repository, "ECR-CUSTOMER-KEY", REASONS.awsOwnedKeys);
    new EcrLifecyclePolicy(this, "lifecycle-policy", {
      repository: this.repository.name,
      policy: jsonDocument({
        rules: [
          {
            rulePriority: 1,
            description: `Expire untagged images after ${settings.untaggedImageExpiryDays} day(s)`,
            selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: settings.untaggedImageExpiryDays },
            action: { type: "expire" },
          },
          {
            rulePriority: 2,
            description: `Keep the last ${settings.keepImages} images`,
            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: settings.keepImages },
            action: { type: "expire" },
          },
        ],
      }),
    });
    this.repositoryUrl = this.repository.repositoryUrl;
    this.registryHost = Fn.element(Fn.split("/", this.repositoryUrl), 0);
  }

  /** Logs Docker in to the registry with the AWS CLI's credentials. */
  get loginCommand(): string {
    return `aws ecr get-login-password --region ${this.region} | docker login --username AWS --password-stdin ${this.registryHost}`;
  }

  /** Tags a locally built "<appName>:latest" by the ECR naming convention <registry>/<repository>:<tag>. */
  tagCommand(tag: string): string {
    return `docker tag ${this.appName}:latest ${this.imageUri(tag)}`;
  }

  pushCommand(tag: string): string {
    return `docker push ${this.imageUri(tag)}`;
  }

  imageUri(tag: string): string {
    return `${this.repositoryUrl}:${tag}`;
  }
}
