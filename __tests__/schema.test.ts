// The JSON Schema of the settings file: committed, generated from the zod definition, never drifting.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultSettings, parseSettings } from "../src/settings/index";
import { PROJECT_ROOT, SETTINGS_SCHEMA_FILE, renderSettingsSchema, writeSettingsSchema } from "../src/tools/write-schema";

/** The parts of a JSON Schema these tests read. */
interface SchemaNode {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: boolean | SchemaNode;
  readonly required?: readonly string[];
  readonly default?: unknown;
  readonly items?: SchemaNode;
}

const committedPath = join(PROJECT_ROOT, SETTINGS_SCHEMA_FILE);
const committedText = readFileSync(committedPath, "utf8");
const schema = JSON.parse(committedText) as SchemaNode;

/** The schema of a top-level section; fails the test when it is missing. */
function sectionOf(name: string): SchemaNode {
  const node = schema.properties?.[name];
  if (!node) throw new Error(`the schema has no section ${name}`);
  return node;
}

/** Every [dotted path, default] of the leaves under `node`; sections are walked, not compared whole. */
function leafDefaults(node: SchemaNode, path: string[] = []): Array<[string, unknown]> {
  return Object.entries(node.properties ?? {}).flatMap(([key, child]): Array<[string, unknown]> => {
    if (child.type === "object" && child.properties) return leafDefaults(child, [...path, key]);
    return "default" in child ? [[[...path, key].join("."), child.default]] : [];
  });
}

/** The value at a dotted path of the settings. */
function valueAt(settings: object, dotted: string): unknown {
  return dotted.split(".").reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], settings);
}

test("the committed schema equals a fresh rendering of the zod definition", () => {
  // WHEN the schema is rendered from src/settings/ now
  const fresh = renderSettingsSchema();
  // THEN the committed file is identical
  const verdict = committedText === fresh ? "up to date" : `${SETTINGS_SCHEMA_FILE} is out of date: run \`npm run schema\` and commit it`;
  expect(verdict).toBe("up to date");
});

test("the schema tool writes the rendering to src/settings.schema.json under the root it is given", () => {
  // GIVEN an empty project folder with a src directory
  const root = mkdtempSync(join(tmpdir(), "workshop-schema-"));
  try {
    mkdirSync(join(root, "src"));
    // WHEN
    const written = writeSettingsSchema(root);
    // THEN
    expect(written).toBe(join(root, "src", "settings.schema.json"));
    expect(readFileSync(written, "utf8")).toBe(renderSettingsSchema());
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("the schema forbids unknown keys at the top level", () => {
  expect(schema.additionalProperties).toBe(false);
});

test("the schema forbids unknown keys in network", () => {
  expect(sectionOf("network").additionalProperties).toBe(false);
});

test("the schema forbids unknown keys in every section", () => {
  // GIVEN every top-level setting that is an object of named settings
  const sections = Object.entries(schema.properties ?? {}).filter(([, node]) => node.type === "object" && node.properties);
  // THEN each is closed
  expect(sections.map(([name]) => name)).toEqual(["network", "database", "jumpHost", "registry", "service", "ec2Capacity", "loadBalancer", "autoscaling", "serviceDiscovery"]);
  for (const [name, node] of sections) expect({ name, additionalProperties: node.additionalProperties }).toEqual({ name, additionalProperties: false });
});

test("the schema forbids unknown keys in a services entry and in its scaling, and requires only the name", () => {
  const entry = sectionOf("services").items;
  expect(entry?.additionalProperties).toBe(false);
  expect(entry?.required).toEqual(["name"]);
  expect(entry?.properties?.scaling?.additionalProperties).toBe(false);
});

test("the schema requires no setting: every field is optional", () => {
  expect(schema.required ?? []).toEqual([]);
});

test("the schema gives network.cidr the lesson's default", () => {
  expect(sectionOf("network").properties?.cidr?.default).toBe("10.0.0.0/16");
});

test("every default in the schema is the value the loader fills in", () => {
  // GIVEN every leaf default the schema announces
  const defaults = leafDefaults(schema);
  // THEN each equals the corresponding lesson default
  expect(defaults.length).toBeGreaterThan(40);
  for (const [path, value] of defaults) expect({ path, value }).toEqual({ path, value: valueAt(defaultSettings(), path) });
});

test('a settings file that names the schema with "$schema" is accepted', () => {
  // GIVEN a settings file as an editor would write it
  const input: unknown = JSON.parse('{ "$schema": "./src/settings.schema.json", "network": { "nat": "single" } }');
  // WHEN
  const settings = parseSettings(input);
  // THEN the override applies and the schema reference does not disturb anything
  expect(settings.network.nat).toBe("single");
  expect(settings.$schema).toBe("./src/settings.schema.json");
});
