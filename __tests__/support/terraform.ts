/** Terraform-level suites run only where the terraform CLI is; CI without it is a failure, not a skip. */
import { hasTerraform } from "../../src/terraform/run";

export function describeWithTerraform(name: string, suite: () => void): void {
  if (hasTerraform()) return describe(name, suite);
  if (process.env.CI) {
    return describe(name, () => {
      test("needs the terraform CLI on PATH", () => {
        throw new Error("terraform is not on PATH: CI must run the validate/plan/state tests (install Terraform 1.11)");
      });
    });
  }
  console.warn(`\n*** SKIPPED "${name}": terraform is not on PATH, so no real validate/plan ran. Install Terraform to run them. ***\n`);
  describe.skip(name, suite);
}
