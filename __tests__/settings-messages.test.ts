/**
 * What a refusal shows: a value echoed so that it cannot pass for another (look-alike and invisible characters
 * escaped), never key material, the cause first when many problems share one, and, for what a policy check refuses,
 * the setting rather than only a construct's address.
 */
import { parseSettings, type SettingsInput } from "../src/settings/index";
import { quote, show } from "../src/settings/blocks";
import { renderBlocking } from "../src/policy/render";
import { refusal } from "./support/settings";


describe("echoed values are shown escaped when a character could pass for another, or for nothing", () => {
  test.each([
    ["a Cyrillic o in a Latin word", "fr\u043entend", '"fr\\u043entend"'],
    ["a Greek omicron", "l\u03bfcal", '"l\\u03bfcal"'],
    ["an Armenian o", "d\u0585cker", '"d\\u0585cker"'],
    ["a dotless i", "adm\u0131n", '"adm\\u0131n"'],
    ["fullwidth letters", "\uff41pi", '"\\uff41pi"'],
    ["a mathematical bold a", "\u{1d41a}pi", '"\\ud835\\udc1api"'],
    ["a zero-width space", "api\u200b", '"api\\u200b"'],
    ["a zero-width joiner", "a\u200db", '"a\\u200db"'],
    ["a byte-order mark", "\ufeffapi", '"\\ufeffapi"'],
    ["a soft hyphen", "ap\u00adi", '"ap\\u00adi"'],
    ["a right-to-left override", "txt.\u202eexe", '"txt.\\u202eexe"'],
    ["a directional isolate", "a\u2067b\u2069", '"a\\u2067b\\u2069"'],
    ["a no-break space", "my\u00a0app", '"my\\u00a0app"'],
    ["an ideographic space", "my\u3000app", '"my\\u3000app"'],
    ["a Hangul filler, a letter that shows nothing", "a\u3164b", '"a\\u3164b"'],
    ["a combining accent", "cafe\u0301", '"cafe\\u0301"'],
    ["a delete character", "a\u007fb", '"a\\u007fb"'],
    ["a C1 control", "a\u0085b", '"a\\u0085b"'],
    ["a NUL", "a\u0000b", '"a\\u0000b"'],
    ["a newline", "a\nb", '"a\\nb"'],
  ])("%s", (_, value, shown) => {
    expect(show(value)).toBe(shown);
    expect(quote(value)).toBe(shown);
  });

  test.each([
    ["plain ASCII", "frontend", '"frontend"'],
    ["spaces and punctuation", 'a b "c" \\ d', '"a b \\"c\\" \\\\ d"'],
    ["an accented Latin letter, which shows its accent", "café", '"café"'],
    ["Japanese, which passes for no ASCII letter", "東京", '"東京"'],
    ["an emoji", "ok 👍", '"ok 👍"'],
  ])("%s stays as written", (_, value, shown) => {
    expect(show(value)).toBe(shown);
  });

  test("a short list shows each of its strings escaped; one holding key material is only counted", () => {
    expect(show(["/api/*", "/v1\u200b/*"])).toBe('["/api/*","/v1\\u200b/*"]');
    expect(show(["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsa"])).toBe("a list of 1");
  });

  test("a long value is cut after 72 characters, counted as characters, not UTF-16 units", () => {
    expect(show(`${"😀".repeat(100)}`)).toBe(`"${"😀".repeat(72)}"... (100 characters)`);
  });

  test.each<[string, unknown, RegExp]>([
    ["a service name with a Cyrillic o", { services: [{ name: "fr\u043entend", paths: ["/"] }] }, /services\[0\]\.name: "fr\\u043entend" must be 2 to 32 lowercase letters/],
    ["a namespace with a Greek omicron", { serviceDiscovery: { namespace: "l\u03bfcal" } }, /serviceDiscovery\.namespace: "l\\u03bfcal" must be a DNS name/],
    ["a key with a zero-width space", { service: { "app\u200bName": "x" } }, /service\["app\\u200bName"\]: unknown setting \(did you mean "appName"\?\)/],
    ["a tag value with a right-to-left override", { extraTags: { team: "blue\u202eeulav" } }, /extraTags\.team: "blue\\u202eeulav" a tag value may hold only/],
    ["a list of calls with a zero-width space", { services: [{ name: "web", paths: ["/"], calls: ["back\u200bend"] }, { name: "backend" }] }, /services\[0\]\.calls: \["back\\u200bend"\] needs serviceDiscovery\.enable/],
    ["a path with a zero-width space", { services: [{ name: "api", paths: ["/api\u200b/*"] }] }, /services\[0\]\.paths\[0\]: "\/api\\u200b\/\*" must be a path pattern/],
    ["an SSL policy with a fullwidth letter", { loadBalancer: { sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-0\uff16" } }, /loadBalancer\.sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-0\\uff16" must be an ELB security policy name/],
  ])("%s is shown escaped in the refusal", (_, input, message) => {
    expect(() => parseSettings(input)).toThrow(message);
  });
});

describe("key material is never echoed, whichever setting it lands in", () => {
  const PUBLIC = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl lesson@laptop";
  const PRIVATE = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END RSA PRIVATE KEY-----";

  test.each<[string, unknown, RegExp]>([
    ["a public key as the SSH range", { jumpHost: { sshKeyPairName: "k", sshAllowedCidr: PUBLIC } }, /jumpHost\.sshAllowedCidr: \(an SSH public key, not shown\) is not a CIDR block/],
    ["a private key as an image", { service: { publicImage: PRIVATE } }, /service\.publicImage: \(a private key, not shown\) must be an image reference/],
    ["a private key as a tag value", { extraTags: { key: PRIVATE } }, /extraTags\.key: \(a private key, not shown\)/],
    ["a public key as the app name", { service: { appName: PUBLIC } }, /service\.appName: \(an SSH public key, not shown\) must be 2 to 32/],
  ])("%s", (_, input, message) => {
    const text = refusal(input);
    expect(text).toMatch(message);
    expect(text).not.toContain("AAAAC3NzaC1lZDI1");
    expect(text).not.toContain("MIIEowIBAAKCAQEA");
  });
});

describe("when many problems share one cause, the cause comes first", () => {
  const routed = (count: number): SettingsInput => ({ services: Array.from({ length: count }, (_, i) => ({ name: `svc-${i}`, paths: [`/s${i}/*`] })) });

  test("3,000 services: the listener's 100 rules and the load balancer's 100 target groups, not name collisions", () => {
    // WHEN 3,000 services with paths are given
    const lines = refusal(routed(3000)).split("\n").slice(1);
    // THEN the limits lead, and no collision among the hashed priorities or target group names is listed
    expect(lines[0]).toMatch(/^ {2}- services: 3000 services with paths need 3000 listener rules; a listener takes at most 100/);
    expect(lines[1]).toMatch(/^ {2}- services: 3000 routed services .* need 3000 target groups; allowed: at most 100 on one load balancer/);
    expect(lines.join("\n")).not.toMatch(/is also the priority of|gets the same target group name/);
  });

  test("101 routed services sharing a bad CPU size: both limits first, then the size once, where it is set", () => {
    // WHEN 101 services take service.cpu 300, which Fargate lacks
    const lines = refusal({ ...routed(101), service: { cpu: 300 } }).split("\n").slice(1);
    // THEN three problems: the two limits, and service.cpu, not 101 copies of it per service
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/services: 101 services with paths need 101 listener rules/);
    expect(lines[1]).toMatch(/services: 101 routed services/);
    expect(lines[2]).toMatch(/^ {2}- service\.cpu: 300 is not a Fargate CPU size/);
  });

  test("a size an entry sets itself is reported for that entry", () => {
    expect(() => parseSettings({ services: [{ name: "web", paths: ["/"], cpu: 300 }] })).toThrow(/services\[0\]\.cpu: 300 is not a Fargate CPU size/);
    expect(() => parseSettings({ services: [{ name: "web", paths: ["/"], memoryMiB: 4096 }] })).toThrow(/services\[0\]\.memoryMiB: 4096 does not pair with cpu 256 on Fargate/);
  });

  test("within the limits, a priority collision is still reported", () => {
    const input = { services: [{ name: "a1", paths: ["/a/*"], priority: 7 }, { name: "b1", paths: ["/b/*"], priority: 7 }] };
    expect(() => parseSettings(input)).toThrow(/services\[1\]\.priority: 7 \(for "b1"\) is also the priority of "a1"/);
  });
});

describe("what a policy check would refuse is refused in the settings, naming the setting", () => {
  test.each<[string, SettingsInput, RegExp]>([
    ["SSH as the lesson's container port", { service: { containerPort: 22 } }, /service\.containerPort: 22 \(SSH\) would be open to the whole internet in stage fargate, .*SG-NO-WORLD-ADMIN-PORTS refuses that; allowed: any other port/],
    ["RDP as a routed service's port", { services: [{ name: "web", paths: ["/"], containerPort: 3389 }] }, /services\[0\]\.containerPort: 3389 \(RDP\) would be open to the whole internet/],
    ["SSH as the port inherited by every routed service, named once", { service: { containerPort: 22 }, services: [{ name: "web", paths: ["/"] }, { name: "api", paths: ["/api/*"] }] }, /^Invalid settings:\n {2}- service\.containerPort: 22 \(SSH\)[^\n]*$/],
    ["SSH as the listener's port", { loadBalancer: { listenerPort: 22 } }, /loadBalancer\.listenerPort: 22 would open the remote administration port 22 to the whole internet .*; allowed: any other port/],
  ])("%s", (_, input, message) => {
    const text = refusal(input);
    expect(text).toMatch(message);
    expect(text).not.toMatch(/waive\(|aws_vpc_security_group/);
  });

  test("a policy refusal tells someone who changed only the settings what to do, before the waiver for code", () => {
    const message = renderBlocking([
      { stack: "fargate", address: "aws_vpc_security_group_ingress_rule.x", rule: "SG-NO-WORLD-ADMIN-PORTS", severity: "error", reason: "SSH open", fix: "close it" },
    ] as Parameters<typeof renderBlocking>[0]);
    expect(message).toMatch(/If you changed only the settings file: a setting made this resource .*"Settings" table.*; change that setting/);
    expect(message.indexOf("settings file")).toBeLessThan(message.indexOf("waive(resource"));
  });
});
