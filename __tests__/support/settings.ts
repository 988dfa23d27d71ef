/** Refused settings, for the tests of what a refusal says. */
import { parseSettings } from "../../src/settings/index";

/** The message a refused input gets; an input that is accepted is an error in the test's setup. */
export function refusal(input: unknown): string {
  try {
    parseSettings(input);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("test setup: the input should be refused");
}
