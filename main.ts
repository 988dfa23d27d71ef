// Wiring only: settings -> one stack per stage -> policy checks -> synth. The logic lives in src/.
// `node --require ./src/register.js main.ts [--hcl] [--output <folder>]`; cdktf.json runs the same command for cdktf synth|diff|deploy.
import { defineApp } from "./src/app";
import { loadSettings } from "./src/settings/index";
import { UserError } from "./src/common/errors";
import { parseSynthArgs, synthesize } from "./src/synth";
import { DEPLOY_OUTDIR, offlineMode } from "./src/terraform/config";

async function main(): Promise<void> {
  const { outdir, hcl } = parseSynthArgs(process.argv.slice(2), process.env, DEPLOY_OUTDIR);
  const settings = loadSettings();
  const offline = offlineMode(process.env, outdir);
  const result = await synthesize({ outdir, hcl }, (app) => defineApp(app, { settings, offline }));
  if (result.notices) console.error(result.notices);
  console.log(`Synthesized ${result.stacks.join(", ")} into ${outdir}/stacks (${hcl ? "HCL, cdk.tf" : "Terraform JSON, cdk.tf.json"})`);
}

main().catch((error: unknown) => {
  // Every check runs before anything is published, so an earlier cdktf.out stays intact.
  if (!(error instanceof UserError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
});
