/**
 * What every stage shares: the name prefix of unique AWS names, the region and its zones, and the extra tags.
 */
import { z } from "zod";
import { NAME_RULES, STAGE_NAMES, StageNames } from "../common/naming";
import { REGIONS, suggestRegions } from "./facts/regions";
import { MAX_TAGS_PER_RESOURCE, MAX_TAG_KEY_LENGTH, MAX_TAG_VALUE_LENGTH, TAG_CHARACTERS, TAG_RULE } from "./facts/tags";
import { pattern, show } from "./blocks";

/** The lesson's region. */
export const LESSON_REGION = "eu-west-1";

export const namePrefix = pattern(/^[a-z][a-z0-9-]*$/, "must be lowercase letters, digits and hyphens, starting with a letter")
  .default("workshop")
  .describe('Starts every AWS name that must be unique, followed by the stage. @default "workshop"');

export const regionName = z.string({ error: 'must be an AWS Region such as "eu-west-1"' }).superRefine((region, context) => {
  if (REGIONS[region]) return;
  const partition = /^(cn|us-gov|us-iso[a-z]*|eu-isoe)-/.test(region) ? " (China, GovCloud and isolated partitions are not supported)" : "";
  context.addIssue({
    code: "custom",
    message: `is not an AWS Region the AWS provider knows${partition}; allowed: ${suggestRegions(region)}`,
  });
});

export const region = regionName.default(LESSON_REGION).describe(`@default "${LESSON_REGION}"`);

export const availabilityZones = z
  .array(z.string(), { error: "must be a list of availability zone names" })
  .optional()
  .describe('Zones of the region, one public and one private subnet each. @default the region\'s first three: ["eu-west-1a", "eu-west-1b", "eu-west-1c"]');

const tagKey = z
  .string()
  .min(1, { error: "a tag key must not be empty" })
  .max(MAX_TAG_KEY_LENGTH, { error: `a tag key has at most ${MAX_TAG_KEY_LENGTH} characters` })
  .regex(TAG_CHARACTERS, { error: `a tag key may hold only ${TAG_RULE}` })
  .refine((key) => !key.toLowerCase().startsWith("aws:"), { error: 'a tag key must not start with "aws:", which AWS reserves' });
const tagValue = z
  .string({ error: "must be a string (tag values are text)" })
  .max(MAX_TAG_VALUE_LENGTH, { error: `a tag value has at most ${MAX_TAG_VALUE_LENGTH} characters` })
  .regex(TAG_CHARACTERS, { error: `a tag value may hold only ${TAG_RULE}` });

export const extraTags = z.record(tagKey, tagValue, { error: "must map tag names to string values" }).default({}).describe(
  "Tags merged over the common tags (project, stage, managed-by) on every resource. @default {}",
);

/** The common tags and a Name tag take 4 of the tags AWS allows on a resource. */
export const MAX_EXTRA_TAGS = MAX_TAGS_PER_RESOURCE - 4;

/** The unique names every stage makes from the prefix: they decide how long it may be. */
export function namePrefixProblems(s: {
  readonly namePrefix: string;
  readonly service: { readonly appName: string };
  readonly database: { readonly subnetGroupName: string };
}): string[] {
  const problems: string[] = [];
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
  return problems;
}

export function zoneProblems(s: { readonly region: string; readonly availabilityZones: readonly string[] }): string[] {
  const problems: string[] = [];
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
  return problems;
}

export function tagProblems(s: { readonly extraTags: Readonly<Record<string, string>>; readonly service: { readonly launchType: string } }): string[] {
  const count = Object.keys(s.extraTags).length;
  if (count > MAX_EXTRA_TAGS) {
    return [`extraTags: ${count} tags; AWS allows 50 on a resource and the stages use 4 (project, stage, managed-by, Name), so at most ${MAX_EXTRA_TAGS}`];
  }
  if (s.service.launchType === "EC2" && count > MAX_EXTRA_TAGS - 1) {
    return [
      `extraTags: ${count} tags; with service.launchType "EC2" the Auto Scaling group also carries the tag AmazonECSManaged, ` +
        `so at most ${MAX_EXTRA_TAGS - 1} fit in the 50 AWS allows`,
    ];
  }
  return [];
}
