/**
 * The AWS Regions the stages can use and the names of their availability zones.
 *
 * source: the commercial ("aws" partition) Regions in the endpoint data of hashicorp/aws 5.100.0, the provider
 * this project binds (it refuses other names unless skip_region_validation is set); zone names from the AWS
 * documentation's per-Region zone lists. Read 2026-11-22.
 *
 * Zone names (us-east-1a ...) map to physical zones per account. Where an account may see a different set of
 * letters (us-west-1 shows two of a, b and c), the entry has no zones and the settings must name them.
 */
export interface RegionFacts {
  /** Letters of the zones every account has; undefined where they differ between accounts. */
  readonly zoneLetters?: string;
}

export const REGIONS: Readonly<Record<string, RegionFacts>> = {
  "us-east-1": { zoneLetters: "abcdef" },
  "us-east-2": { zoneLetters: "abc" },
  "us-west-1": {},
  "us-west-2": { zoneLetters: "abcd" },
  "af-south-1": { zoneLetters: "abc" },
  "ap-east-1": { zoneLetters: "abc" },
  "ap-south-1": { zoneLetters: "abc" },
  "ap-south-2": { zoneLetters: "abc" },
  "ap-southeast-1": { zoneLetters: "abc" },
  "ap-southeast-2": { zoneLetters: "abc" },
  "ap-southeast-3": { zoneLetters: "abc" },
  "ap-southeast-4": { zoneLetters: "abc" },
  "ap-southeast-5": { zoneLetters: "abc" },
  "ap-southeast-7": { zoneLetters: "abc" },
  "ap-northeast-1": { zoneLetters: "acd" },
  "ap-northeast-2": { zoneLetters: "abcd" },
  "ap-northeast-3": { zoneLetters: "abc" },
  "ca-central-1": { zoneLetters: "abd" },
  "ca-west-1": { zoneLetters: "abc" },
  "eu-central-1": { zoneLetters: "abc" },
  "eu-central-2": { zoneLetters: "abc" },
  "eu-north-1": { zoneLetters: "abc" },
  "eu-south-1": { zoneLetters: "abc" },
  "eu-south-2": { zoneLetters: "abc" },
  "eu-west-1": { zoneLetters: "abc" },
  "eu-west-2": { zoneLetters: "abc" },
  "eu-west-3": { zoneLetters: "abc" },
  "il-central-1": { zoneLetters: "abc" },
  "me-central-1": { zoneLetters: "abc" },
  "me-south-1": { zoneLetters: "abc" },
  "mx-central-1": { zoneLetters: "abc" },
  "sa-east-1": { zoneLetters: "abc" },
};

export const REGION_NAMES = Object.keys(REGIONS);

/** The zones a Region's stages use when the settings name none: its first three, or none where unknown. */
export function defaultZones(region: string): string[] | undefined {
  const letters = REGIONS[region]?.zoneLetters;
  return letters ? [...letters.slice(0, 3)].map((letter) => region + letter) : undefined;
}

/** The Regions to suggest for a wrong name: those of the same geography ("eu-"), else a pointer to the list. */
export function suggestRegions(region: string): string {
  const area = region.split("-")[0];
  const near = REGION_NAMES.filter((name) => name.startsWith(`${area}-`));
  return near.length > 0 ? near.join(", ") : `one of the ${REGION_NAMES.length} commercial Regions, such as eu-west-1 or us-east-1 (listed in src/settings/facts/regions.ts)`;
}
