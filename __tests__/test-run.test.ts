/**
 * The test run itself: its scratch (Testing.synth's cdktf.outdir.* folders land in a folder of the run, removed
 * after it), the results its test files share, the stacks jest prints, and the order of the files.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Lazy, Testing } from "cdktf";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { synthStage } from "./support/synth";
import { hashOfSources, runFolder, sharedText, sharedTextOnce } from "./support/run-cache";

const tempDir = require("./support/temp-dir.js") as { setup(): void; teardown(): void };

describe("the run's temporary folder", () => {
  test("Testing.synth writes into the run's own temporary folder", () => {
    // GIVEN the run's folder
    const runDir = process.env.WORKSHOP_TEST_TMPDIR as string;
    expect(tmpdir()).toBe(runDir);
    // WHEN a stack is synthesized the way the construct tests do it
    Testing.synthScope((scope) => new Vpc(scope, "vpc", { cidrBlock: "10.0.0.0/16" }));
    // THEN cdktf's scratch folder is inside it
    expect(readdirSync(runDir).some((name) => name.startsWith("cdktf.outdir."))).toBe(true);
  });

  test("teardown removes the run's folder with everything in it", () => {
    // GIVEN a fresh run folder with a leftover inside, made by setup (the environment restored after)
    const saved = { ...process.env };
    try {
      tempDir.setup();
      const dir = process.env.WORKSHOP_TEST_TMPDIR as string;
      mkdirSync(join(dir, "cdktf.outdir.leftover"));
      // WHEN the run ends
      tempDir.teardown();
      // THEN nothing of it is left
      expect(existsSync(dir)).toBe(false);
    } finally {
      process.env = saved;
    }
  });
});

describe("results shared by the run's test files", () => {
  test("a synthesized stage is kept in the run's folder, for the sources as they are", () => {
    // GIVEN a stage with settings no other test uses WHEN it is synthesized
    const text = synthStage("vpc-only", { extraTags: { "test-run": "shared" } });
    // THEN its text is stored in the run's folder, under the hash of src/ as it is now
    const folder = runFolder() as string;
    expect(folder.startsWith(join(process.env.WORKSHOP_TEST_TMPDIR as string, "shared"))).toBe(true);
    expect(folder.endsWith(hashOfSources(join(__dirname, "..", "src")))).toBe(true);
    expect(readdirSync(folder).map((name) => readFileSync(join(folder, name), "utf8"))).toContain(text);
  });

  test("a key already stored is read back, not synthesized again; another key is synthesized", () => {
    // GIVEN a key stored once
    const key = `test-run ${process.pid} ${Date.now()}`;
    const make = jest.fn(() => '{"made": 1}');
    expect(sharedText(key, make)).toBe('{"made": 1}');
    // WHEN it is asked for again, as another test file would THEN the stored text comes back without a synth
    expect(sharedText(key, () => '{"made": 2}')).toBe('{"made": 1}');
    expect(make).toHaveBeenCalledTimes(1);
    // AND another key is made afresh
    expect(sharedText(`${key} other`, () => '{"made": 3}')).toBe('{"made": 3}');
  });

  test("what takes Terraform runs is made once while others wait for it; a maker that fails leaves it to the next", async () => {
    // GIVEN three files asking for the same key at once, the first maker slow
    const key = `test-run once ${process.pid} ${Date.now()}`;
    let makes = 0;
    const slowly = (text: string) => async () => {
      makes++;
      await new Promise((resolve) => setTimeout(resolve, 150));
      return text;
    };
    // WHEN they ask THEN all get the first maker's text, made once
    expect(await Promise.all([sharedTextOnce(key, slowly("first")), sharedTextOnce(key, slowly("second")), sharedTextOnce(key, slowly("third"))])).toEqual([
      "first",
      "first",
      "first",
    ]);
    expect(makes).toBe(1);
    // AND when the first maker of another key fails, the one waiting makes it and gets its own text
    const failing = sharedTextOnce(`${key} failing`, async () => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      throw new Error("terraform failed");
    });
    const waiting = sharedTextOnce(`${key} failing`, async () => "made by the waiter");
    await expect(failing).rejects.toThrow("terraform failed");
    expect(await waiting).toBe("made by the waiter");
  });

  test("an edited, added or removed source file changes the hash that names the folder", () => {
    // GIVEN a source tree and its hash
    const dir = mkdtempSync(join(tmpdir(), "sources-"));
    try {
      mkdirSync(join(dir, "constructs"));
      writeFileSync(join(dir, "constructs", "network.ts"), "export const cidr = '10.0.0.0/16';\n");
      const before = hashOfSources(dir);
      // WHEN a file is edited THEN the hash changes, and comes back when the edit is undone
      writeFileSync(join(dir, "constructs", "network.ts"), "export const cidr = '10.1.0.0/16';\n");
      expect(hashOfSources(dir)).not.toBe(before);
      writeFileSync(join(dir, "constructs", "network.ts"), "export const cidr = '10.0.0.0/16';\n");
      expect(hashOfSources(dir)).toBe(before);
      // AND a file added or renamed changes it too
      writeFileSync(join(dir, "stages.ts"), "");
      expect(hashOfSources(dir)).not.toBe(before);
      rmSync(join(dir, "stages.ts"));
      writeFileSync(join(dir, "constructs", "vpc.ts"), readFileSync(join(dir, "constructs", "network.ts")));
      rmSync(join(dir, "constructs", "network.ts"));
      expect(hashOfSources(dir)).not.toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A type the compiler erases, so that the lines below it move up in the JavaScript jest runs. */
interface ErasedFromTheOutput {
  readonly one: string;
  readonly two: string;
  readonly three: string;
}

describe("stacks in the test run", () => {
  test("an error's stack points at the TypeScript line that made it (jest's source maps)", () => {
    const shape: ErasedFromTheOutput = { one: "1", two: "2", three: "3" };
    const error = new Error(shape.one); // the line the stack must name
    const line = readFileSync(__filename, "utf8").split("\n").findIndex((text) => text.includes("// the line the stack must name")) + 1;
    expect(error.stack).toContain(`test-run.test.ts:${line}:`);
  });

  test("cdktf's token creation stacks are plain and short, and name the code that made the token", () => {
    const token = Lazy.anyValue({ produce: () => "value" });
    expect(token.creationStack.length).toBeGreaterThan(0);
    expect(token.creationStack.length).toBeLessThanOrEqual(10);
    expect(token.creationStack.some((frame) => frame.includes("test-run.test.ts"))).toBe(true);
  });
});

describe("the order of the test files", () => {
  test("the terraform level starts first, longest first as jest.config.js lists it; the construct files follow in jest's order", () => {
    // GIVEN a fresh clone's files (no timings of an earlier run): the terraform level's, and three construct files
    const TerraformFirst = require("./support/sequencer.js") as new () => { sort<T>(tests: T[]): T[] };
    const projects = (require("../jest.config.js") as { projects: Array<{ displayName: string; testMatch: string[] }> }).projects;
    const root = join(__dirname, "..");
    const [constructs, terraform] = ["constructs", "terraform"].map((name) => {
      const project = projects.find((p) => p.displayName === name) as { testMatch: string[] };
      return { displayName: { name }, testMatch: project.testMatch.map((glob) => glob.replace("<rootDir>", root)), cache: false };
    });
    const sizes: Record<string, number> = {};
    const file = (name: string, config: typeof constructs, size: number) => {
      const path = join(root, "__tests__", `${name}.test.ts`);
      sizes[path] = size;
      return { path, context: { config, hasteFS: { getSize: (p: string) => sizes[p] } } };
    };
    const tests = [
      file("cidr", constructs, 10),
      file("plan", terraform, 300),
      file("service", constructs, 600),
      file("review-stages", terraform, 90),
      file("state", terraform, 550),
      file("config", constructs, 580),
      file("review-preview", terraform, 170),
      file("cli", terraform, 230),
    ];
    // WHEN they are ordered
    const order = new TerraformFirst().sort(tests).map((t) => t.path.replace(/^.*__tests__\/(.*)\.test\.ts$/, "$1"));
    // THEN the terraform level comes first as listed (longest first), then the construct files, biggest first
    const listed = terraform.testMatch.map((path) => path.replace(/^.*__tests__\/(.*)\.test\.ts$/, "$1"));
    expect(listed.slice(0, 3)).toEqual(["cli", "hcl-plan", "plan"]);
    const given = ["plan", "review-stages", "state", "review-preview", "cli"];
    expect(order).toEqual([...listed.filter((name) => given.includes(name)), "service", "config", "cidr"]);
  });
});
