/** The service discovery section (stages fargate on): a Cloud Map private DNS namespace for the services. */
import type { z } from "zod";
import { flag, pattern, section, sectionDefaults } from "./blocks";

const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const DNS_NAME_RULE = 'must be a DNS name of lowercase labels separated by dots, such as "local" or "internal.example"';

export const discoverySettings = section(
  {
    enable: flag(false, "A Cloud Map private DNS namespace in the VPC and an A-record service per ECS service. @default false"),
    namespace: pattern(DNS_NAME, DNS_NAME_RULE).default("local").describe('Private DNS namespace: services are <name>.<namespace>. @default "local"'),
  },
  "Cloud Map service discovery (stages fargate on).",
);

export type DiscoverySettings = z.output<typeof discoverySettings>;
export const DISCOVERY_DEFAULTS = sectionDefaults(discoverySettings);
