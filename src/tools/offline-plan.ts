/**
 * npm run plan:offline -- [stack ...]
 * Synthesizes the stages with the offline switch into .workshop/offline, then runs a real terraform plan for
 * each (init only where a folder needs it; plan validates), all stages at once, with dummy credentials and the
 * project's provider mirror. Needs no AWS account. The plans use providers lent from the pool (one run each at
 * a time), which starts its first provider while the app synthesizes and stops them all when the tool ends.
 */
import { join } from "node:path";
import { STACK_NAMES, defineApp } from "../app";
import { loadSettings } from "../settings/index";
import { UserError } from "../common/errors";
import { checkStackNames } from "../common/naming";
import { STATE_STACK } from "../state/bootstrap";
import { synthesize } from "../synth";
import { OFFLINE_OUTDIR, terraformEnv } from "../terraform/config";
import { planStack } from "../terraform/plan";
import { boundProviderVersion, closeProviderPools, providerPool } from "../terraform/provider-pool";
import { requireTerraform } from "../terraform/run";

async function main(requested: string[]): Promise<void> {
  checkStackNames(requested, STACK_NAMES);
  const projectDir = process.cwd();
  const env = terraformEnv(projectDir, { offline: true });
  requireTerraform(env);
  providerPool(env, boundProviderVersion())?.warm();
  const settings = loadSettings();
  const outdir = join(projectDir, OFFLINE_OUTDIR);
  const synthesis = await synthesize({ outdir }, (app) => defineApp(app, { settings, offline: true }));
  if (synthesis.notices) console.error(synthesis.notices);
  // Every stack the settings make (the state stack too, with an S3 backend), or the ones asked for.
  const missing = requested.filter((name) => !synthesis.stacks.includes(name));
  if (missing.length > 0) throw new UserError(`${missing.join(", ")}: no such stack with these settings (the ${STATE_STACK} stack needs backend.type "s3")`);
  const stages = requested.length > 0 ? requested : synthesis.stacks;

  const started = Date.now();
  console.error(`Planning ${stages.join(", ")} offline ...`);
  const plans = await Promise.all(
    stages.map(async (stage) => {
      const plan = await planStack(join(outdir, "stacks", stage), env);
      console.error(`  ${stage} planned after ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return plan;
    }),
  );
  plans.forEach((plan, i) => {
    const total = Object.values(plan.counts).reduce((a, b) => a + b, 0);
    console.log(`\n${stages[i]}: plan OK (validated), ${total} to add`);
    for (const [type, count] of Object.entries(plan.counts).sort()) console.log(`  ${String(count).padStart(3)}  ${type}`);
  });
  console.log(`\n${stages.length} stage(s) planned in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`\nPlans are in ${OFFLINE_OUTDIR}/stacks/<stage>/plan.tfplan (terraform show plan.tfplan)`);
}

main(process.argv.slice(2))
  .catch((error: unknown) => {
    console.error(error instanceof UserError ? error.message : error);
    process.exitCode = 1;
  })
  .finally(closeProviderPools);
