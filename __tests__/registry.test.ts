/**
 * The ContainerRegistry construct: the ECR repository the lesson pushes its image to, its lifecycle policy,
 * and the docker commands (login, tag, push) the stage prints as outputs. Resources are found by type and
 * followed through their references, never by construct ids.
 */
import "cdktf/lib/testing/adapters/jest"; // types of the Testing matchers registered in setup.js
import { Testing, TerraformOutput, TerraformStack } from "cdktf";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { StageNames } from "../src/common/naming";
import { ContainerRegistry } from "../src/constructs/registry";
import type { RegistrySettings } from "../src/settings/registry";
import { decodeJsonencode } from "./support/hcl";
import {
  outputValue,
  ref,
  resourcesOf,
  synthesizedStack,
  synthesizedStage,
  theOne,
  type Synthesized,
  type SynthesizedStack,
} from "./support/synth";

// ---------------------------------------------------------------------------------------------
// Reading the synthesized Terraform JSON.

interface LifecycleRule {
  readonly rulePriority: number;
  readonly description: string;
  readonly selection: { readonly tagStatus: string; readonly countType: string; readonly countUnit?: string; readonly countNumber: number };
  readonly action: { readonly type: string };
}

/** The rules of the repository's lifecycle policy (a JSON string in Terraform), by priority. */
function lifecycleRules(json: Synthesized): LifecycleRule[] {
  const [, policy] = theOne(json, EcrLifecyclePolicy);
  const { rules } = decodeJsonencode(policy.policy) as { rules: LifecycleRule[] };
  return [...rules].sort((a, b) => a.rulePriority - b.rulePriority);
}

/** "${aws_ecr_repository.<id>.repository_url}", the way every command refers to the repository. */
function repositoryUrlRef(json: Synthesized): string {
  return ref(EcrRepository, theOne(json, EcrRepository)[0], "repository_url");
}

/** The registry host: element 0 of the repository URL split at "/". */
function registryHostRef(json: Synthesized): string {
  const [id] = theOne(json, EcrRepository);
  return `\${element(split("/", ${EcrRepository.tfResourceType}.${id}.repository_url), 0)}`;
}

interface RepositoryRefs {
  /** "${aws_ecr_repository.<id>.repository_url}" */
  readonly url: string;
  /** The registry host expression. */
  readonly host: string;
}

// ---------------------------------------------------------------------------------------------
// A bare stack with the registry of stage "fargate", prefix "workshop", and its commands as outputs.

const TAG = "v1";

function build(options: { settings?: Partial<RegistrySettings>; region?: string } = {}): SynthesizedStack {
  const stack = new TerraformStack(Testing.app(), "fargate");
  const registry = new ContainerRegistry(stack, "registry", {
    names: new StageNames("workshop", "fargate"),
    appName: "my-nginx",
    region: options.region ?? "eu-west-1",
    settings: options.settings,
  });
  new TerraformOutput(stack, "login", { value: registry.loginCommand });
  new TerraformOutput(stack, "tag", { value: registry.tagCommand(TAG) });
  new TerraformOutput(stack, "push", { value: registry.pushCommand(TAG) });
  return synthesizedStack(stack);
}

// ---------------------------------------------------------------------------------------------

describe("the repository with the lesson defaults", () => {
  let lesson: SynthesizedStack;
  beforeAll(() => {
    // GIVEN prefix "workshop", stage "fargate", app "my-nginx" and the lesson's registry settings
    lesson = build();
  });

  test('is named "<prefix>-<stage>/<app>": "workshop-fargate/my-nginx"', () => {
    // THEN there is one repository, namespaced by prefix and stage
    expect(resourcesOf(lesson.json, EcrRepository)).toHaveLength(1);
    expect(lesson.text).toHaveResourceWithProperties(EcrRepository, { name: "workshop-fargate/my-nginx" });
  });

  test("scans every image on push", () => {
    // THEN the scanning configuration block has scan_on_push on
    expect(lesson.text).toHaveResourceWithProperties(EcrRepository, {
      image_scanning_configuration: expect.objectContaining({ scan_on_push: true }),
    });
  });

  test("has MUTABLE tags, so the lesson can push latest again", () => {
    // THEN tags may be overwritten
    expect(lesson.text).toHaveResourceWithProperties(EcrRepository, { image_tag_mutability: "MUTABLE" });
  });

  test("is force-deleted on destroy even when it still holds images (lesson profile)", () => {
    // THEN teardown does not stop at a non-empty repository
    expect(lesson.text).toHaveResourceWithProperties(EcrRepository, { force_delete: true });
  });
});

describe("the repository with registry settings", () => {
  test('has IMMUTABLE tags when imageTagMutability is "IMMUTABLE"', () => {
    // GIVEN immutable tags
    const built = build({ settings: { imageTagMutability: "IMMUTABLE" } });
    // THEN the repository refuses to overwrite a tag
    expect(built.text).toHaveResourceWithProperties(EcrRepository, { image_tag_mutability: "IMMUTABLE" });
    expect(built.text).not.toHaveResourceWithProperties(EcrRepository, { image_tag_mutability: "MUTABLE" });
  });

  test("is not force-deleted when forceDelete is false", () => {
    // GIVEN a profile that keeps images safe from teardown
    const built = build({ settings: { forceDelete: false } });
    // THEN Terraform refuses to delete a repository that still holds images
    expect(built.text).toHaveResourceWithProperties(EcrRepository, { force_delete: false });
  });
});

describe("the lifecycle policy with the lesson defaults", () => {
  let lesson: SynthesizedStack;
  beforeAll(() => {
    // GIVEN the lesson's registry settings
    lesson = build();
  });

  test("applies to the repository", () => {
    // THEN the policy names the repository by reference
    const [repositoryId] = theOne(lesson.json, EcrRepository);
    expect(lesson.text).toHaveResourceWithProperties(EcrLifecyclePolicy, { repository: ref(EcrRepository, repositoryId, "name") });
  });

  test("rule 1 expires untagged images 1 day after they were pushed", () => {
    // THEN the first rule selects untagged images by age in days
    const first = lifecycleRules(lesson.json)[0];
    expect(first.rulePriority).toBe(1);
    expect(first.selection).toEqual({ tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 });
    expect(first.action).toEqual({ type: "expire" });
  });

  test('the last rule keeps the last 10 images of any tag status and expires older ones', () => {
    // THEN the rule with the highest priority (ECR requires it for tagStatus "any") counts all images
    const rules = lifecycleRules(lesson.json);
    const last = rules[rules.length - 1];
    expect(rules).toHaveLength(2);
    expect(last.selection).toEqual({ tagStatus: "any", countType: "imageCountMoreThan", countNumber: 10 });
    expect(last.action).toEqual({ type: "expire" });
  });
});

describe("the lifecycle policy with registry settings", () => {
  test("the last rule keeps as many images as keepImages says", () => {
    // GIVEN keepImages 25
    const built = build({ settings: { keepImages: 25 } });
    // THEN the "any" rule expires images beyond the 25 newest
    const rules = lifecycleRules(built.json);
    expect(rules[rules.length - 1].selection).toEqual(expect.objectContaining({ tagStatus: "any", countNumber: 25 }));
  });

  test("rule 1 expires untagged images after untaggedImageExpiryDays", () => {
    // GIVEN untagged images live 14 days
    const built = build({ settings: { untaggedImageExpiryDays: 14 } });
    // THEN the untagged rule counts 14 days since push
    expect(lifecycleRules(built.json)[0].selection).toEqual(
      expect.objectContaining({ tagStatus: "untagged", countUnit: "days", countNumber: 14 }),
    );
  });
});

describe("the docker commands", () => {
  let lesson: SynthesizedStack;
  beforeAll(() => {
    // GIVEN the registry in region eu-west-1, with its commands for tag "v1" as outputs
    lesson = build();
  });

  test("loginCommand pipes the AWS CLI's ECR password for eu-west-1 into docker login at the registry host", () => {
    // THEN docker logs in as AWS at element 0 of split("/", repository_url)
    expect(outputValue(lesson.json, "login")).toBe(
      `aws ecr get-login-password --region eu-west-1 | docker login --username AWS --password-stdin ${registryHostRef(lesson.json)}`,
    );
  });

  test("loginCommand asks for the password of the region it is given", () => {
    // GIVEN the registry in eu-central-1
    const built = build({ region: "eu-central-1" });
    // THEN the password is fetched for that region
    expect(outputValue(built.json, "login")).toEqual(expect.stringMatching(/^aws ecr get-login-password --region eu-central-1 \| docker login /));
  });

  test("tagCommand tags the local <app>:latest as <registry>/<repository>:<tag>", () => {
    // THEN the target is the repository URL with the tag
    expect(outputValue(lesson.json, "tag")).toBe(`docker tag my-nginx:latest ${repositoryUrlRef(lesson.json)}:${TAG}`);
  });

  test("pushCommand pushes <registry>/<repository>:<tag>", () => {
    // THEN the pushed image is the repository URL with the tag
    expect(outputValue(lesson.json, "push")).toBe(`docker push ${repositoryUrlRef(lesson.json)}:${TAG}`);
  });
});

describe("the registry in stage fargate", () => {
  let stage: SynthesizedStack;
  beforeAll(() => {
    // GIVEN the fargate stage with the lesson's settings
    stage = synthesizedStage("fargate");
  });

  test('has the repository "workshop-fargate/my-nginx"', () => {
    // THEN the stage's repository carries prefix, stage and app name
    expect(stage.text).toHaveResourceWithProperties(EcrRepository, { name: "workshop-fargate/my-nginx" });
  });

  test.each([
    ["repository_url", ({ url }: RepositoryRefs) => url],
    ["docker_login_command", ({ host }: RepositoryRefs) => `aws ecr get-login-password --region eu-west-1 | docker login --username AWS --password-stdin ${host}`],
    ["docker_tag_command", ({ url }: RepositoryRefs) => `docker tag my-nginx:latest ${url}:latest`],
    ["docker_push_command", ({ url }: RepositoryRefs) => `docker push ${url}:latest`],
  ])("outputs %s for the stage's repository", (name, expected) => {
    // THEN the output exists and refers to the stage's repository (tag: the default imageTag "latest")
    const refs = { url: repositoryUrlRef(stage.json), host: registryHostRef(stage.json) };
    expect(outputValue(stage.json, name)).toBe(expected(refs));
  });

  test("the tag and push commands use the service's imageTag", () => {
    // GIVEN imageTag "v2"
    const built = synthesizedStage("fargate", { service: { imageTag: "v2" } });
    // THEN both commands name <repository_url>:v2
    const image = `${repositoryUrlRef(built.json)}:v2`;
    expect(outputValue(built.json, "docker_tag_command")).toBe(`docker tag my-nginx:latest ${image}`);
    expect(outputValue(built.json, "docker_push_command")).toBe(`docker push ${image}`);
  });

  test("hands the registry settings to the repository and its lifecycle policy", () => {
    // GIVEN immutable tags and 5 images kept, in the settings (with a versioned image tag: immutable tags refuse "latest")
    const built = synthesizedStage("fargate", { registry: { imageTagMutability: "IMMUTABLE", keepImages: 5 }, service: { imageTag: "v1" } });
    // THEN the stage's repository and policy follow them
    expect(built.text).toHaveResourceWithProperties(EcrRepository, { image_tag_mutability: "IMMUTABLE" });
    const rules = lifecycleRules(built.json);
    expect(rules[rules.length - 1].selection).toEqual(expect.objectContaining({ tagStatus: "any", countNumber: 5 }));
  });
});
