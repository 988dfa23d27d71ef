module.exports = () => require("./temp-dir.js").teardown();
