/** The test run's scratch: Testing.synth's cdktf.outdir.* folders land in a folder of the run, removed after it. */
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";

const tempDir = require("./support/temp-dir.js") as { setup(): void; teardown(): void };

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
