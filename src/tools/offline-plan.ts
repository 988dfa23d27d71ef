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

function main(requested: string[]): void {
  const unknown = requested.filter((s) => !(STAGE_NAMES as readonly string[]).includes(s));
  if (unknown.length > 0) throw new ConfigError([`stage: ${unknown.join(", ")} is not a stage; allowed: ${STAGE_NAMES.join(", ")}`], "arguments");
  const stages = (requested.length > 0 ? requested : STAGE_NAMES) as StageName[];
  const projectDir = process.cwd();
  const settings = loadSettings();

  const app = new App({ outdir: join(projectDir, OFFLINE_OUTDIR), skipValidation: false });
  addStages(app, { settings, offline: true });
  app.synth();

  const env = terraformEnv(projectDir, { offline: true });
  for (const stage of stages) {
    const started = Date.now();
    const plan = planStack(join(app.outdir, "stacks", stage), env);
    const total = Object.values(plan.counts).reduce((a, b) => a + b, 0);
    console.log(`\n${stage}: plan OK, ${total} to add (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    for (const [type, count] of Object.entries(plan.counts).sort()) console.log(`  ${String(count).padStart(3)}  ${type}`);
  }
  console.log(`\nPlans are in ${OFFLINE_OUTDIR}/stacks/<stage>/plan.tfplan (terraform show plan.tfplan)`);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
