/**
 * npm run schema
 * Writes src/settings.schema.json, the JSON Schema of the settings file, from the zod definition in
 * src/settings/. Editors use it to complete and check a settings file that starts with
 * "$schema": "./src/settings.schema.json"; __tests__/schema.test.ts fails when the committed file drifts.
 * Importing this module writes nothing.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { settingsJsonSchema } from "../settings/index";

/** The project root, two levels above this file. */
export const PROJECT_ROOT = join(__dirname, "..", "..");

/** Where the schema is committed, relative to the project root. */
export const SETTINGS_SCHEMA_FILE = "src/settings.schema.json";

/** The schema file's exact text: two-space JSON with a final newline. */
export function renderSettingsSchema(): string {
  return JSON.stringify(settingsJsonSchema(), null, 2) + "\n";
}

/** Writes the schema under `root` and returns the path written. */
export function writeSettingsSchema(root: string = PROJECT_ROOT): string {
  const path = join(root, SETTINGS_SCHEMA_FILE);
  writeFileSync(path, renderSettingsSchema());
  return path;
}

if (require.main === module) {
  console.log(writeSettingsSchema());
}
