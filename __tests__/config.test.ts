// The settings: lesson defaults, partial overrides, and one test per error path, each asserting that the
// message names the setting, the value given and what is allowed. Construct-free, so these run fast.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withDefaults } from "../src/settings/blocks";
import { CONFIG_ENV, ConfigError, defaultSettings, loadSettings, parseSettings } from "../src/settings/index";

/** A day on which PostgreSQL 13 is past standard support and 14 to 18 are in it. */
const LATE_2026 = new Date("2026-11-21");

/** The ConfigError `run` throws; fails the test when it throws nothing or something else. */
function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError, but nothing was thrown");
}

describe("lesson defaults", () => {
  test("the region is eu-west-1 with zones a, b and c", () => {
    // WHEN nothing is overridden
    const settings = parseSettings({});
    // THEN
    expect(settings.region).toBe("eu-west-1");
    expect(settings.availabilityZones).toEqual(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
  });

  test("the VPC is 10.0.0.0/16 named main, with three public and three private /24 subnets and no NAT", () => {
    // WHEN nothing is overridden
    const { network } = parseSettings({});
    // THEN
    expect(network).toEqual({
      name: "main",
      cidr: "10.0.0.0/16",
      publicSubnetCidrs: ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"],
      privateSubnetCidrs: ["10.0.3.0/24", "10.0.4.0/24", "10.0.5.0/24"],
      nat: "none",
      enableVpcEndpoints: false,
    });
  });

  test("the database is PostgreSQL 17 on a free-tier db.t4g.micro that tears down easily", () => {
    // WHEN nothing is overridden
    const { database } = parseSettings({});
    // THEN
    expect(database).toEqual(
      expect.objectContaining({
        engineVersion: "17",
        instanceClass: "db.t4g.micro",
        allocatedStorageGiB: 20,
        port: 5432,
        masterUsername: "postgres",
        subnetGroupName: "main-private",
        enableMultiAz: false,
        skipFinalSnapshot: true,
        enableDeletionProtection: false,
        applyImmediately: true,
        allowMajorVersionUpgrade: false,
      }),
    );
  });

  test("unique AWS names start with workshop", () => {
    // WHEN nothing is overridden
    const settings = parseSettings({});
    // THEN
    expect(settings.namePrefix).toBe("workshop");
  });

  test("the service runs my-nginx on port 80 in the smallest Fargate size", () => {
    // WHEN nothing is overridden
    const { service } = parseSettings({});
    // THEN
    expect(service).toEqual(expect.objectContaining({ appName: "my-nginx", cpu: 256, memoryMiB: 512, containerPort: 80 }));
  });

  test("the load balancer keeps 3 tasks and checks every 6 seconds, healthy after 3", () => {
    // WHEN nothing is overridden
    const { loadBalancer } = parseSettings({});
    // THEN
    expect(loadBalancer).toEqual(expect.objectContaining({ desiredCount: 3, healthyThreshold: 3, healthCheckIntervalSeconds: 6 }));
  });

  test("autoscaling holds 10 requests per target with 1 to 10 tasks, or 70 % CPU with 2 to 50", () => {
    // WHEN nothing is overridden
    const { autoscaling } = parseSettings({});
    // THEN
    expect(autoscaling.policy).toBe("requestCount");
    expect(autoscaling.requestCount).toEqual({ target: 10, minCapacity: 1, desiredCount: 1, maxCapacity: 10 });
    expect(autoscaling.cpu).toEqual(expect.objectContaining({ target: 70, minCapacity: 2, maxCapacity: 50 }));
    expect(autoscaling.scaleOutCooldownSeconds).toBe(60);
    expect(autoscaling.scaleInCooldownSeconds).toBe(60);
  });

  test("state stays local", () => {
    // WHEN nothing is overridden
    const settings = parseSettings({});
    // THEN
    expect(settings.backend).toEqual({ type: "local" });
  });

  test("defaultSettings() is what parseSettings makes of an empty file", () => {
    // WHEN / THEN
    expect(defaultSettings()).toEqual(parseSettings({}));
  });

  test("no input at all means the defaults", () => {
    // WHEN the input is undefined (an absent file)
    const settings = parseSettings(undefined);
    // THEN
    expect(settings).toEqual(parseSettings({}));
  });
});

describe("partial overrides", () => {
  test("overriding one field of a section keeps the section's other defaults", () => {
    // GIVEN only the NAT mode
    const { network } = parseSettings({ network: { nat: "single" } });
    // THEN the rest of the network is the lesson's
    expect(network.nat).toBe("single");
    expect(network.cidr).toBe("10.0.0.0/16");
    expect(network.publicSubnetCidrs).toEqual(["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"]);
  });

  test("overriding one section keeps the other sections' defaults", () => {
    // GIVEN only a database setting
    const settings = parseSettings({ database: { enableMultiAz: true } });
    // THEN every other section equals the defaults
    const { database, ...others } = settings;
    const { database: defaultDatabase, ...defaultOthers } = defaultSettings();
    expect(database).toEqual({ ...defaultDatabase, enableMultiAz: true });
    expect(others).toEqual(defaultOthers);
  });

  test("overriding a nested scaling field keeps its siblings", () => {
    // GIVEN only the most tasks of the request-count policy
    const { autoscaling } = parseSettings({ autoscaling: { requestCount: { maxCapacity: 20 } } });
    // THEN
    expect(autoscaling.requestCount).toEqual({ target: 10, minCapacity: 1, desiredCount: 1, maxCapacity: 20 });
  });

  test("empty sections mean the section's defaults", () => {
    // GIVEN every section present but empty
    const settings = parseSettings({ network: {}, database: {}, jumpHost: {}, registry: {}, service: {}, loadBalancer: {}, autoscaling: {} });
    // THEN
    expect(settings).toEqual(defaultSettings());
  });

  test("an S3 backend with a bucket gets the default key prefix", () => {
    // GIVEN
    const settings = parseSettings({ backend: { type: "s3", bucket: "my-state" } });
    // THEN
    expect(settings.backend).toEqual({
      type: "s3",
      bucket: "my-state",
      keyPrefix: "container-workshop",
      encryption: "SSE-S3",
      noncurrentVersionExpiryDays: 90,
    });
  });
});

describe("errors: shape of a setting", () => {
  test("an unknown top-level key is named, with the nearest allowed key, and its value is not printed", () => {
    expect(() => parseSettings({ netwrok: { nat: "single" } })).toThrow(/netwrok: unknown setting \(did you mean "network"\?\)/);
    expect(() => parseSettings({ netwrok: { nat: "single" } })).not.toThrow(/single/);
  });

  test("an unknown top-level key lists the allowed keys", () => {
    expect(() => parseSettings({ netwrok: {} })).toThrow(/netwrok: unknown setting .*allowed here: .*namePrefix.*network/);
  });

  test("an unknown key in a section lists the keys allowed there", () => {
    expect(() => parseSettings({ network: { cidrs: "10.0.0.0/16" } })).toThrow(
      /network\.cidrs: unknown setting \(did you mean "cidr"\?\); allowed here: name, cidr, publicSubnetCidrs, privateSubnetCidrs, nat, enableVpcEndpoints/,
    );
  });

  test("a string where a number belongs is rejected", () => {
    expect(() => parseSettings({ database: { port: "5432" } })).toThrow(/database\.port: "5432" is text; must be a whole number from 1150 to 65535 \(write 5432 without quotes\)/);
  });

  test("a string where a flag belongs is rejected", () => {
    expect(() => parseSettings({ database: { enableMultiAz: "yes" } })).toThrow(/database\.enableMultiAz: "yes" is text; must be true or false/);
    expect(() => parseSettings({ database: { applyImmediately: "now" } })).toThrow(/database\.applyImmediately: "now" is text; must be true or false/);
  });

  test("a single string where a list belongs is rejected", () => {
    expect(() => parseSettings({ network: { publicSubnetCidrs: "10.0.0.0/24" } })).toThrow(
      /network\.publicSubnetCidrs: "10\.0\.0\.0\/24" is text; must be a list of IPv4 CIDR blocks/,
    );
  });

  test("a number below its range is rejected", () => {
    expect(() => parseSettings({ database: { allocatedStorageGiB: 10 } })).toThrow(
      /database\.allocatedStorageGiB: 10 must be a whole number from 20 to 65536/,
    );
  });

  test("a fraction where a whole number belongs is rejected", () => {
    expect(() => parseSettings({ loadBalancer: { healthyThreshold: 2.5 } })).toThrow(
      /loadBalancer\.healthyThreshold: 2\.5 must be a whole number from 2 to 10/,
    );
  });

  test("a value outside an enumeration lists the allowed values", () => {
    expect(() => parseSettings({ network: { nat: "double" } })).toThrow(/network\.nat: "double" must be one of "none", "single", "perAz"/);
  });

  test("a region that is not an AWS region name is rejected", () => {
    expect(() => parseSettings({ region: "Europe" })).toThrow(/region: "Europe" is not an AWS Region the AWS provider knows; allowed: one of the 32 commercial Regions/);
  });

  test("a tag value that is not a string is rejected", () => {
    expect(() => parseSettings({ extraTags: { team: 5 } })).toThrow(/extraTags\.team: 5 must be a string/);
  });

  test("tags given as a list are rejected", () => {
    expect(() => parseSettings({ extraTags: ["team"] })).toThrow(/extraTags: \["team"\] is a list; must map tag names to string values/);
  });
});

describe("errors: backend", () => {
  test("an S3 backend without a bucket is rejected", () => {
    expect(() => parseSettings({ backend: { type: "s3" } })).toThrow(/backend\.bucket: missing; must be an S3 bucket name/);
  });

  test("an S3 bucket name with uppercase letters is rejected", () => {
    expect(() => parseSettings({ backend: { type: "s3", bucket: "My_State" } })).toThrow(/backend\.bucket: "My_State" must be an S3 bucket name/);
  });

  test("a backend type other than local or s3 is rejected", () => {
    expect(() => parseSettings({ backend: { type: "gcs" } })).toThrow(/backend.*"gcs".*must be \{"type": "local"\} or \{"type": "s3"/);
  });

  test("an S3 endpoint that is not a URL is rejected", () => {
    expect(() => parseSettings({ backend: { type: "s3", bucket: "my-state", s3Endpoint: "not a url" } })).toThrow(
      /backend\.s3Endpoint: "not a url" must be an http or https URL/,
    );
  });
});

describe("errors: network", () => {
  test("a VPC CIDR that is not a CIDR block is rejected", () => {
    expect(() => parseSettings({ network: { cidr: "10.0.0/16" } })).toThrow(/network\.cidr: "10\.0\.0\/16" is not an IPv4 CIDR block/);
  });

  test("a VPC CIDR with host bits set is rejected", () => {
    expect(() => parseSettings({ network: { cidr: "10.0.0.1/16" } })).toThrow(/network\.cidr: "10\.0\.0\.1\/16" is not an IPv4 CIDR block/);
  });

  test("a VPC larger than /16 is rejected", () => {
    expect(() => parseSettings({ network: { cidr: "10.0.0.0/8" } })).toThrow(
      /network\.cidr: "10\.0\.0\.0\/8" has a \/8 mask; AWS allows VPCs from \/16 to \/28/,
    );
  });

  test("a VPC smaller than /28 is rejected", () => {
    expect(() => parseSettings({ network: { cidr: "10.0.0.0/29" } })).toThrow(
      /network\.cidr: "10\.0\.0\.0\/29" has a \/29 mask; AWS allows VPCs from \/16 to \/28/,
    );
  });

  test("a subnet that is not a CIDR block is rejected", () => {
    expect(() => parseSettings({ network: { publicSubnetCidrs: ["10.0.0.1/24", "10.0.1.0/24", "10.0.2.0/24"] } })).toThrow(
      /network\.publicSubnetCidrs\[0\]: "10\.0\.0\.1\/24" is not an IPv4 CIDR block/,
    );
  });

  test("a subnet outside the VPC is rejected", () => {
    expect(() => parseSettings({ network: { publicSubnetCidrs: ["10.0.0.0/24", "10.1.1.0/24", "10.0.2.0/24"] } })).toThrow(
      /network\.publicSubnetCidrs\[1\]: "10\.1\.1\.0\/24" lies outside the VPC 10\.0\.0\.0\/16/,
    );
  });

  test("a subnet overlapping another is rejected, naming both", () => {
    expect(() => parseSettings({ network: { privateSubnetCidrs: ["10.0.0.0/25", "10.0.4.0/24", "10.0.5.0/24"] } })).toThrow(
      /network\.privateSubnetCidrs\[0\]: "10\.0\.0\.0\/25" overlaps network\.publicSubnetCidrs\[0\] \(10\.0\.0\.0\/24\)/,
    );
  });

  test("a subnet count that differs from the zone count is rejected", () => {
    expect(() => parseSettings({ network: { privateSubnetCidrs: ["10.0.3.0/24", "10.0.4.0/24"] } })).toThrow(
      /network\.privateSubnetCidrs: \["10\.0\.3\.0\/24","10\.0\.4\.0\/24"\] has 2 subnets but availabilityZones names 3/,
    );
  });

  test("a subnet smaller than /28 is rejected", () => {
    expect(() => parseSettings({ network: { publicSubnetCidrs: ["10.0.0.0/29", "10.0.1.0/24", "10.0.2.0/24"] } })).toThrow(
      /network\.publicSubnetCidrs\[0\]: "10\.0\.0\.0\/29" is smaller than \/28/,
    );
  });
});

describe("errors: availability zones", () => {
  test("a zone of another region is rejected", () => {
    expect(() => parseSettings({ availabilityZones: ["eu-west-1a", "eu-west-1b", "us-east-1a"] })).toThrow(
      /availabilityZones\[2\]: "us-east-1a" is not a zone of region "eu-west-1"/,
    );
  });

  test("a zone letter the region does not have is rejected, listing its zones", () => {
    expect(() => parseSettings({ availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1d"] })).toThrow(
      /availabilityZones\[2\]: "eu-west-1d" does not exist in eu-west-1; its zones are eu-west-1a, eu-west-1b, eu-west-1c/,
    );
  });

  test("a zone listed twice is rejected", () => {
    expect(() => parseSettings({ availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1a"] })).toThrow(
      /availabilityZones: \["eu-west-1a","eu-west-1b","eu-west-1a"\] lists a zone twice/,
    );
  });

  test("a single zone is rejected", () => {
    // GIVEN one zone with one subnet of each kind, so that only the zone count is wrong
    const input = { availabilityZones: ["eu-west-1a"], network: { publicSubnetCidrs: ["10.0.0.0/24"], privateSubnetCidrs: ["10.0.3.0/24"] } };
    // THEN
    expect(() => parseSettings(input)).toThrow(/availabilityZones: \["eu-west-1a"\] must name at least 2 zones/);
  });
});

describe("errors: namePrefix", () => {
  test("a prefix too long for the target group name says the longest allowed, 15", () => {
    expect(() => parseSettings({ namePrefix: "a".repeat(16) })).toThrow(
      /namePrefix: "a{16}" has 16 characters; .*targetGroup.*32 characters.*namePrefix may have at most 15/,
    );
  });

  test("a prefix of exactly 15 characters is accepted", () => {
    // WHEN
    const settings = parseSettings({ namePrefix: "a".repeat(15) });
    // THEN
    expect(settings.namePrefix).toHaveLength(15);
  });

  test('the prefix "sg" is rejected: security group names may not start with "sg-"', () => {
    expect(() => parseSettings({ namePrefix: "sg" })).toThrow(/namePrefix: "sg" makes the securityGroup name "sg-.*" start with a prefix AWS reserves/);
  });

  test('the prefix "internal" is rejected: load balancer names may not start with "internal-"', () => {
    expect(() => parseSettings({ namePrefix: "internal" })).toThrow(
      /namePrefix: "internal" makes the loadBalancer name "internal-.*" start with a prefix AWS reserves/,
    );
  });

  test("a prefix ending with a hyphen is rejected", () => {
    expect(() => parseSettings({ namePrefix: "work-" })).toThrow(/namePrefix: "work-" must not end with a hyphen or hold two in a row/);
  });

  test("a prefix with two hyphens in a row is rejected", () => {
    expect(() => parseSettings({ namePrefix: "work--shop" })).toThrow(/namePrefix: "work--shop" must not end with a hyphen or hold two in a row/);
  });

  test("a prefix with uppercase letters is rejected", () => {
    expect(() => parseSettings({ namePrefix: "Workshop" })).toThrow(/namePrefix: "Workshop" must be lowercase letters, digits and hyphens/);
  });
});

describe("errors: database", () => {
  test("PostgreSQL 12, out of standard support, is rejected, listing the supported majors", () => {
    expect(() => parseSettings({ database: { engineVersion: "12" } }, { today: LATE_2026 })).toThrow(
      /database\.engineVersion: "12" is not a PostgreSQL major in RDS standard support; allowed: 14, 15, 16, 17, 18/,
    );
  });

  test("PostgreSQL 13 is rejected once its standard support has ended", () => {
    expect(() => parseSettings({ database: { engineVersion: "13" } }, { today: LATE_2026 })).toThrow(
      /database\.engineVersion: "13" is not a PostgreSQL major in RDS standard support/,
    );
  });

  test("PostgreSQL 13 is accepted while its standard support lasts", () => {
    // WHEN judged on a day before 2026-02-28
    const settings = parseSettings({ database: { engineVersion: "13" } }, { today: new Date("2025-06-01") });
    // THEN
    expect(settings.database.engineVersion).toBe("13");
  });

  test("an engine version that is not a version number is rejected", () => {
    expect(() => parseSettings({ database: { engineVersion: "latest" } })).toThrow(
      /database\.engineVersion: "latest" must be a PostgreSQL major version such as "17"/,
    );
  });

  test("a retired instance class is rejected, suggesting the free-tier ones", () => {
    expect(() => parseSettings({ database: { instanceClass: "db.t2.micro" } })).toThrow(
      /database\.instanceClass: "db\.t2\.micro" is a retired generation; use "db\.t4g\.micro" or "db\.t3\.micro"/,
    );
  });
});

describe("errors: service", () => {
  test("memory that does not pair with the CPU size is rejected, listing the sizes that do", () => {
    expect(() => parseSettings({ service: { cpu: 256, memoryMiB: 4096 } })).toThrow(
      /service\.memoryMiB: 4096 does not pair with cpu 256 on Fargate; allowed: 512, 1024, 2048/,
    );
  });

  test("a CPU value that is not a Fargate size is rejected", () => {
    expect(() => parseSettings({ service: { cpu: 300 } })).toThrow(
      /service\.cpu: 300 is not a Fargate CPU size; allowed: 256, 512, 1024, 2048, 4096, 8192, 16384/,
    );
  });

  test("a log retention CloudWatch does not offer is rejected", () => {
    expect(() => parseSettings({ service: { logRetentionDays: 8 } })).toThrow(
      /service\.logRetentionDays: 8 must be one of the retention periods CloudWatch Logs offers: 1, 3, 5, 7, 14/,
    );
  });
});

describe("errors: autoscaling", () => {
  test("request-count scaling with minCapacity above desiredCount is rejected", () => {
    expect(() => parseSettings({ autoscaling: { requestCount: { minCapacity: 5, desiredCount: 2 } } })).toThrow(
      /autoscaling\.requestCount: minCapacity 5, desiredCount 2, maxCapacity 10 must satisfy minCapacity <= desiredCount <= maxCapacity/,
    );
  });

  test("CPU scaling with desiredCount above maxCapacity is rejected", () => {
    expect(() => parseSettings({ autoscaling: { cpu: { desiredCount: 60 } } })).toThrow(
      /autoscaling\.cpu: minCapacity 2, desiredCount 60, maxCapacity 50 must satisfy minCapacity <= desiredCount <= maxCapacity/,
    );
  });
});

describe("errors: reporting", () => {
  test("problems in the shape of several settings are reported together", () => {
    // WHEN three settings are wrong in shape
    const error = configErrorOf(() => parseSettings({ namePrefix: "Bad", database: { port: 1 }, colour: "blue" }));
    // THEN each is one entry of problems
    expect(error.problems).toHaveLength(3);
    expect(error.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^namePrefix: "Bad"/),
        expect.stringMatching(/^database\.port: 1 /),
        expect.stringMatching(/^colour: unknown setting/),
      ]),
    );
  });

  test("problems across settings are reported together", () => {
    // WHEN two valid-looking settings break AWS rules
    const error = configErrorOf(() => parseSettings({ service: { cpu: 300 }, database: { instanceClass: "db.t2.micro" } }));
    // THEN both are reported
    expect(error.problems).toEqual([expect.stringMatching(/^database\.instanceClass:/), expect.stringMatching(/^service\.cpu:/)]);
  });

  test("the message lists every problem on its own line under the source", () => {
    // WHEN
    const error = configErrorOf(() => parseSettings({ service: { cpu: 300 }, database: { instanceClass: "db.t2.micro" } }, { source: "my.json" }));
    // THEN
    expect(error.message).toMatch(/^Invalid my\.json:\n {2}- database\.instanceClass: .*\n {2}- service\.cpu: /);
  });
});

describe("loadSettings", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "workshop-config-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes `text` to a file in the temp folder and returns its path. */
  function file(name: string, text: string): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }

  test("without WORKSHOP_CONFIG it returns the lesson defaults", () => {
    // WHEN the variable is unset
    const settings = loadSettings({});
    // THEN
    expect(settings).toEqual(defaultSettings());
  });

  test("with WORKSHOP_CONFIG it applies the file's overrides over the defaults", () => {
    // GIVEN a file that changes the NAT mode
    const path = file("settings.json", JSON.stringify({ network: { nat: "perAz" } }));
    // WHEN
    const settings = loadSettings({ [CONFIG_ENV]: path });
    // THEN
    expect(settings.network.nat).toBe("perAz");
    expect(settings.network.cidr).toBe("10.0.0.0/16");
  });

  test("a missing file is an error naming WORKSHOP_CONFIG and the file", () => {
    // GIVEN a path that does not exist
    const path = join(dir, "missing.json");
    // THEN
    expect(() => loadSettings({ [CONFIG_ENV]: path })).toThrow(/WORKSHOP_CONFIG: ".*missing\.json" cannot be read \(ENOENT\)/);
  });

  test("a file that is not JSON is an error naming WORKSHOP_CONFIG", () => {
    // GIVEN
    const path = file("broken.json", "{ network: ");
    // THEN
    expect(() => loadSettings({ [CONFIG_ENV]: path })).toThrow(/WORKSHOP_CONFIG: ".*broken\.json" is not valid JSON/);
  });

  test("a file holding a JSON array is an error naming WORKSHOP_CONFIG", () => {
    // GIVEN
    const path = file("list.json", "[]");
    // THEN
    expect(() => loadSettings({ [CONFIG_ENV]: path })).toThrow(/WORKSHOP_CONFIG: ".*list\.json" must hold a JSON object of settings/);
  });

  test("invalid settings in the file are reported with the file as their source", () => {
    // GIVEN a file with a bad setting
    const path = file("bad.json", JSON.stringify({ network: { nat: "double" } }));
    // THEN
    expect(() => loadSettings({ [CONFIG_ENV]: path })).toThrow(/Invalid settings in .*bad\.json:\n.*network\.nat: "double"/);
  });
});

describe("defaults that follow other settings", () => {
  test("changing only the region moves the zones to that region's first three", () => {
    // GIVEN only a region WHEN parsed THEN its zones are used and the subnets still fit
    const settings = parseSettings({ region: "us-east-1" });
    expect(settings.availabilityZones).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
    expect(settings.network.publicSubnetCidrs).toEqual(["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"]);
  });

  test("two zones get two public and two private subnets carved from the VPC", () => {
    const settings = parseSettings({ availabilityZones: ["eu-west-1a", "eu-west-1b"] });
    expect(settings.network.publicSubnetCidrs).toEqual(["10.0.0.0/24", "10.0.1.0/24"]);
    expect(settings.network.privateSubnetCidrs).toEqual(["10.0.2.0/24", "10.0.3.0/24"]);
  });

  test("another VPC block gets subnets inside it", () => {
    const settings = parseSettings({ network: { cidr: "172.16.0.0/20" } });
    expect(settings.network.publicSubnetCidrs).toEqual(["172.16.0.0/28", "172.16.0.16/28", "172.16.0.32/28"]);
    expect(settings.network.privateSubnetCidrs).toEqual(["172.16.0.48/28", "172.16.0.64/28", "172.16.0.80/28"]);
  });

  test("a VPC too small for the derived subnets says which settings to give", () => {
    const input = { availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"], region: "us-east-1", network: { cidr: "10.0.0.0/27" } };
    expect(() => parseSettings(input)).toThrow(/network\.cidr: "10\.0\.0\.0\/27" has no room for 12 \/28 subnets; give network\.publicSubnetCidrs/);
  });

  test("standard support lasts through its last day", () => {
    expect(parseSettings({ database: { engineVersion: "13" } }, { today: new Date("2026-02-28T18:00:00Z") }).database.engineVersion).toBe("13");
    expect(() => parseSettings({ database: { engineVersion: "13" } }, { today: new Date("2026-03-01T00:00:00Z") })).toThrow(
      /database\.engineVersion: "13" is not a PostgreSQL major in RDS standard support/,
    );
  });

  test("the lesson defaults cannot be changed by a caller", () => {
    expect(() => defaultSettings().network.publicSubnetCidrs.push("10.0.9.0/24")).toThrow(TypeError);
    expect(defaultSettings().network.publicSubnetCidrs).toHaveLength(3);
  });

  test("an unknown key in the s3 backend lists the keys allowed there", () => {
    expect(() => parseSettings({ backend: { type: "s3", bucket: "my-state", tabel: "x" } })).toThrow(
      /backend\.tabel: unknown setting; allowed here: type, bucket, keyPrefix/,
    );
  });

  test("a section given as a list says it must be an object", () => {
    expect(() => parseSettings({ network: ["10.0.0.0/16"] })).toThrow(/network: \["10\.0\.0\.0\/16"\] is a list; must be an object of settings/);
  });
});

describe("combinations", () => {
  test("immutable tags with the tag latest are rejected: the lesson pushes latest again", () => {
    expect(() => parseSettings({ registry: { imageTagMutability: "IMMUTABLE" } })).toThrow(
      /registry\.imageTagMutability: "IMMUTABLE" refuses a second push of service\.imageTag "latest"/,
    );
    expect(parseSettings({ registry: { imageTagMutability: "IMMUTABLE" }, service: { imageTag: "v1" } }).service.imageTag).toBe("v1");
  });

  test("withDefaults keeps a default when the override is undefined", () => {
    expect(withDefaults({ port: 5432, name: "a" }, { port: undefined, name: "b" })).toEqual({ port: 5432, name: "b" });
  });
});
