// Wiring only: settings -> one stack per stage -> synth. The logic lives in src/.
import { App } from "cdktf";
import { loadSettings } from "./src/config";
import { UserError } from "./src/errors";
import { addStages } from "./src/stages";
import { addStateStack } from "./src/state/bootstrap";
import { offlineMode } from "./src/terraform";

try {
  const settings = loadSettings();
  const app = new App();
  addStages(app, { settings, offline: offlineMode(process.env, app.outdir) });
  addStateStack(app, { settings, offline: offlineMode(process.env, app.outdir) });
  app.synth();
} catch (error) {
  // Nothing has been written yet: every check runs before synth, so an earlier cdktf.out stays intact.
  if (!(error instanceof UserError)) throw error;
  console.error(error.message);
  process.exit(1);
}
