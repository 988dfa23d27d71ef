/**
 * The EC2 instance types there are, as families and the sizes each comes in: "t3.huge" and "foo.bar" are not
 * instance types, and EC2 refuses them only when an instance is launched. Which of them Amazon Linux 2023 (the image
 * of the jump host and of the ECS instances) cannot run is listed after.
 */
// source: the InstanceType values of the AWS SDK for Go v2 (EC2) compiled into hashicorp/aws 5.100.0, the provider this
// project binds (read from its binary: the names of the "ec2" enum), read 2026-12-06. A family launched since is not in
// the table; instanceTypeProblem accepts one of a known class in its newest generation or the next (see there).
export const INSTANCE_FAMILIES: Readonly<Record<string, string>> = {
  "a1": "medium large xlarge 2xlarge 4xlarge metal",
  "c1": "medium xlarge",
  "c3": "large xlarge 2xlarge 4xlarge 8xlarge",
  "c4": "large xlarge 2xlarge 4xlarge 8xlarge",
  "c5": "large xlarge 2xlarge 4xlarge 9xlarge 12xlarge 18xlarge 24xlarge metal",
  "c5a": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge",
  "c5ad": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge",
  "c5d": "large xlarge 2xlarge 4xlarge 9xlarge 12xlarge 18xlarge 24xlarge metal",
  "c5n": "large xlarge 2xlarge 4xlarge 9xlarge 18xlarge metal",
  "c6a": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge 48xlarge metal",
  "c6g": "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal",
  "c6gd": "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal",
  "c6gn": "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge",
  "c6i": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge metal",
  "c6id": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge metal",
  "c6in": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge metal",
  "c7a": "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge 48xlarge 96xlarge metal metal-48xl",
  "c7g": "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal",
  "c7gd": "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal",
  "c7gn": "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal",
  "c7i": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge metal-24xl metal-48xl",
  "c7i-flex": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge",
  "c8g": "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge metal-24xl metal-48xl",
  "c8gd": "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge metal metal-24xl metal-48xl",
  "cc1": "4xlarge",
  "cc2": "8xlarge",
  "cg1": "4xlarge",
  "cr1": "8xlarge",
  "d2": "xlarge 2xlarge 4xlarge 8xlarge",
  "d3": "xlarge 2xlarge 4xlarge 8xlarge",
  "d3en": "xlarge 2xlarge 4xlarge 6xlarge 8xlarge 12xlarge",
  "dl1": "24xlarge",
  "dl2q": "24xlarge",
  "f1": "xlarge 2xlarge 4xlarge 6xlarge 16xlarge",
  "f2": "8xlarge 12xlarge 24xlarge 48xlarge",
  "g2": "2xlarge 8xlarge",
  "g3": "4xlarge 8xlarge 16xlarge",
  "g3s": "xlarge",
  "g4ad": "xlarge 2xlarge 4xlarge 8xlarge 16xlarge",
  "g4dn": "xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal",
  "g5": "xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge",
  "g5g": "xlarge 2xlarge 4xlarge 8xlarge 16xlarge metal",
  "g6": "xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge",
  "g6e": "xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge",
  "gr6": "4xlarge 8xlarge",
  "h1": "2xlarge 4xlarge 8xlarge 16xlarge",
  "hi1": "4xlarge",
  "hpc6a": "48xlarge",
  "hpc6id": "32xlarge",
  "hpc7a": "12xlarge 24xlarge 48xlarge 96xlarge",
  "hpc7g": "4xlarge 8xlarge 16xlarge",
  "hs1": "8xlarge",
  "i2": "xlarge 2xlarge 4xlarge 8xlarge",
  "i3": "large xlarge 2xlarge 4xlarge 8xlarge 16xlarge metal",
  "i3en": "large xlarge 2xlarge 3xlarge 6xlarge 12xlarge 24xlarge metal",
  "i4g": "large xlarge 2xlarge 4xlarge 8xlarge 16xlarge",
  "i4i": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge metal",
  "i7i": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge metal metal-24xl metal-48xl",
  "i7ie": "large xlarge 2xlarge 3xlarge 6xlarge 12xlarge 18xlarge 24xlarge 48xlarge metal metal-24xl metal-48xl",
  "i8g": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge metal-24xl",
  "im4gn": "large xlarge 2xlarge 4xlarge 8xlarge 16xlarge",
  "inf1": "xlarge 2xlarge 6xlarge 24xlarge",
  "inf2": "xlarge 8xlarge 24xlarge 48xlarge",
  "is4gen": "medium large xlarge 2xlarge 4xlarge 8xlarge",
  "m1": "small medium large xlarge",
  "m2": "xlarge 2xlarge 4xlarge",
  "m3": "medium large xlarge 2xlarge",
  "m4": "large xlarge 2xlarge 4xlarge 10xlarge 16xlarge",
  "m5": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge metal",
  "m5a": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge",
  "m5ad": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge",
  "m5d": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge metal",
  "m5dn": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge metal",
  "m5n": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge metal",
  "m5zn": "large xlarge 2xlarge 3xlarge 6xlarge 12xlarge metal",
  "m6a": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge 48xlarge metal",
  "m6g": "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal",
  "m6gd": "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal",
  "m6i": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge metal",
  "m6id": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge metal",
  "m6idn": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge metal",
  "m6in": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge metal",
  "m7a": "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge 48xlarge metal-48xl",
  "m7g": "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal",
  "m7gd": "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal",
  "m7i": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge metal-24xl metal-48xl",
  "m7i-flex": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge",
  "m8g": "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge metal-24xl metal-48xl",
  "m8gd": "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge metal metal-24xl metal-48xl",
  "mac1": "metal",
  "mac2": "metal",
  "mac2-m1ultra": "metal",
  "mac2-m2": "metal",
  "mac2-m2pro": "metal",
  "p2": "xlarge 8xlarge 16xlarge",
  "p3": "2xlarge 8xlarge 16xlarge",
  "p3dn": "24xlarge",
  "p4d": "24xlarge",
  "p4de": "24xlarge",
  "p5": "48xlarge",
  "p5e": "48xlarge",
  "p5en": "48xlarge",
  "p6-b200": "48xlarge",
  "r3": "large xlarge 2xlarge 4xlarge 8xlarge",
  "r4": "large xlarge 2xlarge 4xlarge 8xlarge 16xlarge",
  "r5": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge metal",
  "r5a": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge",
  "r5ad": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge",
  "r5b": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge metal",
  "r5d": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge metal",
  "r5dn": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge metal",
  "r5n": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge metal",
  "r6a": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge 48xlarge metal",
  "r6g": "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal",
  "r6gd": "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal",
  "r6i": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge metal",
  "r6id": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge metal",
  "r6idn": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge metal",
  "r6in": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge metal",
  "r7a": "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge 48xlarge metal-48xl",
  "r7g": "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal",
  "r7gd": "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal",
  "r7i": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge metal-24xl metal-48xl",
  "r7iz": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 32xlarge metal metal-16xl metal-32xl",
  "r8g": "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge metal metal-24xl metal-48xl",
  "r8gd": "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge metal metal-24xl metal-48xl",
  "t1": "micro",
  "t2": "nano micro small medium large xlarge 2xlarge",
  "t3": "nano micro small medium large xlarge 2xlarge",
  "t3a": "nano micro small medium large xlarge 2xlarge",
  "t4g": "nano micro small medium large xlarge 2xlarge",
  "trn1": "2xlarge 32xlarge",
  "trn1n": "32xlarge",
  "trn2": "48xlarge",
  "u-12tb1": "112xlarge metal",
  "u-18tb1": "112xlarge metal",
  "u-24tb1": "112xlarge metal",
  "u-3tb1": "56xlarge",
  "u-6tb1": "56xlarge 112xlarge metal",
  "u-9tb1": "112xlarge metal",
  "u7i-12tb": "224xlarge",
  "u7i-6tb": "112xlarge",
  "u7i-8tb": "112xlarge",
  "u7ib-12tb": "224xlarge",
  "u7in-16tb": "224xlarge",
  "u7in-24tb": "224xlarge",
  "u7in-32tb": "224xlarge",
  "u7inh-32tb": "480xlarge",
  "vt1": "3xlarge 6xlarge 24xlarge",
  "x1": "16xlarge 32xlarge",
  "x1e": "xlarge 2xlarge 4xlarge 8xlarge 16xlarge 32xlarge",
  "x2gd": "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal",
  "x2idn": "16xlarge 24xlarge 32xlarge metal",
  "x2iedn": "xlarge 2xlarge 4xlarge 8xlarge 16xlarge 24xlarge 32xlarge metal",
  "x2iezn": "2xlarge 4xlarge 6xlarge 8xlarge 12xlarge metal",
  "x8g": "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge metal-24xl metal-48xl",
  "z1d": "large xlarge 2xlarge 3xlarge 6xlarge 12xlarge metal",
};

/** Sizes the families of the table use; a family newer than the table may take any of them. */
const SIZE = /^(nano|micro|small|medium|large|xlarge|[1-9]\d{0,2}xlarge|metal|metal-[1-9]\d{0,2}xl)$/;
/** "m7i-flex" -> class "m", generation 7, attributes "i-flex"; "u-6tb1" and "mac2-m2pro" keep their class too. */
const FAMILY = /^([a-z]+?)(\d+)([a-z][a-z0-9]*)?(-[a-z0-9]+)?$/;

/** Families Amazon Linux 2023 does not run: A1 (the first Graviton) and the Mac families (macOS only, on dedicated hosts). */
// source: Amazon Linux 2023 User Guide and AWS Batch EcsMachineImageType ("Amazon Linux 2023 does not support A1
// instances"); Amazon EC2 User Guide, "Amazon EC2 Mac instances", read 2026-12-06
export function notOnAmazonLinux2023(instanceType: string): string | undefined {
  const family = instanceType.split(".")[0];
  if (family === "a1") return "A1 (the first Graviton) is not supported by Amazon Linux 2023; take a Graviton2 or newer type such as t4g or m7g";
  if (family.startsWith("mac")) return "Mac instances run macOS on dedicated hosts, not Amazon Linux 2023; take a Linux type such as t3 or t4g";
  return undefined;
}

/** Classes ("m", "c", "t", "mac", "u-") and the newest generation of each in the table. */
const NEWEST_GENERATION = new Map<string, number>();
for (const family of Object.keys(INSTANCE_FAMILIES)) {
  const [, kind, generation] = FAMILY.exec(family) ?? [];
  if (kind) NEWEST_GENERATION.set(kind, Math.max(NEWEST_GENERATION.get(kind) ?? 0, Number(generation)));
}

/**
 * Why a text is not an instance type, or undefined when it is one: a family of the table in one of its sizes, or a
 * family newer than the table (a known class in its newest generation or the next, such as "m8i") in a size of that form.
 */
export function instanceTypeProblem(instanceType: string): string | undefined {
  const [family, size, ...rest] = instanceType.split(".");
  const fits = rest.length === 0 && size !== undefined;
  const sizes = INSTANCE_FAMILIES[family]?.split(" ");
  if (sizes) return fits && sizes.includes(size) ? undefined : `allowed sizes of ${family}: ${sizes.join(", ")}`;
  const [, kind, generation] = FAMILY.exec(family) ?? [];
  const newest = kind === undefined ? undefined : NEWEST_GENERATION.get(kind);
  // A class's next generation (m8 -> m8i, m9) may be newer than the table; a generation further on is a typo.
  const next = newest !== undefined && Number(generation) >= newest && Number(generation) <= newest + 1;
  if (next && fits && SIZE.test(size)) return undefined;
  return `no EC2 instance family is called ${JSON.stringify(family)}; allowed: <family>.<size> of a family in src/settings/facts/instance-families.ts`;
}
