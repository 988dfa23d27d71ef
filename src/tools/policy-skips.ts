/**
 * npm run policy:skips                      the skip list: per stage and resource, our waived rule, its checkov
 *                                           and trivy ids, and the reason
 * npm run policy:skips -- --annotate <dir>  writes the skips as inline comments into <dir>/stacks/<stage>/cdk.tf,
 *                                           the output of `npm run synth:hcl -- --output <dir>`
 * npm run policy:skips -- --rules           the rule table in Markdown, for README.md
 * Uses the same settings as the synth (WORKSHOP_CONFIG).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import { loadSettings } from "../settings/index";
import { UserError } from "../common/errors";
import { RULES, checkPolicies, rulesMarkdown } from "../policy";
import { textTable } from "../policy/render";
import { annotateStacks, parseSkipsCommand, skipsOf } from "../policy/skips";
import { addStages } from "../stages";
import { WORK_DIR } from "../terraform/config";

function waivedFindings() {
  // The app is checked, never synthesized; cdktf only insists that its folder exist.
  const outdir = join(WORK_DIR, "policy");
  mkdirSync(outdir, { recursive: true });
  const app = new App({ outdir });
  addStages(app, { settings: loadSettings() });
  return skipsOf(checkPolicies(app));
}

try {
  const command = parseSkipsCommand(process.argv.slice(2));
  if (command.kind === "rules") {
    console.log(rulesMarkdown(RULES));
  } else if (command.kind === "annotate") {
    for (const file of annotateStacks(command.dir, waivedFindings())) console.log(`annotated ${file}`);
  } else {
    const ids = (list: readonly string[]) => list.join(" ") || "-";
    const rows = waivedFindings().map((s) => [s.stack, s.address, s.rule, ids(s.checkov), ids(s.trivy), s.reason]);
    console.log(textTable(["stage", "address", "rule", "checkov", "trivy", "reason"], rows));
  }
} catch (error) {
  if (!(error instanceof UserError)) throw error;
  console.error(error.message);
  process.exit(1);
}
