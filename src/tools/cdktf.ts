/**
 * npm run cdktf -- <command> [args]     e.g. npm run cdktf -- deploy alb
 * npm run deploy|diff|destroy -- <stage>
 * npm run diff:offline -- <stage>       (cdktf diff with no AWS account: dummy keys, .workshop/offline)
 * Checks stack names, Terraform, AWS credentials, settings and policies first (see src/cdktf-cli.ts), then runs
 * the project's cdktf CLI with the project's Terraform CLI config on what it synthesized.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { prepareCdktf } from "../cdktf-cli";
import { UserError } from "../common/errors";

async function main(): Promise<number> {
  const projectDir = process.cwd();
  const run = await prepareCdktf(process.argv.slice(2), { projectDir, env: process.env, terminal: process.stdout.isTTY === true });
  for (const note of run.notes) console.log(note);
  if (!run.args) return 0;
  const cli = spawnSync(join(projectDir, "node_modules", ".bin", "cdktf"), run.args, { stdio: "inherit", env: run.env });
  return cli.status ?? 1;
}

main().then(
  (status) => (process.exitCode = status),
  (error: unknown) => {
    if (!(error instanceof UserError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  },
);
