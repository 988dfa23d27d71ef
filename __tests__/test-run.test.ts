/**
 * The test run itself: its scratch (Testing.synth's cdktf.outdir.* folders land in a folder of the run, removed
 * after it), the stage syntheses its test files share, and the stacks jest prints.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Lazy, Testing } from "cdktf";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { synthStage } from "./support/synth";
import { hashOfSources, runFolder, sharedSynth } from "./support/synth-cache";

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

describe("stage syntheses shared by the run's test files", () => {
  test("a synthesized stage is kept in the run's folder, for the sources as they are", () => {
    // GIVEN a stage with settings no other test uses WHEN it is synthesized
    const text = synthStage("vpc-only", { extraTags: { "test-run": "shared" } });
    // THEN its text is stored in the run's folder, under the hash of src/ as it is now
    const folder = runFolder() as string;
    expect(folder.startsWith(join(process.env.WORKSHOP_TEST_TMPDIR as string, "synth"))).toBe(true);
    expect(folder.endsWith(hashOfSources(join(__dirname, "..", "src")))).toBe(true);
    expect(readdirSync(folder).map((name) => readFileSync(join(folder, name), "utf8"))).toContain(text);
  });

  test("a key already stored is read back, not synthesized again; another key is synthesized", () => {
    // GIVEN a key stored once
    const key = `test-run ${process.pid} ${Date.now()}`;
    const make = jest.fn(() => '{"made": 1}');
    expect(sharedSynth(key, make)).toBe('{"made": 1}');
    // WHEN it is asked for again, as another test file would THEN the stored text comes back without a synth
    expect(sharedSynth(key, () => '{"made": 2}')).toBe('{"made": 1}');
    expect(make).toHaveBeenCalledTimes(1);
    // AND another key is made afresh
    expect(sharedSynth(`${key} other`, () => '{"made": 3}')).toBe('{"made": 3}');
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
