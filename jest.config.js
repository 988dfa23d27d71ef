// Three levels, each a jest project: construct tests (Testing matchers, no Terraform), and terraform tests
// (real terraform validate/plan per stage, the cdktf CLI, and state against local S3/DynamoDB servers).
const shared = {
  preset: "ts-jest",
  testEnvironment: "node",
  setupFilesAfterEnv: ["<rootDir>/setup.js"],
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  moduleFileExtensions: ["ts", "js", "json"],
};
const slow = ["plan", "cli", "state", "review-preview", "review-stages"].map((name) => `<rootDir>/__tests__/${name}.test.ts`);

module.exports = {
  reporters: ["default", "<rootDir>/__tests__/support/summary-reporter.js"],
  projects: [
    { ...shared, displayName: "constructs", testMatch: ["<rootDir>/__tests__/**/*.test.ts"], testPathIgnorePatterns: slow },
    { ...shared, displayName: "terraform", testMatch: slow },
  ],
};
