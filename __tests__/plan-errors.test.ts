/**
 * A plan Terraform refuses reads like a settings error: one block with each error's summary, detail and resource,
 * and no stack trace of the tool (npm run plan:offline prints what synth prints for a bad setting).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { TerraformError, UserError } from "../src/common/errors";
import { planFailure } from "../src/terraform/plan";

jest.setTimeout(600_000);

const ROOT = join(__dirname, "..");

/** Two lines of `terraform plan -json` as Terraform 1.11 writes them for an attribute the provider refuses. */
const DIAGNOSTIC = {
  "@level": "error",
  "@message": "Error: Invalid Attribute Value",
  "@module": "terraform.ui",
  diagnostic: {
    severity: "error",
    summary: "Invalid Attribute Value",
    detail: "Attribute cidr_ipv6 value must be a valid IPv6 CIDR that represents a network\naddress, got: 2001:db8::1/64",
    address: "aws_vpc_security_group_ingress_rule.jump-host_ingress-ssh_1A2B3C4D",
    range: { filename: "cdk.tf.json", start: { line: 412, column: 15 } },
  },
  type: "diagnostic",
};
const VERSION = { "@level": "info", "@message": "Terraform 1.11.4", type: "version" };
const STREAM = [VERSION, DIAGNOSTIC, { ...DIAGNOSTIC, diagnostic: { summary: "Missing required argument" } }].map((line) => JSON.stringify(line)).join("\n");

describe("planFailure", () => {
  test("lists each error's summary, detail on one line, resource and place", () => {
    // WHEN a plan's event stream holds two errors
    const error = planFailure("/project/.workshop/offline/stacks/db", STREAM, "");
    // THEN the error is one a command prints without a stack, and names each one
    expect(error).toBeInstanceOf(TerraformError);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(
      [
        "terraform plan failed in /project/.workshop/offline/stacks/db:",
        "  - Invalid Attribute Value: Attribute cidr_ipv6 value must be a valid IPv6 CIDR that represents a network address, got: 2001:db8::1/64 " +
          "(aws_vpc_security_group_ingress_rule.jump-host_ingress-ssh_1A2B3C4D, cdk.tf.json:412)",
        "  - Missing required argument",
      ].join("\n"),
    );
  });

  test("without an error line in the stream, the output is the message", () => {
    expect(planFailure("/stack", "not json\n", "Error: Failed to load plugin schemas\n").message).toBe("terraform plan failed in /stack:\nError: Failed to load plugin schemas");
  });
});

describe("npm run plan:offline with a plan Terraform refuses", () => {
  let project: string;

  beforeAll(() => {
    // GIVEN an empty project folder (the tool writes there, the sources stay the checkout's) and, on the PATH,
    // a terraform 1.11 whose plan refuses an attribute
    project = mkdtempSync(join(tmpdir(), "workshop-plan-errors-"));
    mkdirSync(join(project, "bin"));
    writeFileSync(join(project, "stream.json"), `${STREAM}\n`);
    const fake = join(project, "bin", "terraform");
    writeFileSync(
      fake,
      [
        "#!/bin/sh",
        'case "$1" in',
        `  version) echo '{"terraform_version":"1.11.4"}' ;;`,
        "  init) mkdir -p .terraform ;;",
        `  plan) cat ${JSON.stringify(join(project, "stream.json"))}; exit 1 ;;`,
        "esac",
      ].join("\n"),
    );
    chmodSync(fake, 0o755);
  });

  afterAll(() => rmSync(project, { recursive: true, force: true }));

  test("prints one block naming the resource and the reason, exits 1, and shows no stack trace", () => {
    // WHEN plan:offline plans stage db
    const result = spawnSync(process.execPath, ["--require", join(ROOT, "src/register.js"), join(ROOT, "src/tools/offline-plan.ts"), "db"], {
      cwd: project,
      encoding: "utf8",
      env: { ...process.env, PATH: `${join(project, "bin")}:${dirname(process.execPath)}`, WORKSHOP_CONFIG: "", WORKSHOP_PROVIDER_MIRROR: "off" },
    });
    // THEN the error block names the stage folder, the reason and the resource
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/terraform plan failed in .*stacks\/db:\n {2}- Invalid Attribute Value: Attribute cidr_ipv6 value must be .* got: 2001:db8::1\/64 \(aws_vpc_security_group_ingress_rule\./);
    // AND no line of a Node stack trace
    expect(result.stderr).not.toMatch(/\n\s+at |TerraformError:|Error: terraform/);
  });
});
