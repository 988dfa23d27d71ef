/**
 * The house: imports run one way, from the app down to settings and shared helpers, never in a circle, and no
 * file grows past what one reader holds in mind. The graph is read from the sources, type imports included.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const root = join(__dirname, "..");

/** Folders from the bottom up: a module may import its own folder and the folders listed before it. */
const LAYERS = [
  "src/common",
  "src/settings/facts",
  "src/settings",
  "src/terraform",
  "src/policy",
  "src/constructs",
  "src/state",
  "src", // the app, its stages and synthesis
  "src/review",
  "src/tools",
  "main.ts",
];

/** Longest a source file may grow, in lines; data tables are exempt. */
const MAX_LINES = 350;
const DATA_TABLES = ["src/settings.schema.json"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(name) ? [path] : [];
  });
}

/** The project file a relative import names, or undefined for a package. */
function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, `${base}.js`, base, join(base, "index.ts")].find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
}

/** Every project file and the project files it imports, as paths relative to the project. */
function importGraph(): Map<string, string[]> {
  const files = [...sourceFiles(join(root, "src")), join(root, "main.ts")];
  const specifiers = /(?:import|export)\s[^'"]*?from\s+["']([^"']+)["']|require\(["']([^"']+)["']\)/g;
  return new Map(
    files.map((file) => {
      const text = readFileSync(file, "utf8");
      const targets = [...text.matchAll(specifiers)].flatMap((m) => resolveImport(file, m[1] ?? m[2]) ?? []);
      return [relative(root, file), targets.map((target) => relative(root, target))];
    }),
  );
}

/** The layer of a file: the deepest LAYERS folder holding it. */
function layerOf(file: string): number {
  if (file === "main.ts") return LAYERS.indexOf("main.ts");
  const folder = dirname(file);
  const index = LAYERS.filter((layer) => folder === layer || folder.startsWith(`${layer}/`)).sort((a, b) => b.length - a.length)[0];
  return LAYERS.indexOf(index);
}

/** Every circle of imports, as the files on it (Tarjan's strongly connected components). */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (stack.includes(next)) low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

const graph = importGraph();

test("no file imports itself back through others", () => {
  expect(cycles(graph)).toEqual([]);
});

test("imports run down the layers: settings never import constructs, plumbing never imports the app", () => {
  // GIVEN every import between project files
  const upward = [...graph].flatMap(([file, targets]) =>
    targets.filter((target) => layerOf(target) > layerOf(file)).map((target) => `${file} -> ${target}`),
  );
  // THEN none points at a layer above its own
  expect(upward).toEqual([]);
});

test("a settings section imports neither the composition nor another layer's code", () => {
  const sections = [...graph].filter(([file]) => file.startsWith("src/settings/") && file !== "src/settings/index.ts");
  const wrong = sections.flatMap(([file, targets]) => targets.filter((target) => target === "src/settings/index.ts").map((target) => `${file} -> ${target}`));
  expect(wrong).toEqual([]);
});

test("each construct's settings sit beside it under the same name", () => {
  const constructs = ["network", "database", "jump-host", "registry", "autoscaling", "load-balancer/load-balancer", "ecs/service", "ecs/ec2-capacity"];
  const missing = constructs.filter((name) => {
    const section = `src/settings/${name.split("/").pop()}.ts`;
    return !(graph.get(`src/constructs/${name}.ts`) ?? []).includes(section);
  });
  expect(missing).toEqual([]);
});

test(`no source file is longer than ${MAX_LINES} lines, data tables apart`, () => {
  const long = [...graph.keys()]
    .filter((file) => !DATA_TABLES.includes(file))
    .map((file) => [file, readFileSync(join(root, file), "utf8").split("\n").length] as const)
    .filter(([, lines]) => lines > MAX_LINES);
  expect(long).toEqual([]);
});

test("the layer rules are not vacuous: the graph holds the app, the settings and the constructs", () => {
  expect(graph.get("main.ts")).toEqual(expect.arrayContaining(["src/app.ts", "src/settings/index.ts"]));
  expect(graph.get("src/constructs/database.ts")).toContain("src/settings/database.ts");
  expect(layerOf("src/settings/facts/postgres.ts")).toBeLessThan(layerOf("src/settings/database.ts"));
  expect(layerOf("src/constructs/ecs/service.ts")).toBeGreaterThan(layerOf("src/settings/service.ts"));
});
