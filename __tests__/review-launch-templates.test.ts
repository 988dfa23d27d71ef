/**
 * Offline previews of the settings changes that reach a launch template: the jump host's key pair and
 * architecture, and the EC2 capacity's instance type and key pair. Planning them once made the AWS provider read
 * EC2 (the review crashed, exit 1); now each is reviewed with exit code 0 or 3, and says what EC2 will do.
 */
import type { Review } from "../src/review";
import { changeOf, lessonPriorOf, priorStateOf, reviewContext, reviewHead, source } from "./support/review";
import { describeWithTerraform } from "./support/terraform";

jest.setTimeout(900_000);

const KEY_PAIR = { sshKeyPairName: "lesson-key", sshAllowedCidr: "203.0.113.7/32" };
const ON_EC2 = { service: { launchType: "EC2" as const } };

describeWithTerraform("review: launch template changes preview offline", () => {
  const ctx = reviewContext();
  const reviews: Record<string, Review> = {};

  beforeAll(async () => {
    // GIVEN prior states of the lesson's db (built once per run, shared with the other review files), and of
    // fargate on EC2 capacity (t3.small, no key pair)
    const [db, fargateOnEc2] = await Promise.all([
      lessonPriorOf("db", ctx),
      priorStateOf("fargate", { kind: "source", source: source(ON_EC2), description: "EC2 capacity" }, ctx, "ec2"),
    ]);
    // WHEN each change is planned against them, offline, all at once
    const heads: Record<string, Promise<Review>> = {
      keyPair: reviewHead(ctx, "db", source({ jumpHost: KEY_PAIR }), db, "key-pair"),
      architecture: reviewHead(ctx, "db", source({ jumpHost: { instanceType: "t3.micro" } }), db, "architecture"),
      sameArchitecture: reviewHead(ctx, "db", source({ jumpHost: { instanceType: "t4g.micro" } }), db, "same-architecture"),
      capacity: reviewHead(ctx, "fargate", source({ ...ON_EC2, ec2Capacity: { instanceType: "t4g.small", sshKeyPairName: "lesson-key" } }), fargateOnEc2, "capacity"),
    };
    const done = await Promise.all(Object.values(heads));
    Object.keys(heads).forEach((name, i) => (reviews[name] = done[i]));
  });

  afterAll(() => ctx.dispose());

  test.each(["keyPair", "architecture", "sameArchitecture", "capacity"])("%s: reviewed offline, exit code 0 or 3", (name) => {
    expect([0, 3]).toContain(reviews[name].exitCode);
  });

  test("jump host key pair: the template gets the key, SSH is admitted from the one range, and a new host launches from it", () => {
    const review = reviews.keyPair;
    expect(changeOf(review, "aws_launch_template.")).toMatchObject({ kind: "update", attributes: expect.arrayContaining([expect.objectContaining({ path: "key_name", after: "lesson-key" })]) });
    // Terraform replaces the host because the template plans a new version (replace_triggered_by), without asking AWS
    expect(changeOf(review, "aws_instance.")).toMatchObject({ kind: "replace", reason: "replace_by_triggers" });
    expect(review.changes.filter((c) => c.type === "aws_vpc_security_group_ingress_rule" && c.kind === "create")).toHaveLength(1);
  });

  test("jump host t4g.nano -> t3.micro: the image parameter moves to x86_64 and the host is replaced", () => {
    const review = reviews.architecture;
    const image = changeOf(review, "aws_launch_template.").attributes?.find((a) => a.path === "image_id");
    expect(image).toMatchObject({
      before: "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
      after: "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    });
    expect(changeOf(review, "aws_instance.")).toMatchObject({ kind: "replace", reason: "replace_by_triggers" });
  });

  test("jump host t4g.nano -> t4g.micro: same architecture, so the template stays and the host is resized in place", () => {
    const review = reviews.sameArchitecture;
    expect(review.changes.filter((c) => c.type === "aws_launch_template")).toEqual([]);
    expect(changeOf(review, "aws_instance.")).toMatchObject({
      kind: "update",
      attributes: expect.arrayContaining([expect.objectContaining({ path: "instance_type", before: "t4g.nano", after: "t4g.micro" })]),
    });
  });

  test("EC2 capacity t3.small -> t4g.small with a key pair: a new template version for the group, ARM64 tasks", () => {
    const review = reviews.capacity;
    const template = changeOf(review, "aws_launch_template.");
    expect(template.kind).toBe("update");
    expect(template.attributes?.map((a) => a.path)).toEqual(expect.arrayContaining(["image_id", "instance_type", "key_name"]));
    // the group launches "$Latest": it is not replaced, its new instances take the new version
    expect(review.changes.filter((c) => c.type === "aws_autoscaling_group" && c.kind === "replace")).toEqual([]);
    expect(changeOf(review, "aws_ecs_task_definition.")).toMatchObject({ kind: "replace", replacePaths: expect.arrayContaining(["runtime_platform.0.cpu_architecture"]) });
  });
});
