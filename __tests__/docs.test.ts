/** The README and help say what the code does: every setting documented, every command real. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { defaultSettings } from "../src/settings/index";

const root = join(__dirname, "..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const help = readFileSync(join(root, "help"), "utf8");
const scripts = Object.keys((JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts);

/** Dotted paths of every leaf setting: "network.cidr", "autoscaling.cpu.target", ... */
function settingPaths(value: object, prefix = ""): string[] {
  return Object.entries(value).flatMap(([key, inner]) => {
    const path = prefix + key;
    const isGroup = inner !== null && typeof inner === "object" && !Array.isArray(inner) && Object.keys(inner).length > 0;
    return isGroup ? settingPaths(inner as object, `${path}.`) : [path];
  });
}

test("the README's settings reference names every setting", () => {
  const settingsSection = readme.slice(readme.indexOf("## Settings"), readme.indexOf("## Planning offline"));
  const missing = settingPaths(defaultSettings()).filter((path) => {
    const leaf = path.split(".").pop() as string;
    return !settingsSection.includes(`\`${path}\``) && !settingsSection.includes(`.${leaf}\``);
  });
  expect(missing).toEqual([]);
});

test("the README starts with the synth and test commands", () => {
  const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
  expect(firstBlock).toMatch(/^npm ci && npm run synth\b/m);
  expect(firstBlock).toMatch(/^npm test\b/m);
});

test.each([
  ["README.md", readme],
  ["help", help],
])("every npm script %s mentions exists, and help lists every script", (_, text) => {
  const mentioned = [...text.matchAll(/npm run ([a-z:-]+)/g)].map((m) => m[1]);
  expect(mentioned.filter((name) => !scripts.includes(name))).toEqual([]);
  for (const name of scripts) expect(help).toContain(`npm run ${name}`);
});

test("help agrees with .gitignore about generated folders", () => {
  const ignored = readFileSync(join(root, ".gitignore"), "utf8");
  for (const folder of [".gen/", "cdktf.out/", ".workshop/"]) expect(ignored).toContain(folder);
  expect(help).toMatch(/\.gen stays\s+empty and ignored by git/);
});
