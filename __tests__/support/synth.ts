/** Helpers shared by the stage tests: synthesize a stage and read its Terraform JSON. */
import { Testing } from "cdktf";
import { parseSettings, type SettingsInput } from "../../src/config";
import { WorkshopStage, type StageName } from "../../src/stages";

export interface TerraformJson {
  provider: { aws: Array<Record<string, unknown>> };
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown }>;
  terraform: { backend?: Record<string, Record<string, unknown>> };
}

export function synthStage(stage: StageName, input: SettingsInput = {}, offline = false): string {
  return Testing.synth(new WorkshopStage(Testing.app(), stage, { settings: parseSettings(input), offline }));
}

export function stageJson(stage: StageName, input: SettingsInput = {}, offline = false): TerraformJson {
  return JSON.parse(synthStage(stage, input, offline)) as TerraformJson;
}

/** Every resource address ("type.name") in the stage. */
export function addresses(json: TerraformJson): string[] {
  return Object.entries(json.resource).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));
}

/** The resources of one type, by logical name. */
export function resources(json: TerraformJson, type: string): Record<string, Record<string, unknown>> {
  return json.resource[type] ?? {};
}

/** "${aws_x.name.attr}" -> "aws_x.name" */
export function referencedAddress(expression: unknown): string | undefined {
  const match = typeof expression === "string" ? /^\$\{([a-z0-9_]+\.[^.}]+)\.[a-z_]+\}$/.exec(expression) : null;
  return match?.[1];
}
