// js-yaml 3 ships no types; the tests need only safeLoad.
declare module "js-yaml" {
  export function safeLoad(text: string): unknown;
}
