/** Policy reports of the real stages, for the policy tests. */
import { Testing } from "cdktf";
import { parseSettings, type SettingsInput } from "../../src/settings/index";
import { checkPolicies, type PolicyReport } from "../../src/policy";
import { STAGE_NAMES, WorkshopStage, type StageName } from "../../src/stages";
import { addStateStack } from "../../src/state/bootstrap";

/** No terraform on PATH: the lock-file version check has nothing to ask. */
const NO_TERRAFORM = { PATH: "/nonexistent" };

export interface ReportsOptions {
  /** Add the state stack of an S3 backend, as `npm run synth` does (nothing when the backend is not S3). @default false */
  readonly stateStack?: boolean;
}

/** Every policy report of the stages, with the settings given; with `stateStack`, also the state stack's. */
export function reportsOf(input: SettingsInput = {}, stages: readonly StageName[] = STAGE_NAMES, options: ReportsOptions = {}): PolicyReport[] {
  const settings = parseSettings(input);
  const app = Testing.app();
  for (const stage of stages) new WorkshopStage(app, stage, { settings });
  if (options.stateStack) addStateStack(app, { settings, env: NO_TERRAFORM });
  return checkPolicies(app);
}

/** "<stack>: <rule> <address>" of every finding no waiver accepts, and of every waiver that accepts nothing. */
export function open(reports: PolicyReport[]): string[] {
  return reports.flatMap((r) => [
    ...r.findings.filter((f) => f.waiver === undefined).map((f) => `${r.stack}: ${f.rule} ${f.address}`),
    ...r.unusedWaivers.map((w) => `${r.stack}: unused waiver ${w.rule} ${w.address}`),
  ]);
}
