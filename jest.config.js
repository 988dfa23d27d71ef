// Three levels, each a jest project: construct tests (Testing matchers, no Terraform), and terraform tests
// (real terraform validate/plan per stage, the cdktf CLI, and state against local S3/DynamoDB servers).
const shared = {
  preset: "ts-jest",
  testEnvironment: "node",
  setupFilesAfterEnv: ["<rootDir>/setup.js"],
  // tsconfig's isolatedModules makes ts-jest transpile each file on its own (tsc --noEmit type-checks first).
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  moduleFileExtensions: ["ts", "js", "json"],
  // cdktf's zip library loads on first use only (see the file).
  moduleNameMapper: { "^archiver$": "<rootDir>/__tests__/support/deferred-archiver.js" },
};
// The terraform level, longest first (measured on 2 cores): the run starts them first (support/sequencer.js).
const slow = ["cli", "hcl-plan", "plan", "state", "review-preview", "review-stages", "review-launch-templates"].map((name) => `<rootDir>/__tests__/${name}.test.ts`);

const { cpus } = require("node:os");

module.exports = {
  // Jest's default leaves a core idle (cores - 1); the terraform-level tests mostly wait on subprocesses.
  maxWorkers: Math.max(2, cpus().length),
  reporters: ["default", "<rootDir>/__tests__/support/summary-reporter.js"],
  testSequencer: "<rootDir>/__tests__/support/sequencer.js",
  // One temporary folder per run (TMPDIR), removed at the end: Testing.synth leaves a folder per synth.
  globalSetup: "<rootDir>/__tests__/support/global-setup.js",
  globalTeardown: "<rootDir>/__tests__/support/global-teardown.js",
  projects: [
    { ...shared, displayName: "constructs", testMatch: ["<rootDir>/__tests__/**/*.test.ts"], testPathIgnorePatterns: slow },
    { ...shared, displayName: "terraform", testMatch: slow, setupFilesAfterEnv: [...shared.setupFilesAfterEnv, "<rootDir>/__tests__/support/terraform-each.js"], globalSetup: "<rootDir>/__tests__/support/terraform-setup.js" },
  ],
};
