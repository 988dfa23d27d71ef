/**
 * Settings that AWS or Terraform would refuse only at init, validate or apply, and contradictions that used to pass
 * without a word: each is refused before anything is synthesized, naming the setting, the value and what is allowed.
 * Beside each refusal, its valid neighbours are accepted, and so are the lesson defaults and the documented examples.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { checkPolicies } from "../src/policy";
import { parseSettings, type SettingsInput } from "../src/settings/index";
import { WorkshopStage } from "../src/stages";
import { ELB_SECURITY_POLICY_NAMES, legacyTlsVersions } from "../src/settings/facts/elb-security-policies";
import { INSTANCE_FAMILIES, instanceTypeProblem } from "../src/settings/facts/instance-families";
import { CERTIFICATE, README_EXAMPLE, THREE_SERVICES, TWO_SERVICES } from "./support/services";
import { refusal } from "./support/settings";

const KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const s3 = (backend: Record<string, unknown>): SettingsInput => ({ backend: { type: "s3", bucket: "team-state", ...backend } } as SettingsInput);
const kms = (kmsKeyArn: string, backend: Record<string, unknown> = {}) => s3({ encryption: "SSE-KMS", kmsKeyArn, ...backend });
const ec2 = (instanceType: string): SettingsInput => ({ service: { launchType: "EC2" }, ec2Capacity: { instanceType } });
const ssh = (sshAllowedCidr: string, extra: SettingsInput = {}): SettingsInput => ({ ...extra, jumpHost: { sshKeyPairName: "lesson-key", sshAllowedCidr, ...extra.jumpHost } });
const discovery = (namespace: string, extra: SettingsInput = {}): SettingsInput => ({ ...extra, serviceDiscovery: { enable: true, namespace } });
const https = (loadBalancer: SettingsInput["loadBalancer"]): SettingsInput => ({ loadBalancer: { certificateArn: CERTIFICATE, ...loadBalancer } });
type Entry = NonNullable<SettingsInput["services"]>[number];
const list = (...services: Entry[]): SettingsInput => ({ serviceDiscovery: { enable: true }, services });
const WEB: Entry = { name: "web", paths: ["/"] };

/** Every case: GIVEN these settings, WHEN they are parsed, THEN they are refused with this message. */
function refuses(cases: Array<[string, SettingsInput, RegExp]>): void {
  test.each(cases)("refuses %s", (_, input, message) => {
    expect(() => parseSettings(input)).toThrow(message);
  });
}

/** Every case: GIVEN these settings, WHEN they are parsed, THEN nothing is refused. */
function accepts(cases: Array<[string, SettingsInput]>): void {
  test.each(cases)("accepts %s", (_, input) => {
    expect(() => parseSettings(input)).not.toThrow();
  });
}

describe("the lesson defaults and the documented examples stay valid", () => {
  const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
  // Every settings file the README writes with echo, and its JSON example blocks.
  const fromReadme = [
    ...[...readme.matchAll(/echo '(\{.*\})' >/g)].map((m) => m[1]),
    ...[...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]),
  ].map((text) => JSON.parse(text) as SettingsInput & { $schema?: string });

  test("the README holds settings examples to check", () => {
    expect(fromReadme.length).toBeGreaterThanOrEqual(5);
  });
  accepts([
    ["the lesson's defaults", {}],
    ["docs/examples/two-services.json", README_EXAMPLE],
    ["the test suite's two and three services", TWO_SERVICES],
    ["three services with discovery and HTTPS", THREE_SERVICES],
    ...fromReadme.map((input, i): [string, SettingsInput] => [`README example ${i + 1}`, input]),
  ]);
});

describe("backend: a KMS key the bucket can use, a key prefix Terraform takes", () => {
  refuses([
    ["a truncated key id", kms("arn:aws:kms:eu-west-1:111122223333:key/1234abcd"), /backend\.kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key\/1234abcd" has the key id "1234abcd", which is cut short; allowed: the ARN of a KMS key or alias/],
    ["a key id short of its last digit", kms(KEY.slice(0, -1)), /backend\.kmsKeyArn: ".*" has the key id "1234abcd-12ab-34cd-56ef-1234567890a", which is cut short; allowed:/],
    ["a multi-Region key id cut short", kms("arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890a"), /backend\.kmsKeyArn: .* has the key id "mrk-1234abcd12ab34cd56ef1234567890a", which is cut short; allowed:/],
    ["a key id in upper case", kms(KEY.replace("1234abcd", "1234ABCD")), /backend\.kmsKeyArn: .* which is not lowercase; allowed:/],
    ["a key id that is a name", kms("arn:aws:kms:eu-west-1:111122223333:key/my-state-key"), /backend\.kmsKeyArn: .* has the key id "my-state-key", which is not a key id; allowed:/],
    ["an empty alias", kms("arn:aws:kms:eu-west-1:111122223333:alias/"), /backend\.kmsKeyArn: .* has the alias "", which is not an alias name/],
    ["an account of 10 digits", kms(KEY.replace("111122223333", "1111222233")), /backend\.kmsKeyArn: .* holds the account "1111222233", not a 12-digit account id; allowed:/],
    ["a key id alone", kms("1234abcd-12ab-34cd-56ef-1234567890ab"), /backend\.kmsKeyArn: "1234abcd-12ab-34cd-56ef-1234567890ab" must be the ARN of a KMS key or alias/],
    ["a key of another region than the region setting", kms(KEY.replace("eu-west-1", "us-east-1")), /backend\.kmsKeyArn: ".*" is a key in us-east-1, and the state bucket is in eu-west-1 \(region\) .*; allowed: a key in eu-west-1/],
    ["a key of another region than backend.region", kms(KEY, { region: "eu-central-1" }), /backend\.kmsKeyArn: ".*" is a key in eu-west-1, and the state bucket is in eu-central-1 \(backend\.region\).*; allowed: a key in eu-central-1/],
    ["a key in the China partition", kms(KEY.replace("arn:aws:", "arn:aws-cn:")), /backend\.kmsKeyArn: ".*" is a key in partition aws-cn, and the state bucket is in eu-west-1 \(region\) of partition aws/],
    ["a key in GovCloud", kms("arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"), /is a key in partition aws-us-gov.*; allowed: a key in eu-west-1/],
    ["an alias of another region", kms("arn:aws:kms:us-west-2:111122223333:alias/state"), /backend\.kmsKeyArn: ".*alias\/state" is a key in us-west-2, and the state bucket is in eu-west-1/],
    ["a key prefix with a leading slash", s3({ keyPrefix: "/team" }), /backend\.keyPrefix: "\/team" must be an S3 key prefix .*with "\/" only between parts \(Terraform's S3 backend refuses a key that starts or ends with "\/"/],
    ["a key prefix with a trailing slash", s3({ keyPrefix: "team/workshop/" }), /backend\.keyPrefix: "team\/workshop\/" must be an S3 key prefix/],
    ["a key prefix of a slash alone", s3({ keyPrefix: "/" }), /backend\.keyPrefix: "\/" must be an S3 key prefix/],
    ["a key prefix with two slashes in a row", s3({ keyPrefix: "team//workshop" }), /backend\.keyPrefix: "team\/\/workshop" must be an S3 key prefix/],
    ["a key prefix longer than an S3 key", s3({ keyPrefix: "a".repeat(1000) }), /backend\.keyPrefix: "a+"\.\.\. \(1000 characters\) must be an S3 key prefix .*of at most 997 characters/],
  ]);
  accepts([
    ["a whole key id of the bucket's region", kms(KEY)],
    ["a multi-Region key", kms("arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab")],
    ["an alias", kms("arn:aws:kms:eu-west-1:111122223333:alias/team/state-key")],
    ["the AWS managed alias of S3", kms("arn:aws:kms:eu-west-1:111122223333:alias/aws/s3")],
    ["a key of backend.region rather than region", kms(KEY.replace("eu-west-1", "eu-central-1"), { region: "eu-central-1" })],
    ["a key of the region setting, with the bucket there", { ...kms(KEY.replace("eu-west-1", "us-east-1")), region: "us-east-1" }],
    ["a key prefix of several parts", s3({ keyPrefix: "team-a/workshop/2026" })],
    ["a key prefix of one part with dots and underscores", s3({ keyPrefix: "team_a.workshop" })],
  ]);
});

describe("names AWS refuses", () => {
  refuses([
    ["an app name with two hyphens in a row", { service: { appName: "api--v1" } }, /service\.appName: "api--v1" must be 2 to 32 lowercase letters, digits or hyphens, .*never two hyphens in a row \(ECR refuses/],
    ["a service name with two hyphens in a row", list(WEB, { name: "api--v1" }), /services\[1\]\.name: "api--v1" must be .*never two hyphens in a row/],
    ["a service name with three hyphens", list(WEB, { name: "a---b" }), /services\[1\]\.name: "a---b" must be/],
    ["a service name ending with a hyphen", list({ name: "web-", paths: ["/"] }), /services\[0\]\.name: "web-" must be/],
    [
      "a namespace whose longest service name passes 253 characters",
      discovery(`${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(60)}`),
      /serviceDiscovery\.namespace: "a+\.b+"\.\.\. \(252 characters\) makes the service name "my-nginx\.a+"\.\.\. \(261 characters\); allowed: at most 253 in a DNS name .*the namespace may have at most 244/,
    ],
    [
      "a namespace that fits the lesson's name but not a longer service's",
      { ...list({ name: "a-service-with-a-long-name", paths: ["/"] }), serviceDiscovery: { enable: true, namespace: `${"x".repeat(63)}.${"y".repeat(63)}.${"z".repeat(63)}.${"w".repeat(40)}` } },
      /with service "a-service-with-a-long-name" the namespace may have at most 226/,
    ],
    ["the namespace aws, which hides public.ecr.aws", discovery("aws"), /serviceDiscovery\.namespace: "aws" would hide public\.ecr\.aws inside the VPC, which the stages need.*; allowed: a namespace that no public name ends with/],
    ["the namespace ecr.aws", discovery("ecr.aws"), /serviceDiscovery\.namespace: "ecr\.aws" would hide public\.ecr\.aws/],
    ["the namespace public.ecr.aws itself", discovery("public.ecr.aws"), /would hide public\.ecr\.aws/],
    ["the namespace amazonaws.com", discovery("amazonaws.com"), /serviceDiscovery\.namespace: "amazonaws\.com" would hide api\.ecr\.eu-west-1\.amazonaws\.com/],
    ["the namespace com", discovery("com"), /serviceDiscovery\.namespace: "com" would hide .*\.amazonaws\.com/],
    ["the region's endpoint domain", discovery("eu-west-1.amazonaws.com"), /would hide api\.ecr\.eu-west-1\.amazonaws\.com/],
    ["the database endpoints' domain", discovery("rds.amazonaws.com"), /would hide .*\.eu-west-1\.rds\.amazonaws\.com/],
    ["the ECR registry domain", discovery("ecr.eu-west-1.amazonaws.com"), /would hide api\.ecr\.eu-west-1\.amazonaws\.com/],
    ["net, which hides the CloudFront hosts ECR Public sends layers from", discovery("net"), /serviceDiscovery\.namespace: "net" would hide layers\.cloudfront\.net/],
    ["io, with an image from ghcr.io", discovery("io", { service: { publicImage: "ghcr.io/org/app:1" } }), /serviceDiscovery\.namespace: "io" would hide ghcr\.io/],
    ["docker.io, with an image from Docker Hub", discovery("docker.io", { service: { publicImage: "nginx:stable" } }), /would hide registry-1\.docker\.io/],
  ]);
  accepts([
    ["an app name with single hyphens", { service: { appName: "api-v1-eu" } }],
    ["a service name of two characters", list(WEB, { name: "a1" })],
    ["a service name of 28 characters", list(WEB, { name: "a-service-of-28-characters-x" })],
    ["the lesson's namespace", discovery("local")],
    ["a namespace under a domain of one's own", discovery("internal.example")],
    ["a namespace of 244 characters with the lesson's service", discovery(`${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(52)}`)],
    ["the namespace aws-internal", discovery("aws-internal")],
    ["a namespace below a public domain the stages need", discovery("svc.amazonaws.example")],
    ["the namespace io, with the lesson's image from public.ecr.aws", discovery("io")],
    ["the namespace net, with images from the stage's own repository", discovery("net", { service: { imageSource: "repository" } })],
    ["a shadowing namespace while discovery is off", { serviceDiscovery: { enable: false, namespace: "aws" } }],
  ]);
});

describe("values AWS refuses", () => {
  refuses([
    ["an SSL policy ELB does not publish", https({ sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2099-01" }), /loadBalancer\.sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2099-01" must be an ELB security policy name, one of the \d+ ELB publishes/],
    ["an SSL policy in the wrong case", https({ sslPolicy: "elbsecuritypolicy-tls13-1-2-2021-06" }), /loadBalancer\.sslPolicy: .* \(did you mean "ELBSecurityPolicy-TLS13-1-2-2021-06"\?\)/],
    ["a Classic Load Balancer policy", https({ sslPolicy: "ELBSecurityPolicy-2011-08" }), /loadBalancer\.sslPolicy: "ELBSecurityPolicy-2011-08" must be an ELB security policy name/],
    ["six wildcards in one rule", list(WEB, { name: "api", paths: ["/a*/b*/c*", "/d*/e*/f*"] }), /services\[1\]\.paths: \["\/a\*\/b\*\/c\*","\/d\*\/e\*\/f\*"\] holds 6 wildcards \("\*" and "\?"\) in all; allowed: at most 5 in one listener rule/],
    ["six wildcards in one pattern", list(WEB, { name: "api", paths: ["/?/?/?/?/*/*"] }), /services\[1\]\.paths: .* holds 6 wildcards/],
    ["a health check path over 1024 characters", { loadBalancer: { healthCheckPath: `/${"x".repeat(1024)}` } }, /loadBalancer\.healthCheckPath: "\/x+"\.\.\. \(1025 characters\) must be a path starting with "\/" of at most 1024 characters/],
    ["a service's health check path over 1024 characters", list({ ...WEB, healthCheckPath: `/${"y".repeat(2000)}` }), /services\[0\]\.healthCheckPath: .* \(2001 characters\) must be a path .*at most 1024 characters/],
    ["an EC2 capacity type of a size its family lacks", ec2("t3.huge"), /ec2Capacity\.instanceType: "t3\.huge" must be an EC2 instance type such as "t3\.small" or "t4g\.small" \(allowed sizes of t3: nano, micro, small, medium, large, xlarge, 2xlarge\)/],
    ["an EC2 capacity type of no family", ec2("foo.bar"), /ec2Capacity\.instanceType: "foo\.bar" must be an EC2 instance type .*no EC2 instance family is called "foo"; allowed:/],
    ["a size beyond a family's largest", ec2("t3.96xlarge"), /ec2Capacity\.instanceType: "t3\.96xlarge" must be an EC2 instance type .*allowed sizes of t3/],
    ["a type with three parts", ec2("t3.micro.large"), /ec2Capacity\.instanceType: "t3\.micro\.large" must be an EC2 instance type/],
    ["a type in upper case", ec2("T3.MICRO"), /ec2Capacity\.instanceType: "T3\.MICRO" must be an EC2 instance type/],
    ["a size alone", ec2("small"), /ec2Capacity\.instanceType: "small" must be an EC2 instance type such as "t3\.small"/],
    ["a made-up size of a newer family", ec2("m9.huge"), /ec2Capacity\.instanceType: "m9\.huge" must be an EC2 instance type/],
    ["a generation far past the newest of its class", ec2("m99.large"), /ec2Capacity\.instanceType: "m99\.large" must be an EC2 instance type .*no EC2 instance family is called "m99"/],
    ["a processor name as a family", ec2("x86.large"), /ec2Capacity\.instanceType: "x86\.large" must be an EC2 instance type/],
    ["an old generation the table does not hold", ec2("m2i.large"), /no EC2 instance family is called "m2i"/],
    ["a jump host type of a size its family lacks", { jumpHost: { instanceType: "t3.huge" } }, /jumpHost\.instanceType: "t3\.huge" must be an EC2 instance type such as "t4g\.nano" or "t3\.micro" \(allowed sizes of t3:/],
    ["a jump host type of no family", { jumpHost: { instanceType: "foo.bar" } }, /jumpHost\.instanceType: "foo\.bar" must be an EC2 instance type/],
    ["an A1 type for EC2 capacity", ec2("a1.large"), /ec2Capacity\.instanceType: "a1\.large" cannot run Amazon Linux 2023, .*A1 .*; take a Graviton2 or newer type/],
    ["an A1 type for the jump host", { jumpHost: { instanceType: "a1.medium" } }, /jumpHost\.instanceType: "a1\.medium" cannot run Amazon Linux 2023/],
    ["a Mac type for EC2 capacity", ec2("mac2.metal"), /ec2Capacity\.instanceType: "mac2\.metal" cannot run Amazon Linux 2023, .*Mac instances run macOS/],
    ["a Mac type for the jump host", { jumpHost: { instanceType: "mac2-m2pro.metal" } }, /jumpHost\.instanceType: "mac2-m2pro\.metal" cannot run Amazon Linux 2023/],
    ...[22, 2375, 2376, 51678, 51679].map((port): [string, SettingsInput, RegExp] => [
      `container port ${port} on EC2`,
      { service: { launchType: "EC2", containerPort: port } },
      new RegExp(`service\\.containerPort: ${port} is a port the ECS agent reserves on its EC2 instances \\(22, 2375, 2376, 51678, 51679\\), .*; allowed: any other port`),
    ]),
    ["a reserved port on the one EC2 service of a list", { service: { launchType: "EC2" }, services: [{ ...WEB, containerPort: 51678 }] }, /services\[0\]\.containerPort: 51678 is a port the ECS agent reserves/],
  ]);
  accepts([
    ["every SSL policy of the list, with a certificate", https({ sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" })],
    ["the API default policy, with a certificate (a policy rule judges TLS 1.0)", https({ sslPolicy: "ELBSecurityPolicy-2016-08" })],
    ["a FIPS policy", https({ sslPolicy: "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04" })],
    ["five wildcards in one rule", list(WEB, { name: "api", paths: ["/a*/b*", "/c?/d*/e*"] })],
    ["five wildcards in each of two rules", list(WEB, { name: "api", paths: ["/a/*/*/*/*/*"] }, { name: "bff", paths: ["/b/*/*/*/*/*"] })],
    ["a health check path of 1024 characters", { loadBalancer: { healthCheckPath: `/${"x".repeat(1023)}` } }],
    ...["t3.medium", "t3.2xlarge", "t3a.medium", "t4g.small", "m5.metal", "c7i-flex.large", "m7i-flex.2xlarge", "r7iz.metal-16xl", "c6gn.16xlarge", "x2iedn.xlarge", "u-6tb1.56xlarge", "m8i.large"].map(
      (type): [string, SettingsInput] => [`EC2 capacity on ${type}`, ec2(type)],
    ),
    ...["t4g.nano", "t3.nano", "t3.micro", "m7g.medium", "c8g.large"].map((type): [string, SettingsInput] => [`a jump host on ${type}`, { jumpHost: { instanceType: type } }]),
    ["an EC2 instance type setting while the launch type is Fargate, when it is one", { ec2Capacity: { instanceType: "m6i.large" } }],
    ["container port 22 on Fargate for a service nobody browses to", list(WEB, { name: "sshd", containerPort: 22 })],
    ["container port 2375 on Fargate", { service: { containerPort: 2375 } }],
    ["container port 8080 on EC2", { service: { launchType: "EC2", containerPort: 8080 } }],
  ]);

  test("the SSL policy data marks the policies that still accept TLS 1.0 or 1.1", () => {
    expect(legacyTlsVersions("ELBSecurityPolicy-2016-08")).toEqual(["1.0", "1.1"]);
    expect(legacyTlsVersions("ELBSecurityPolicy-TLS13-1-1-2021-06")).toEqual(["1.1"]);
    expect(legacyTlsVersions("ELBSecurityPolicy-FS-1-1-2019-08")).toEqual(["1.1"]);
    expect(legacyTlsVersions("ELBSecurityPolicy-TLS13-1-2-2021-06")).toEqual([]);
    expect(legacyTlsVersions("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09")).toEqual([]);
    expect(ELB_SECURITY_POLICY_NAMES).toContain("ELBSecurityPolicy-TLS13-1-2-2021-06");
  });

  test("every instance type of the table passes the check, and every family has sizes", () => {
    const types = Object.entries(INSTANCE_FAMILIES).flatMap(([family, sizes]) => sizes.split(" ").map((size) => `${family}.${size}`));
    expect(types.length).toBeGreaterThan(900);
    expect(types.filter((type) => instanceTypeProblem(type) !== undefined)).toEqual([]);
  });
});

describe("IPv6 ranges, and ranges compared as ranges", () => {
  refuses([
    ["an IPv6 range with host bits set", ssh("2001:db8::1/64"), /jumpHost\.sshAllowedCidr: "2001:db8::1\/64" has host bits set, which Terraform refuses; allowed: the range's network address, "2001:db8::\/64"/],
    ["an IPv4 range with host bits set", ssh("203.0.113.7/24"), /jumpHost\.sshAllowedCidr: "203\.0\.113\.7\/24" has host bits set.*"203\.0\.113\.0\/24"/],
    ["::/0 written long, without enableSshFromAnywhere", ssh("0:0:0:0:0:0:0:0/0"), /jumpHost\.sshAllowedCidr: "0:0:0:0:0:0:0:0\/0" opens SSH to the whole internet \(it is ::\/0\); .*enableSshFromAnywhere/],
    ["::/0 written ::0/0", ssh("::0/0"), /jumpHost\.sshAllowedCidr: "::0\/0" opens SSH to the whole internet/],
    ["::/0 in upper-case zeros", ssh("0000:0000:0000:0000:0000:0000:0000:0000/0"), /opens SSH to the whole internet/],
    ["an IPv6 range of 129 bits", ssh("2001:db8::/129"), /jumpHost\.sshAllowedCidr: "2001:db8::\/129" is not a CIDR block/],
    ["an IPv4-mapped range Terraform does not take", ssh("::ffff:203.0.113.7/128"), /jumpHost\.sshAllowedCidr: "::ffff:203\.0\.113\.7\/128" is not a CIDR block/],
  ]);
  accepts([
    ["an IPv6 range", ssh("2001:db8::/64")],
    ["an IPv6 range in capitals and with leading zeros", ssh("2001:0DB8::/32")],
    ["one IPv6 address", ssh("2001:db8::7/128")],
    ["::/0 with enableSshFromAnywhere", ssh("::/0", { jumpHost: { enableSshFromAnywhere: true } })],
    ["::/0 written long, with enableSshFromAnywhere", ssh("0:0:0:0:0:0:0:0/0", { jumpHost: { enableSshFromAnywhere: true } })],
    ["a range that starts at zero but is not the whole internet", ssh("::/1")],
  ]);
});

describe("the SSH range the stages get", () => {
  test.each([
    ["0:0:0:0:0:0:0:0/0", "::/0"],
    ["2001:0DB8:0000::/48", "2001:db8::/48"],
    ["203.0.113.7/32", "203.0.113.7/32"],
  ])("%s, once judged, reaches the stages as AWS keeps it: %s", (written, kept) => {
    // WHEN a range is accepted THEN the settings hand it on in the form AWS returns, which the jump host's waiver knows
    const settings = parseSettings(ssh(written, { jumpHost: { enableSshFromAnywhere: true } }));
    expect(settings.jumpHost.sshAllowedCidr).toBe(kept);
  });

  test("SSH from ::/0 written long, asked for, synthesizes with the jump host's waiver and no open policy finding", () => {
    // GIVEN the db stage with SSH from 0:0:0:0:0:0:0:0/0 and enableSshFromAnywhere
    const app = Testing.app();
    new WorkshopStage(app, "db", { settings: parseSettings(ssh("0:0:0:0:0:0:0:0/0", { jumpHost: { enableSshFromAnywhere: true } })) });
    // THEN the admin-port finding on the SSH rule is waived, as for ::/0
    const [db] = checkPolicies(app);
    const ssh22 = db.findings.filter((f) => f.rule === "SG-NO-WORLD-ADMIN-PORTS");
    expect(ssh22).toEqual([expect.objectContaining({ waiver: expect.stringMatching(/enableSshFromAnywhere/) })]);
  });
});

describe("contradictions that used to pass without a word", () => {
  refuses([
    ["a service called db, called by the service with the database", list({ ...WEB, calls: ["db"] }, { name: "db" }), /services\[0\]\.calls: the call to "db" sets DB_HOST and DB_PORT, which its database connection \(useDatabase\) sets too.*; allowed:/],
    ["a service called db, called by another service with database access", list(WEB, { name: "api", paths: ["/api/*"], useDatabase: true, calls: ["db"] }, { name: "db" }), /services\[1\]\.calls: the call to "db" sets DB_HOST and DB_PORT/],
    ["a CPU target of 500 on a service without paths", list(WEB, { name: "worker", scaling: { target: 500 } }), /services\[1\]\.scaling\.target: 500 is a CPU percentage with scaling policy "cpu" \(this service's policy\); allowed: 1 to 100, as in autoscaling\.cpu\.target/],
    ["a CPU target of 101 with the policy named", list({ ...WEB, scaling: { policy: "cpu", target: 101 } }), /services\[0\]\.scaling\.target: 101 is a CPU percentage with scaling policy "cpu"; allowed: 1 to 100/],
    ["a CPU target when the autoscaling section scales on CPU", { autoscaling: { policy: "cpu" }, services: [{ ...WEB, scaling: { target: 250 } }] }, /services\[0\]\.scaling\.target: 250 is a CPU percentage/],
    ["sslPolicy without a certificate", { loadBalancer: { sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06" } }, /loadBalancer\.sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06" sets the TLS policy of the HTTPS listener, and there is none: without loadBalancer\.certificateArn the load balancer serves plain HTTP; allowed:/],
    ["the default sslPolicy written out without a certificate", { loadBalancer: { sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" } }, /loadBalancer\.sslPolicy: .* sets the TLS policy of the HTTPS listener, and there is none/],
    ["healthCheckPath on a service without paths", list(WEB, { name: "worker", healthCheckPath: "/health" }), /services\[1\]\.healthCheckPath: "\/health" is what the load balancer's health checks ask for, and this service has no paths.*; allowed: healthCheckPath on a service with paths/],
    ["healthCheckPath on a service with an empty list of paths", list(WEB, { name: "worker", paths: [], healthCheckPath: "/" }), /services\[1\]\.healthCheckPath: "\/" is what the load balancer's health checks ask for/],
    ["a private jump host's range of 10.0.0.0/8, larger than the VPC", ssh("10.0.0.0/8", { network: { nat: "single" } }), /jumpHost\.sshAllowedCidr: "10\.0\.0\.0\/8" reaches beyond the VPC, but with network\.nat or network\.enableVpcEndpoints the jump host has no public IP.*; allowed: a range inside 10\.0\.0\.0\/16/],
    ["a private jump host's range overlapping the VPC's edge", ssh("10.0.0.0/15", { network: { enableVpcEndpoints: true, nat: "single" } }), /"10\.0\.0\.0\/15" reaches beyond the VPC/],
    ["a private jump host's IPv6 range", ssh("2001:db8::/64", { network: { nat: "single" } }), /"2001:db8::\/64" lies outside the VPC, but with network\.nat/],
  ]);
  accepts([
    ["a service called db whose caller has no database", list(WEB, { name: "api", paths: ["/api/*"], calls: ["db"] }, { name: "db" })],
    ["a service called db-api", list({ ...WEB, calls: ["db-api"] }, { name: "db-api" })],
    ["a CPU target of 100", list(WEB, { name: "worker", scaling: { target: 100 } })],
    ["a request-count target of 500 on a routed service", list({ ...WEB, scaling: { target: 500 } })],
    ["sslPolicy with a certificate", https({ sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06" })],
    ["healthCheckPath on the service at /", list({ ...WEB, healthCheckPath: "/health" })],
    ["healthCheckPath on a service with paths", list(WEB, { name: "api", paths: ["/api/*"], healthCheckPath: "/api/health" })],
    ["a private jump host's range inside the VPC", ssh("10.0.128.0/17", { network: { nat: "single" } })],
    ["a public jump host's range of 10.0.0.0/8", ssh("10.0.0.0/8")],
  ]);
});

describe("key material where a key pair's name belongs", () => {
  const ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl lesson@laptop";
  const RSA = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7vbqajDhA3x6yO0k1sJ5vtLO7g4wFq7n7oQ user@host";
  const ECDSA = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmK";
  const PEM = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n";
  const RSA_PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END RSA PRIVATE KEY-----";

  test.each([
    ["an ed25519 public key", ED25519, "an SSH public key"],
    ["an RSA public key", RSA, "an SSH public key"],
    ["an ECDSA public key", ECDSA, "an SSH public key"],
    ["a public key's base64 body alone", ED25519.split(" ")[1], "an SSH public key"],
    ["an OpenSSH private key", PEM, "a private key"],
    ["a PEM RSA private key", RSA_PEM, "a private key"],
  ])("%s is refused for both key pair settings, and never echoed", (_, material, kind) => {
    for (const input of [{ jumpHost: { sshKeyPairName: material } }, { ec2Capacity: { sshKeyPairName: material } }] as SettingsInput[]) {
      // WHEN key material is given as the name THEN the refusal says what it is and what is allowed
      const setting = "jumpHost" in input ? "jumpHost" : "ec2Capacity";
      const message = refusal(input);
      expect(message).toMatch(new RegExp(`${setting}\\.sshKeyPairName: holds ${kind} \\(not shown here\\), not the name of a key pair; allowed: the key pair's name in EC2`));
      // AND no part of the key is in the message
      for (const piece of material.split(/\s+/).filter((p) => p.length >= 12)) expect(message).not.toContain(piece.slice(0, 12));
    }
  });

  accepts([
    ["a key pair name", { jumpHost: { sshKeyPairName: "lesson-key" } }],
    ["a key pair name with spaces and an @", { jumpHost: { sshKeyPairName: "lesson key for ana@example.com" } }],
    ["a key pair name that starts like an algorithm", { ec2Capacity: { sshKeyPairName: "ssh-rsa-2026" } }],
    ["a key pair named AAAA", { ec2Capacity: { sshKeyPairName: "AAAA" } }],
  ]);
});

describe("a valid setting refused before", () => {
  accepts([
    ["one service with overlapping patterns of its own", list(WEB, { name: "api", paths: ["/api/*", "/api/v1/*"] })],
    ["one service with a pattern and a narrower one with ?", list({ name: "api", paths: ["/api/*", "/api/v?/users"] })],
  ]);
  refuses([
    ["the same overlap across two services", list({ name: "api", paths: ["/api/*"] }, { name: "v1", paths: ["/api/v1/*"] }), /services\[1\]\.paths\[0\]: "\/api\/v1\/\*" overlaps services\[0\]\.paths\[0\] "\/api\/\*"/],
    ["one pattern listed twice in one service", list({ name: "api", paths: ["/api/*", "/api/*"] }), /services\[0\]\.paths\[1\]: "\/api\/\*" repeats services\[0\]\.paths\[0\]/],
  ]);
});
