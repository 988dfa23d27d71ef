// Before the test run: a temporary folder of its own (temp-dir.js). The terraform level adds its provider
// mirror in terraform-setup.js, which jest runs only when a test of that level is in the run.
module.exports = () => require("./temp-dir.js").setup();
