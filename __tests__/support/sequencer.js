// The order of the test files: the terraform level first, in the order jest.config.js lists it (longest first),
// then the construct level in jest's own order (slowest of the last run first, else the biggest file first).
// Jest's order alone ranks a fresh clone's files by size, which started review-stages (92 lines, minutes of
// Terraform) after every other file and left one worker idle while it ran.
const Sequencer = require("@jest/test-sequencer").default;

class TerraformFirst extends Sequencer {
  sort(tests) {
    const rank = (test) => {
      const { displayName, testMatch } = test.context.config;
      const index = displayName?.name === "terraform" ? testMatch.indexOf(test.path) : -1;
      return index < 0 ? Number.MAX_SAFE_INTEGER : index;
    };
    // Array.prototype.sort is stable: files of equal rank keep jest's order.
    return super.sort(tests).sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = TerraformFirst;
