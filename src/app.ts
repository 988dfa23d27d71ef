/**
 * What the app holds: one stack per lesson stage. main.ts, the npm wrappers and the tools all define the
 * app through this one function, so that they synthesize the same stacks.
 */
import type { Construct } from "constructs";
import type { Settings } from "./config";
import { STAGE_NAMES } from "./naming";
import { addStages } from "./stages";

export interface AppProps {
  readonly settings: Settings;
  /** Offline planning: see WorkshopStageProps.offline. @default false */
  readonly offline?: boolean;
}

/** Every stack of the app, in lesson order. */
export const STACK_NAMES: readonly string[] = STAGE_NAMES;

export function defineApp(app: Construct, props: AppProps): void {
  addStages(app, { settings: props.settings, offline: props.offline ?? false });
}
