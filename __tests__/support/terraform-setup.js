// Before a run with terraform-level tests (that project's globalSetup): a provider mirror when the machine has one
// but neither WORKSHOP_PROVIDER_MIRROR nor Terraform's implied mirror folders point to it (see provider-mirror.js).
// The search reads several system folders, so a run of the construct level alone skips it.
module.exports = () => {
  require("../../src/register.js");
  const { findProviderMirror } = require("../../src/terraform/config");
  if (findProviderMirror(process.env)) return;
  const mirror = require("./provider-mirror.js").findMirror();
  if (mirror) {
    process.env.WORKSHOP_PROVIDER_MIRROR = mirror;
    console.log(`\nProvider mirror for the terraform-level tests: ${mirror}`);
  }
};
