/** Tests read jsonencode documents with the same decoder the policy checks use. */
export { decodeJsonencode } from "../../src/policy/jsonencode";
