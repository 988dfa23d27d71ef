/**
 * The service discovery section (stages fargate on): a Cloud Map private DNS namespace for the services, the names
 * it gives them ("<service>.<namespace>") and the environment a call sets (<NAME>_HOST, _PORT, _URL), with the checks
 * that keep both working: names DNS can hold, a namespace that hides no public domain, no variable set twice.
 */
import type { z } from "zod";
import { DNS_MAX_NAME_LENGTH, publicHostsOfAStage, imageRegistryHosts } from "./facts/dns";
import { flag, pattern, section, sectionDefaults, show, showCounted } from "./blocks";

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

/** The environment ContainerService gives a task with database access (DB_PASSWORD from the secret). */
export const DATABASE_ENVIRONMENT = ["DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD"] as const;

/** "<NAME>" of the variables a call to `service` sets: upper case, "-" as "_". */
const environmentKey = (service: string): string => service.toUpperCase().replace(/-/g, "_");

/** The variables a call to `service` sets. */
export const callEnvironment = (service: string): string[] => ["HOST", "PORT", "URL"].map((part) => `${environmentKey(service)}_${part}`);

/** A variable two sources of one service would both set (a service called "db" and the database: DB_HOST, DB_PORT). */
export function environmentProblems(at: string, spec: { readonly useDatabase: boolean; readonly calls: readonly string[] }): string[] {
  const setBy = new Map<string, string>();
  const clashes = new Map<string, { first: string; names: string[] }>();
  const sources: Array<[string, readonly string[]]> = [
    ...(spec.useDatabase ? [["its database connection (useDatabase)", DATABASE_ENVIRONMENT] as [string, readonly string[]]] : []),
    ...[...new Set(spec.calls)].map((callee) => [`the call to ${show(callee)}`, callEnvironment(callee)] as [string, readonly string[]]),
  ];
  for (const [source, names] of sources) {
    for (const name of names) {
      const first = setBy.get(name);
      if (first === undefined) setBy.set(name, source);
      else clashes.set(source, { first, names: [...(clashes.get(source)?.names ?? []), name] });
    }
  }
  return [...clashes].map(
    ([source, { first, names }]) =>
      `${at}.calls: ${source} sets ${names.join(" and ")}, which ${first} sets too, so one value would hide the other; ` +
      `allowed: services whose variables no other source of this service sets (rename the called service, such as "db-api", or set useDatabase false)`,
  );
}

/** The settings the namespace checks read. */
export interface NamespaceContext {
  readonly region: string;
  readonly serviceDiscovery: DiscoverySettings;
  readonly service: { readonly appName: string; readonly imageSource: string; readonly publicImage: string };
  readonly services?: ReadonlyArray<{ readonly name: string; readonly imageSource?: string; readonly publicImage?: string }>;
}

/** A namespace whose service names DNS cannot hold, or that hides a public domain the stages need inside the VPC. */
export function namespaceProblems(s: NamespaceContext): string[] {
  if (!s.serviceDiscovery.enable) return [];
  const problems: string[] = [];
  const namespace = s.serviceDiscovery.namespace;
  const names = s.services?.map((entry) => entry.name) ?? [s.service.appName];
  const longest = names.reduce((a, b) => (b.length > a.length ? b : a));
  const full = `${longest}.${namespace}`;
  if (full.length > DNS_MAX_NAME_LENGTH) {
    problems.push(
      `serviceDiscovery.namespace: ${showCounted(namespace)} makes the service name ${showCounted(full)}; ` +
        `allowed: at most ${DNS_MAX_NAME_LENGTH} in a DNS name (255 bytes on the wire), so with service ${show(longest)} the namespace may have at most ${DNS_MAX_NAME_LENGTH - longest.length - 1}`,
    );
  }
  const images = (s.services ?? [{ name: s.service.appName }]).flatMap((entry) =>
    (entry.imageSource ?? s.service.imageSource) === "public" ? [entry.publicImage ?? s.service.publicImage] : [],
  );
  const needed = [...new Set([...images.flatMap(imageRegistryHosts), ...publicHostsOfAStage(s.region)])];
  const hidden = needed.find((host) => host === namespace || host.endsWith(`.${namespace}`));
  if (hidden) {
    problems.push(
      `serviceDiscovery.namespace: ${show(namespace)} would hide ${hidden} inside the VPC, which the stages need: a private zone answers every name under it ` +
        `and has no record for that one; allowed: a namespace that no public name ends with, such as "local" or "internal.example"`,
    );
  }
  return problems;
}
