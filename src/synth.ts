/**
 * Synthesis that never leaves a broken cdktf.out behind. The app is synthesized into a fresh folder next to
 * the output; only when every stack synthesized and passed the policy checks (src/policy) are its files
 * moved into place, each stack folder keeps exactly one format (cdk.tf.json, or cdk.tf with its
 * metadata.json for HCL), and manifest.json is replaced last. What `cdktf deploy` keeps in a stack folder
 * (.terraform, the lock file, plans) stays.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { App, Manifest, TerraformStack } from "cdktf";
import { UserError } from "./common/errors";
import { checkStack, enforcePolicies, renderNotices } from "./policy";
import type { StackJson } from "./policy/stack-view";

/** The files a synthesized stack folder holds in each format. */
const FORMAT_FILES = { json: ["cdk.tf.json"], hcl: ["cdk.tf", "metadata.json"] } as const;

export interface SynthesisOptions {
  /** The folder cdktf reads (cdktf.json "output"). */
  readonly outdir: string;
  /** Write HCL (cdk.tf) instead of Terraform JSON. @default false */
  readonly hcl?: boolean;
}

export interface Synthesis {
  /** Stack names, in the order the app defines them. */
  readonly stacks: string[];
  readonly outdir: string;
  readonly format: "json" | "hcl";
  /** Policy warnings and unused waivers to print, if any. */
  readonly notices?: string;
}

/**
 * Builds an app with `define`, synthesizes it into a scratch folder and publishes the result into
 * `options.outdir`. Anything `define` or the synthesis throws leaves `outdir` as it was.
 */
export async function synthesize(options: SynthesisOptions, define: (app: App) => void): Promise<Synthesis> {
  const outdir = resolve(options.outdir);
  const format = options.hcl ? "hcl" : "json";
  const created = !existsSync(outdir);
  mkdirSync(outdir, { recursive: true });
  // Inside the output folder: the same file system, so publishing is a rename.
  const scratch = mkdtempSync(join(outdir, ".synth-"));
  let published = false;
  try {
    // The app (its manifest) and its stacks (their files) both take the format from the switch.
    const app = withHclSwitch(format === "hcl", () => {
      const built = new App({ outdir: scratch });
      define(built);
      return built;
    });
    app.synth();
    const stacks = app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);
    // The policy checks read the JSON just written (or, for HCL, the stack's JSON): nothing is published on an error.
    const reports = enforcePolicies(
      stacks.map((stack) => {
        const file = join(scratch, Manifest.stacksFolder, stack.node.id, FORMAT_FILES.json[0]);
        return checkStack((format === "json" ? JSON.parse(readFileSync(file, "utf8")) : stack.toTerraform()) as StackJson, stack.node.id);
      }),
    );
    const names = stacks.map((stack) => stack.node.id);
    if (format === "hcl") await formatHcl(scratch, names);
    publish(scratch, outdir, names, format);
    published = true;
    return { stacks: names, outdir, format, notices: renderNotices(reports) };
  } finally {
    rmSync(created && !published ? outdir : scratch, { recursive: true, force: true });
  }
}

/**
 * The App (for its manifest) and each TerraformStack read SYNTH_HCL_OUTPUT when they are constructed (for the
 * stacks, cdktf 0.21 offers no other switch), so the format is set for their construction and restored after.
 */
function withHclSwitch<T>(hcl: boolean, build: () => T): T {
  const before = process.env.SYNTH_HCL_OUTPUT;
  process.env.SYNTH_HCL_OUTPUT = String(hcl);
  try {
    return build();
  } finally {
    if (before === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = before;
  }
}

/** `terraform fmt` style for the HCL files, as `cdktf synth --hcl` does, after the fixes of exactHcl. */
async function formatHcl(scratch: string, stacks: string[]): Promise<void> {
  const { format } = await import("@cdktf/hcl-tools");
  for (const stack of stacks) {
    const file = join(scratch, Manifest.stacksFolder, stack, "cdk.tf");
    writeFileSync(file, await format(exactHcl(readFileSync(file, "utf8"))));
  }
}

/** Meta-arguments whose list items are references, which cdktf's HCL quotes. */
const REFERENCE_LISTS = /^(\s*)(depends_on|ignore_changes|replace_triggered_by) = \[$/;

/**
 * cdktf's HCL says what its JSON says, after two repairs:
 * - a string with line breaks is written as a heredoc (`<<EOF`, its lines, `EOF`), whose value ends with one
 *   line break more than the string: the one before the closing EOF. trimsuffix takes exactly that one back
 *   (a script's hash with user_data_replace_on_change depends on it);
 * - the references in depends_on, ignore_changes and replace_triggered_by are quoted: Terraform refuses that
 *   in replace_triggered_by and warns that quoting is deprecated in the other two. They are written bare.
 */
export function exactHcl(hcl: string): string {
  const heredocs = hcl.replace(/= <<EOF\n([\s\S]*?)\nEOF(?=\n)/g, (_, lines: string) => `= trimsuffix(<<EOF\n${lines}\nEOF\n, "\\n")`);
  let inList = false;
  return heredocs
    .split("\n")
    .map((line) => {
      if (REFERENCE_LISTS.test(line)) inList = true;
      else if (inList && /^\s*\]$/.test(line)) inList = false;
      else if (inList) return line.replace(/^(\s*)"([A-Za-z_][\w.\-]*)"(,?)$/, "$1$2$3");
      return line;
    })
    .join("\n");
}

function publish(scratch: string, outdir: string, stacks: string[], format: "json" | "hcl"): void {
  const stale = format === "json" ? FORMAT_FILES.hcl : FORMAT_FILES.json;
  for (const stack of stacks) {
    const from = join(scratch, Manifest.stacksFolder, stack);
    const to = join(outdir, Manifest.stacksFolder, stack);
    mkdirSync(to, { recursive: true });
    for (const file of FORMAT_FILES[format]) {
      if (existsSync(join(from, file))) moveFile(join(from, file), join(to, file));
    }
    for (const file of stale) rmSync(join(to, file), { force: true });
  }
  moveFile(join(scratch, Manifest.fileName), join(outdir, Manifest.fileName));
}

/** Replaces `to` with `from` in one step: a reader sees the old file or the new one, never half of one. */
function moveFile(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch {
    // Another file system (a mounted cdktf.out): copy next to the target, then rename there.
    cpSync(from, `${to}.partial`);
    renameSync(`${to}.partial`, to);
  }
}

/** The app's command line: `[--hcl] [--output <dir>]`, as `cdktf synth` takes them. */
export function parseSynthArgs(argv: readonly string[], env: NodeJS.ProcessEnv, defaultOutdir: string): SynthesisOptions {
  let outdir = env.CDKTF_OUTDIR ?? defaultOutdir;
  let hcl = env.SYNTH_HCL_OUTPUT === "true";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--hcl") hcl = true;
    else if ((arg === "--output" || arg === "-o") && argv[i + 1] && !argv[i + 1].startsWith("-")) outdir = argv[++i];
    else throw new UserError(`synth: ${JSON.stringify(arg)} is not an option here; allowed: --hcl, --output <folder>`);
  }
  return { outdir, hcl };
}
