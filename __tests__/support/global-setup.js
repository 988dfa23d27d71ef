// Before the test run: a temporary folder of its own, and a provider mirror when the machine has one but
// neither WORKSHOP_PROVIDER_MIRROR nor Terraform's implied mirror folders point to it (see provider-mirror.js).
module.exports = () => {
  require("./temp-dir.js").setup();
  require("../../src/register.js");
  const { findProviderMirror } = require("../../src/terraform/config");
  if (findProviderMirror(process.env)) return;
  const mirror = require("./provider-mirror.js").findMirror();
  if (mirror) {
    process.env.WORKSHOP_PROVIDER_MIRROR = mirror;
    console.log(`\nProvider mirror for the terraform-level tests: ${mirror}`);
  }
};
