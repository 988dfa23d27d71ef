/**
 * The project's way of running the cdktf CLI (npm run deploy|diff|destroy|cdktf). Before the CLI starts,
 * it checks what would otherwise fail late and noisily: the stack names, Terraform on the PATH, a source of
 * AWS credentials, the settings and the policy checks (by synthesizing in-process, with one clean error).
 * The CLI then runs on that output with --skip-synth. When the output is not a terminal, the CLI runs in
 * CI mode and without colours, so logs get plain lines instead of spinner frames.
 */
import { defineApp, STACK_NAMES } from "./app";
import { loadSettings } from "./settings/index";
import { requireCredentials } from "./terraform/credentials";
import { UserError } from "./common/errors";
import { checkStackNames } from "./common/naming";
import { STATE_STACK } from "./state/bootstrap";
import { synthesize } from "./synth";
import { DEPLOY_OUTDIR, OFFLINE_OUTDIR, findProviderMirror, terraformEnv } from "./terraform/config";
import { requireTerraform } from "./terraform/run";

/** Commands that plan or change a stack: they get the checks and run on our own synthesis. */
const STACK_COMMANDS = ["deploy", "destroy", "diff", "plan"];
/** Commands that may run offline. */
const OFFLINE_COMMANDS = ["synth", "diff", "plan"];
/** Flags of those commands that take a value, so that the value is not read as a stack name. */
const VALUE_FLAGS = ["-o", "--output", "--outputs-file", "--parallelism", "--var", "--var-file", "--terraform-parallelism"];

export interface CdktfRun {
  /** Arguments for the cdktf CLI; undefined when nothing is left for it to do (synth). */
  readonly args?: string[];
  readonly env: NodeJS.ProcessEnv;
  /** Lines to print before the CLI starts. */
  readonly notes: string[];
}

/** Stack names among a command's arguments: everything that is neither a flag nor a flag's value. */
export function stackArguments(args: readonly string[]): string[] {
  return args.filter((arg, i) => !arg.startsWith("-") && !VALUE_FLAGS.includes(args[i - 1] ?? ""));
}

export interface CdktfOptions {
  readonly projectDir: string;
  readonly env: NodeJS.ProcessEnv;
  /** Whether standard output is a terminal: if not, the CLI prints plain lines. */
  readonly terminal: boolean;
}

/** Checks and synthesizes for `argv` (["--offline"]? command ...args) and says how to run the cdktf CLI. */
export async function prepareCdktf(argv: readonly string[], options: CdktfOptions): Promise<CdktfRun> {
  const offline = argv[0] === "--offline";
  const [command = "", ...rest] = offline ? argv.slice(1) : argv;
  if (offline && !OFFLINE_COMMANDS.includes(command)) {
    throw new UserError(`--offline: "${command}" cannot run offline; allowed: ${OFFLINE_COMMANDS.join(", ")}`);
  }
  const stacks = checkStackNames(stackArguments(rest), STACK_NAMES);
  const plain = options.terminal ? {} : { CI: options.env.CI || "true", FORCE_COLOR: "0" };
  const env = { ...terraformEnv(options.projectDir, { offline }, options.env), ...plain };
  const notes: string[] = [];
  if (!STACK_COMMANDS.includes(command) && command !== "synth") return { args: [command, ...rest].filter(Boolean), env, notes };

  // Cheapest and most basic first: what to run, the settings, the tools, then the account.
  if (command !== "synth" && stacks.length === 0) {
    throw new UserError(`${command}: name the stack, e.g. npm run ${command} -- alb; the stacks are, in lesson order: ${STACK_NAMES.join(", ")}`);
  }
  const settings = loadSettings(options.env);
  if (stacks.includes(STATE_STACK) && settings.backend.type !== "s3") {
    throw new UserError(`the ${STATE_STACK} stack holds the S3 bucket of an S3 backend; with backend.type "${settings.backend.type}" there is none (see README "State in S3")`);
  }
  if (command !== "synth") {
    requireTerraform(env);
    if (!offline) notes.push(`AWS credentials: ${requireCredentials(command, options.env)}`);
  }
  const outdir = offline ? OFFLINE_OUTDIR : DEPLOY_OUTDIR;
  const result = await synthesize({ outdir: `${options.projectDir}/${outdir}`, hcl: rest.includes("--hcl") }, (app) =>
    defineApp(app, { settings, offline }),
  );
  if (result.notices) notes.push(result.notices);
  notes.push(`Synthesized ${result.stacks.join(", ")} into ${outdir}`);
  if (command === "synth") return { env, notes };

  const flags = ["--skip-synth", "--output", outdir];
  // `terraform providers lock` asks the public registry, whatever the CLI config says: skip it offline
  // and with a mirror, where init has already recorded the checksums of what it installed.
  if (offline || findProviderMirror(options.env)) flags.push("--skip-provider-lock");
  if (!options.terminal) flags.push("--no-color");
  return { args: [command, ...rest.filter((arg) => arg !== "--hcl"), ...flags], env, notes };
}
