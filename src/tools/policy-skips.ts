/**
 * npm run policy:skips                      the skip list: per stage and resource, our waived rule, its checkov
 *                                           and trivy ids, and the reason
 * npm run policy:skips -- --annotate <dir>  writes the skips as inline comments into <dir>/stacks/<stage>/cdk.tf,
 *                                           the output of `npm run synth:hcl -- --output <dir>`
 * npm run policy:skips -- --rules           the rule table in Markdown, for README.md
 * Uses the same settings as the synth (WORKSHOP_CONFIG).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import { loadSettings } from "../config";
import { UserError } from "../errors";
import { RULES, checkPolicies, rulesMarkdown } from "../policy";
import { textTable } from "../policy/render";
import { annotateHcl, skipsOf } from "../policy/skips";
import { addStages } from "../stages";

try {
  const args = process.argv.slice(2);
  const waivedFindings = () => {
    const app = new App({ outdir: join(".workshop", "policy") });
    addStages(app, { settings: loadSettings() });
    return skipsOf(checkPolicies(app));
  };
  if (args[0] === "--rules") {
    console.log(rulesMarkdown(RULES));
  } else if (args[0] === "--annotate") {
    const dir = args[1];
    const skips = waivedFindings();
    if (!dir || !existsSync(join(dir, "stacks"))) {
      throw new UserError(`--annotate: "${dir ?? ""}" holds no stacks/ folder; run npm run synth:hcl -- --output <dir> first`);
    }
    for (const stage of new Set(skips.map((s) => s.stack))) {
      const file = join(dir, "stacks", stage, "cdk.tf");
      if (!existsSync(file)) throw new UserError(`--annotate: ${file} is missing; synthesize with --hcl into ${dir}`);
      writeFileSync(file, annotateHcl(readFileSync(file, "utf8"), skips.filter((s) => s.stack === stage)));
      console.log(`${file}: ${skips.filter((s) => s.stack === stage).length} waived findings annotated`);
    }
  } else if (args.length > 0) {
    throw new UserError(`policy:skips: unknown arguments ${JSON.stringify(args)}; allowed: none, --rules, or --annotate <dir>`);
  } else {
    const skips = waivedFindings();
    const ids = (list: readonly string[]) => list.join(" ") || "-";
    console.log(textTable(["stage", "address", "rule", "checkov", "trivy", "reason"], skips.map((s) => [s.stack, s.address, s.rule, ids(s.checkov), ids(s.trivy), s.reason])));
  }
} catch (error) {
  if (!(error instanceof UserError)) throw error;
  console.error(error.message);
  process.exit(1);
}
