// For the test run only: when WORKSHOP_PROVIDER_MIRROR is unset and none of Terraform's implied mirror folders
// holds hashicorp/aws, look for a filesystem mirror in the usual places of build machines, so that a machine
// without a registry (CI) still runs the terraform-level tests. The project's tools never search like this.
const { spawnSync } = require("node:child_process");
const { homedir } = require("node:os");

const ROOTS = ["/opt", "/usr/local", "/usr/share", "/srv", "/var/lib", homedir()];

/** The mirror folder above registry.terraform.io/hashicorp/aws that holds a provider binary, or undefined. */
function findMirror() {
  const run = spawnSync(
    "find",
    [...ROOTS, "-maxdepth", "8", "(", "-name", "node_modules", "-o", "-name", ".terraform", "-o", "-name", "proc", ")", "-prune", "-o",
      "-type", "f", "-name", "terraform-provider-aws_*", "-path", "*/registry.terraform.io/hashicorp/aws/*", "-print"],
    { encoding: "utf8" },
  );
  const binary = (run.stdout || "").split("\n").find(Boolean);
  return binary ? binary.slice(0, binary.indexOf("/registry.terraform.io/")) : undefined;
}

module.exports = { findMirror };
