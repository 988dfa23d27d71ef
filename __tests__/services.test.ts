/** The services list in the settings: how entries are completed, and every error a user can make with it. */
import { parseSettings, type SettingsInput } from "../src/settings/index";
import { MAX_PRIORITY } from "../src/settings/facts/elb";
import { derivedPriority, patternsOverlap } from "../src/settings/paths";
import { targetGroupSuffix } from "../src/common/naming";
import { resolveServices } from "../src/settings/services";
import { CERTIFICATE, THREE_SERVICES } from "./support/services";

type Entry = NonNullable<SettingsInput["services"]>[number];
const withServices = (services: Entry[], extra: SettingsInput = {}): SettingsInput => ({ serviceDiscovery: { enable: true }, ...extra, services });
const FRONTEND: Entry = { name: "frontend", paths: ["/"] };

describe("resolving the list", () => {
  test("without a list there is one service: service.appName at \"/\", with the database, scaled by the autoscaling section", () => {
    const [only, ...rest] = resolveServices(parseSettings({ service: { appName: "shop", containerPort: 8080 } }));
    expect(rest).toEqual([]);
    expect(only).toEqual(
      expect.objectContaining({ name: "shop", isDefault: true, routed: true, paths: [], useDatabase: true, calls: [], healthCheckPath: "/" }),
    );
    expect(only.container).toEqual(expect.objectContaining({ appName: "shop", containerPort: 8080, cpu: 256 }));
    expect(only.scaling.policy).toBe("requestCount");
  });

  test("left-out fields come from the sections; a service without paths is internal and scales on CPU", () => {
    const settings = parseSettings({
      service: { cpu: 512, memoryMiB: 1024 },
      loadBalancer: { healthCheckPath: "/ping" },
      autoscaling: { cpu: { maxCapacity: 5 } },
      services: [FRONTEND, { name: "worker", scaling: { minCapacity: 1, desiredCount: 1 } }],
    });
    const [frontend, worker] = resolveServices(settings);
    expect(frontend).toEqual(expect.objectContaining({ useDatabase: true, healthCheckPath: "/ping" }));
    expect(frontend.container).toEqual(expect.objectContaining({ cpu: 512, memoryMiB: 1024 }));
    expect(worker).toEqual(expect.objectContaining({ isDefault: false, routed: false, useDatabase: false, priority: undefined }));
    expect(worker.scaling.policy).toBe("cpu");
    expect(worker.scaling.cpu).toEqual({ target: 70, minCapacity: 1, desiredCount: 1, maxCapacity: 5 });
  });

  test("a routed service's priority is derived from its name, in 1..50000, the same every time", () => {
    const [, backend] = resolveServices(parseSettings(THREE_SERVICES));
    expect(backend.priority).toBe(derivedPriority("backend"));
    expect(derivedPriority("backend")).toBe(derivedPriority("backend"));
    for (const name of ["a1", "backend", "zz-top"]) expect(derivedPriority(name)).toBeGreaterThanOrEqual(1);
    for (const name of ["a1", "backend", "zz-top"]) expect(derivedPriority(name)).toBeLessThanOrEqual(MAX_PRIORITY);
  });
});

describe("path patterns overlap when one request could match both", () => {
  test.each([
    ["/api/*", "/api/v1/*", true],
    ["/api/*", "/api/*", true],
    ["/api/v?/*", "/api/v1/users", true],
    ["/*/health", "/api/*", true],
    ["/api", "/api/*", false],
    ["/api/*", "/app/*", false],
    ["/v1/*", "/v2/*", false],
    ["/a?c", "/abd", false],
    ["/a*", "*b/", true],
    ["/a*x", "/b*x", false],
    ["*/a", "*/b", false],
  ])("%s and %s: %s", (a, b, expected) => {
    expect(patternsOverlap(a, b)).toBe(expected);
    expect(patternsOverlap(b, a)).toBe(expected);
  });

  test("agrees with a search for a path both match, for every pair of short patterns", () => {
    // GIVEN every pattern of up to 3 characters from "a", "/", "*" and "?"
    const symbols = ["a", "/", "*", "?"];
    const patterns = [""];
    for (let length = 1; length <= 3; length++) patterns.push(...patterns.filter((p) => p.length === length - 1).flatMap((p) => symbols.map((s) => p + s)));
    // AND every path of up to 6 characters from "a", "/" and "x" (a witness is never longer than both patterns)
    const paths = [""];
    for (let length = 1; length <= 6; length++) paths.push(...paths.filter((p) => p.length === length - 1).flatMap((p) => ["a", "/", "x"].map((s) => p + s)));
    const regex = (pattern: string) => new RegExp(`^${pattern.replace(/[/]/g, "\\/").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
    const matches = new Map(patterns.map((p) => [p, paths.filter((path) => regex(p).test(path))]));
    // THEN two patterns overlap exactly when some path matches both
    const wrong = patterns.flatMap((a) =>
      patterns.filter((b) => patternsOverlap(a, b) !== (matches.get(a) as string[]).some((path) => (matches.get(b) as string[]).includes(path))).map((b) => `${a} ${b}`),
    );
    expect(patterns).toHaveLength(85);
    expect(wrong).toEqual([]);
  });
});

describe("errors name the setting, the value and what is allowed", () => {
  test.each<[string, SettingsInput, RegExp]>([
    ["a duplicate name", withServices([FRONTEND, { name: "frontend", paths: ["/x/*"] }]), /services\[1\]\.name: "frontend" is also the name of services\[0\]; each service needs its own name/],
    ["a second default service", withServices([FRONTEND, { name: "web", paths: ["/"] }]), /services\[1\]\.paths: "\/" is already the default service "frontend"; only one service may be at "\/"/],
    ["overlapping patterns", withServices([{ name: "api", paths: ["/api/*"] }, { name: "v1", paths: ["/api/v1/*"] }]), /services\[1\]\.paths\[0\]: "\/api\/v1\/\*" overlaps services\[0\]\.paths\[0\] "\/api\/\*": a request could match both/],
    ["a repeated pattern", withServices([{ name: "api", paths: ["/api/*", "/api/*"] }]), /services\[0\]\.paths\[1\]: "\/api\/\*" repeats services\[0\]\.paths\[0\]/],
    ["\"/\" with patterns", withServices([{ name: "web", paths: ["/", "/web/*"] }]), /services\[0\]\.paths: .* mixes "\/" .* with patterns; the default service takes only "\/"/],
    ["six patterns in one rule", withServices([{ name: "api", paths: ["/a", "/b", "/c", "/d", "/e", "/f"] }]), /services\[0\]\.paths: 6 patterns; a listener rule holds at most 5/],
    ["a pattern that is not a path", withServices([{ name: "api", paths: ["api/*"] }]), /services\[0\]\.paths\[0\]: "api\/\*" must be a path pattern starting with "\/"/],
    ["a call to an unknown service", withServices([{ ...FRONTEND, calls: ["backnd"] }, { name: "backend" }]), /services\[0\]\.calls: "backnd" is not a service in the list; allowed: "backend"/],
    ["a service called twice", withServices([{ ...FRONTEND, calls: ["backend", "backend"] }, { name: "backend" }]), /services\[0\]\.calls\[1\]: "backend" is listed twice/],
    ["a priority without a rule", withServices([{ ...FRONTEND, priority: 3 }]), /services\[0\]\.priority: 3 orders a listener rule, and this service has none/],
    ["a call to itself", withServices([{ ...FRONTEND, calls: ["frontend"] }]), /services\[0\]\.calls: "frontend" is the service itself/],
    ["calls without discovery", { services: [{ ...FRONTEND, calls: ["backend"] }, { name: "backend" }] }, /services\[0\]\.calls: \["backend"\] needs serviceDiscovery\.enable: true/],
    ["a CPU and memory pair Fargate lacks", withServices([{ ...FRONTEND, cpu: 256, memoryMiB: 4096 }]), /services\[0\]\.memoryMiB: 4096 does not pair with cpu 256 on Fargate; allowed: 512, 1024, 2048/],
    ["a CPU size Fargate lacks", withServices([{ ...FRONTEND, cpu: 300 }]), /services\[0\]\.cpu: 300 is not a Fargate CPU size/],
    ["request-count scaling without paths", withServices([FRONTEND, { name: "worker", scaling: { policy: "requestCount" } }]), /services\[1\]\.scaling\.policy: "requestCount" .* no paths; use "cpu"/],
    ["a scaling range out of order", withServices([{ ...FRONTEND, scaling: { minCapacity: 5, maxCapacity: 2 } }]), /services\[0\]\.scaling: minCapacity 5, desiredCount 1, maxCapacity 2 must satisfy/],
    ["two services with one explicit priority", withServices([{ name: "a1", paths: ["/a/*"], priority: 9 }, { name: "b1", paths: ["/b/*"], priority: 9 }]), /services\[1\]\.priority: 9 \(for "b1"\) is also the priority of "a1"; give one of them an explicit priority/],
    ["a priority out of range", withServices([{ name: "a1", paths: ["/a/*"], priority: 50001 }]), /services\[0\]\.priority: 50001 must be a whole number from 1 to 50000/],
    ["a name too long for the role name", withServices([{ name: "a-very-long-service-name-of-32ch", paths: ["/x/*"] }]), /services\[0\]\.name: "a-very-long-service-name-of-32ch" makes the autoscaling role name "workshop-autoscaling-a-very-long-service-name-of-32ch-task-execution" 68 characters; AWS allows 64, so with namePrefix "workshop" the name may have at most 28/],
    ["an unknown key in an entry", withServices([{ ...FRONTEND, port: 80 } as Entry]), /services\[0\]\.port: unknown setting; allowed here: name, /],
    ["an empty list", { services: [] }, /services: \[\] must list at least one service/],
    ["a namespace that is not a DNS name", { serviceDiscovery: { namespace: "Local_Zone" } }, /serviceDiscovery\.namespace: "Local_Zone" must be a DNS name/],
  ])("%s", (_, input, message) => {
    expect(() => parseSettings(input)).toThrow(message);
  });

  test("more rules than a listener takes", () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ name: `svc-${i}`, paths: [`/s${i}/*`], priority: i + 1 }));
    expect(() => parseSettings({ services: many })).toThrow(/services: 101 services with paths need 101 listener rules; a listener takes at most 100/);
  });

  test("two names whose derived priorities collide are asked for an explicit priority", () => {
    // GIVEN the first two names of the form s<number> that hash to the same priority
    const [a, b] = firstCollision(derivedPriority);
    // WHEN both are routed THEN the second is told to take an explicit priority
    const input = { services: [{ name: a, paths: ["/a/*"] }, { name: b, paths: ["/b/*"] }] };
    expect(() => parseSettings(input)).toThrow(new RegExp(`services\\[1\\]\\.priority: ${derivedPriority(a)} \\(for "${b}"\\) is also the priority of "${a}"`));
    // AND an explicit priority on either resolves it
    expect(() => parseSettings({ services: [input.services[0], { ...input.services[1], priority: 1 }] })).not.toThrow();
  });

  test("two services whose target group names would collide are told to rename one", () => {
    // GIVEN the first two names whose target groups (port 80, the lesson's VPC) hash to the same suffix
    const suffix = (name: string) => targetGroupSuffix({ port: 80, protocol: "HTTP", targetType: "ip", vpc: "10.0.0.0/16", service: name });
    const [a, b] = firstCollision(suffix);
    // WHEN both are routed THEN the second is refused, naming the shared name
    const input = { services: [{ name: a, paths: ["/a/*"], priority: 1 }, { name: b, paths: ["/b/*"], priority: 2 }] };
    expect(() => parseSettings(input)).toThrow(
      new RegExp(`services\\[1\\]\\.name: "${b}" gets the same target group name "<prefix>-<stage>-${suffix(a)}" as "${a}" .*; rename one of them or change its containerPort`),
    );
  });
});

/** The first two names of the form s<number> for which `hash` gives the same value. */
function firstCollision<T>(hash: (name: string) => T): [string, string] {
  const seen = new Map<T, string>();
  for (let i = 0; ; i++) {
    const name = `s${i}`;
    const other = seen.get(hash(name));
    if (other !== undefined) return [other, name];
    seen.set(hash(name), name);
  }
}

describe("HTTPS settings", () => {
  const other = CERTIFICATE.replace("eu-west-1", "us-east-1");
  test.each<[string, SettingsInput, RegExp]>([
    ["a certificate ARN of the wrong shape", { loadBalancer: { certificateArn: "arn:aws:acm:eu-west-1:1234:certificate/x" } }, /loadBalancer\.certificateArn: "arn:aws:acm:eu-west-1:1234:certificate\/x" must be an ACM certificate ARN: arn:aws:acm:<region>:<12-digit account>:certificate\/<uuid>/],
    ["a certificate of another region", { loadBalancer: { certificateArn: other } }, /loadBalancer\.certificateArn: ".*" is a certificate in us-east-1; the load balancer is in eu-west-1 and can only use certificates of that region/],
    ["an extra certificate of another region", { loadBalancer: { certificateArn: CERTIFICATE, extraCertificateArns: [other] } }, /loadBalancer\.extraCertificateArns\[0\]: ".*" is a certificate in us-east-1/],
    ["extra certificates without a certificate", { loadBalancer: { extraCertificateArns: [CERTIFICATE] } }, /loadBalancer\.extraCertificateArns: .* needs loadBalancer\.certificateArn/],
    ["the HTTP listener on 443", { loadBalancer: { certificateArn: CERTIFICATE, listenerPort: 443 } }, /loadBalancer\.listenerPort: 443 is the HTTPS listener's port once certificateArn is set/],
    ["a certificate listed twice", { loadBalancer: { certificateArn: CERTIFICATE, extraCertificateArns: [CERTIFICATE] } }, /loadBalancer\.extraCertificateArns\[0\]: ".*" is listed twice/],
    ["a TLS policy name of the wrong shape", { loadBalancer: { sslPolicy: "TLS13" } }, /loadBalancer\.sslPolicy: "TLS13" must be an ELB security policy name/],
  ])("%s", (_, input, message) => {
    expect(() => parseSettings(input)).toThrow(message);
  });

  test("a certificate in the stage's region is accepted", () => {
    expect(parseSettings({ region: "us-east-1", loadBalancer: { certificateArn: other } }).loadBalancer.certificateArn).toBe(other);
  });
});
