// cdktf records where every token was made: Error.captureStackTrace on a plain object ({ stack: "" }), read at
// once, with no limit on depth. Under jest that text goes through source-map-support, which reads and parses
// the inline source map of every cdktf file on the stack again in each test file: more than a third of the
// construct level's time. Those creation stacks only ever appear in cdktf's own error messages, so they get
// V8's plain frames here, the nearest ten; real errors (anything but a plain object) keep jest's source-mapped
// stacks. Set before cdktf loads: its modules make tokens as they load.
const CREATION_FRAMES = 10;
const plain = (error, frames) => `${error}${frames.map((frame) => `\n    at ${frame}`).join("")}`;
const mapped = Error.prepareStackTrace ?? plain;
Error.prepareStackTrace = (error, frames) =>
  error !== null && typeof error === "object" && Object.getPrototypeOf(error) === Object.prototype
    ? plain(error, frames.slice(0, CREATION_FRAMES))
    : mapped(error, frames);

// Registers cdktf's jest matchers (toHaveResource, toHaveResourceWithProperties, toBeValidTerraform, ...), what
// Testing.setupJest() does, from the module that holds them: a test file that builds no stack loads 15 of cdktf's
// modules instead of all of them.
require("cdktf/lib/testing/adapters/jest").setupJest();
