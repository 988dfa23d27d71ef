// archiver (zips for cdktf's TerraformAsset, with lodash, streams and glob behind it: about 200 modules) loads
// on first use, as src/register.js arranges for the app: cdktf requires it eagerly, jest loads every module
// again for each test file, and no test file zips anything. jest.config.js maps "archiver" here.
const { createRequire } = require("node:module");

const path = createRequire(require.resolve("cdktf")).resolve("archiver");
let real;
const target = () => (real ??= require(path));
// A function target, so that calls (archiver("zip", ...)) work as well as property reads.
module.exports = new Proxy(function deferred() {}, {
  get: (_, key) => target()[key],
  has: (_, key) => key in target(),
  apply: (_, self, args) => target().apply(self, args),
});
