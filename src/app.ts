/**
 * What the app holds: one stack per lesson stage, and with an S3 backend the `state` stack for its bucket. main.ts, the npm wrappers and the tools all define the
 * app through this one function, so that they synthesize the same stacks.
 */
import type { Construct } from "constructs";
import type { Settings } from "./settings/index";
import { STAGE_NAMES } from "./common/naming";
import { addStages } from "./stages";
import { STATE_STACK, addStateStack } from "./state/bootstrap";

export interface AppProps {
  readonly settings: Settings;
  /** Offline planning: see WorkshopStageProps.offline. @default false */
  readonly offline?: boolean;
}

/** Every stack the app can hold: the stages in lesson order, then the state bucket's (with an S3 backend only). */
export const STACK_NAMES: readonly string[] = [...STAGE_NAMES, STATE_STACK];

export function defineApp(app: Construct, props: AppProps): void {
  addStages(app, { settings: props.settings, offline: props.offline ?? false });
  addStateStack(app, { settings: props.settings, offline: props.offline ?? false });
}
