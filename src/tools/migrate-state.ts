/**
 * npm run migrate-state -- <stage>
 * Moves the stage's local state (terraform.<stage>.tfstate) to its key in the S3 bucket the settings name
 * (WORKSHOP_CONFIG with backend.type "s3"), unchanged; refuses when the key holds a different state.
 */
import { loadSettings } from "../settings/index";
import { UserError } from "../common/errors";
import { migrateState } from "../state/migrate";
import { checkTerraformForLocking } from "../state/terraform-version";
import { terraformEnv } from "../terraform/config";

async function main(args: string[]): Promise<void> {
  if (args.length !== 1) throw new UserError("usage: npm run migrate-state -- <stage>   (one stage, e.g. vpc-only)");
  const settings = loadSettings();
  checkTerraformForLocking(settings.backend);
  const projectDir = process.cwd();
  const result = await migrateState({ stage: args[0], settings, projectDir, env: terraformEnv(projectDir, { offline: false }) });
  const what = `serial ${result.serial}, lineage ${result.lineage}, ${result.resources} resources`;
  console.log(
    result.outcome === "migrated"
      ? `Moved the local state of ${args[0]} to s3://${result.bucket}/${result.key} (${what}). The local file stays as a backup; delete it once a plan shows no changes.`
      : `s3://${result.bucket}/${result.key} already holds this state (${what}); nothing to do.`,
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (!(error instanceof UserError)) throw error;
  console.error(error.message);
  process.exit(1);
});
