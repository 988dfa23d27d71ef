// jest globalSetup/globalTeardown: every test run gets its own temporary folder (TMPDIR), removed at the end,
// so the cdktf.outdir.* folders that Testing.synth leaves behind, and any other scratch, go with it.
const { mkdtempSync, rmSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");

const KEY = "WORKSHOP_TEST_TMPDIR";

module.exports = {
  setup() {
    const dir = mkdtempSync(join(tmpdir(), "workshop-jest-"));
    process.env[KEY] = dir;
    process.env.TMPDIR = dir;
  },
  teardown() {
    if (process.env[KEY]) rmSync(process.env[KEY], { recursive: true, force: true });
  },
};
