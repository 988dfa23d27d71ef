// Registers cdktf's jest matchers (toHaveResource, toHaveResourceWithProperties, toBeValidTerraform, ...).
const cdktf = require("cdktf");
cdktf.Testing.setupJest();
