// Wiring only: settings -> one stack per stage -> synth. The logic lives in src/.
import { App } from "cdktf";
import { loadSettings } from "./src/config";
import { UserError } from "./src/errors";
import { checkPolicies, renderNotices } from "./src/policy";
import { addStages } from "./src/stages";
import { offlineMode } from "./src/terraform";

try {
  const settings = loadSettings();
  const app = new App();
  addStages(app, { settings, offline: offlineMode(process.env, app.outdir) });
  // Every stack of the app, before anything is written: an unwaived error finding throws PolicyError.
  const notices = renderNotices(checkPolicies(app));
  if (notices) console.error(notices);
  app.synth();
} catch (error) {
  // Nothing has been written yet: every check runs before synth, so an earlier cdktf.out stays intact.
  if (!(error instanceof UserError)) throw error;
  console.error(error.message);
  process.exit(1);
}
