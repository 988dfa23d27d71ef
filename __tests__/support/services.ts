/** Settings with several services, shared by the construct, policy and plan tests, and the README's example. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { SettingsInput } from "../../src/settings/index";

/** A well-formed ACM certificate ARN in the lesson's region (never deployed: offline plans only). */
export const CERTIFICATE = "arn:aws:acm:eu-west-1:111122223333:certificate/12345678-90ab-cdef-1234-567890abcdef";
export const EXTRA_CERTIFICATE = "arn:aws:acm:eu-west-1:111122223333:certificate/abcdef12-3456-7890-abcd-ef1234567890";

/** The README's example: frontend at "/", backend at "/api/*", frontend calls backend (by its Cloud Map name). */
export const README_EXAMPLE_FILE = join(__dirname, "..", "..", "docs", "examples", "two-services.json");
export const README_EXAMPLE = JSON.parse(readFileSync(README_EXAMPLE_FILE, "utf8")) as SettingsInput;

/** Two routed services on different ports, no discovery, plain HTTP. */
export const TWO_SERVICES: SettingsInput = {
  services: [
    { name: "frontend", paths: ["/"] },
    { name: "backend", paths: ["/api/*", "/v1/*"], containerPort: 8080, healthCheckPath: "/health" },
  ],
};

/**
 * Three services with discovery and HTTPS: frontend at "/" calls backend; backend at "/api/*" calls worker and
 * uses the database; worker has no paths (internal) and scales on CPU.
 */
export const THREE_SERVICES: SettingsInput = {
  serviceDiscovery: { enable: true },
  loadBalancer: { certificateArn: CERTIFICATE, extraCertificateArns: [EXTRA_CERTIFICATE] },
  services: [
    { name: "frontend", paths: ["/"], calls: ["backend"] },
    { name: "backend", paths: ["/api/*"], containerPort: 8080, calls: ["worker"], useDatabase: true, scaling: { policy: "requestCount", target: 50 } },
    { name: "worker", containerPort: 9000, cpu: 512, memoryMiB: 1024 },
  ],
};

/** The same three services in another order. */
export function reordered(input: SettingsInput, order: number[]): SettingsInput {
  const services = input.services ?? [];
  return { ...input, services: order.map((i) => services[i]) };
}
