/** Terraform-level suites run only where the terraform CLI is; CI without it is a failure, not a skip. */
import { readdirSync } from "node:fs";
import { MIRROR_ENV, OFFLINE_ENV } from "../../src/terraform/config";
import { planEach, type StagePlan } from "../../src/terraform/plan";
import { POOL_ENV } from "../../src/terraform/provider-pool";
import { hasTerraform } from "../../src/terraform/run";
import { hashOfFiles, sharedTextOnce } from "./run-cache";

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

/**
 * planEach, with each plan shared by the run's test files: plan.test and hcl-plan.test both plan the lesson's
 * stages and some variants from the very same files. A plan is keyed by the text of its folder's Terraform files
 * and the environment that decides how it is made (offline, pool, mirror, AWS settings), so the second file to
 * ask reads what the first planned, and a folder that differs in one byte is planned afresh. The shared entries
 * have no plan file: the folder it was in may be gone.
 */
export async function planEachShared(stacks: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv): Promise<Record<string, SharedPlan>> {
  const how = Object.entries(env).filter(([key]) => key.startsWith("AWS_") || [OFFLINE_ENV, POOL_ENV, MIRROR_ENV].includes(key)).sort();
  const planned = await Promise.all(
    Object.entries(stacks).map(async ([name, dir]) => {
      const terraformFiles = readdirSync(dir).filter((f) => /\.tf(\.json)?$/.test(f));
      const key = `planEach ${hashOfFiles(dir, terraformFiles)} ${JSON.stringify(how)}`;
      const text = await sharedTextOnce(key, async () => {
        const { planFile: _, ...plan } = (await planEach({ [name]: dir }, env))[name];
        return JSON.stringify(plan);
      });
      return [name, JSON.parse(text) as SharedPlan] as const;
    }),
  );
  return Object.fromEntries(planned);
}

export type SharedPlan = Omit<StagePlan, "planFile"> & { readonly shown: string };
