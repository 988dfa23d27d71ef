/**
 * npm run cdktf -- <command> [args]     e.g. npm run cdktf -- deploy alb
 * npm run cdktf -- --offline diff <stage>
 * Runs the project's cdktf CLI with the project's Terraform CLI config (provider mirror when there is one).
 * --offline adds dummy credentials and the offline switch, synthesizes into .workshop/offline instead of
 * cdktf.out, and skips the provider lock, so that diff works with no AWS account and no registry.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { OFFLINE_OUTDIR, terraformEnv } from "../terraform";

const projectDir = process.cwd();
const args = process.argv.slice(2);
const offline = args[0] === "--offline";
const command = offline ? args.slice(1) : args;
if (offline && !["synth", "diff", "plan"].includes(command[0] ?? "")) {
  console.error(`--offline: "${command[0] ?? ""}" cannot run offline; allowed: synth, diff`);
  process.exit(2);
}
const offlineArgs = offline ? ["--output", OFFLINE_OUTDIR, ...(command[0] === "synth" ? [] : ["--skip-provider-lock"])] : [];
const run = spawnSync(join(projectDir, "node_modules", ".bin", "cdktf"), [...command, ...offlineArgs], {
  stdio: "inherit",
  env: terraformEnv(projectDir, { offline }),
});
process.exit(run.status ?? 1);
