/**
 * npm run plan:offline -- [stage ...]
 * Synthesizes the stages with the offline switch into .workshop/offline, then runs a real terraform init,
 * validate and plan for each, with dummy credentials and the project's provider mirror. Needs no AWS account.
 */
import { join } from "node:path";
import { App } from "cdktf";
import { ConfigError, loadSettings } from "../config";
import { STAGE_NAMES, addStages, type StageName } from "../stages";
import { OFFLINE_OUTDIR, planStack, terraformEnv } from "../terraform";

async function main(requested: string[]): Promise<void> {
  const unknown = requested.filter((s) => !(STAGE_NAMES as readonly string[]).includes(s));
  if (unknown.length > 0) throw new ConfigError([`stage: ${unknown.join(", ")} is not a stage; allowed: ${STAGE_NAMES.join(", ")}`], "arguments");
  const stages = (requested.length > 0 ? requested : STAGE_NAMES) as StageName[];
  const projectDir = process.cwd();
  const settings = loadSettings();

  const app = new App({ outdir: join(projectDir, OFFLINE_OUTDIR) });
  addStages(app, { settings, offline: true });
  app.synth();

  const env = terraformEnv(projectDir, { offline: true });
  const started = Date.now();
  // Stages plan concurrently; each is its own folder with its own state.
  const plans = await Promise.all(stages.map((stage) => planStack(join(app.outdir, "stacks", stage), env)));
  plans.forEach((plan, i) => {
    const total = Object.values(plan.counts).reduce((a, b) => a + b, 0);
    console.log(`\n${stages[i]}: validate and plan OK, ${total} to add`);
    for (const [type, count] of Object.entries(plan.counts).sort()) console.log(`  ${String(count).padStart(3)}  ${type}`);
  });
  console.log(`\n${stages.length} stage(s) planned in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`\nPlans are in ${OFFLINE_OUTDIR}/stacks/<stage>/plan.tfplan (terraform show plan.tfplan)`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
