/**
 * Reads back a JSON document the constructs wrote with Fn.jsonencode: the synthesized value is the HCL
 * expression "${jsonencode({...})}". Object keys and strings come back as they are; a bare reference such
 * as aws_ecr_repository.x.arn comes back as "${aws_ecr_repository.x.arn}", the form cdktf gives inside strings.
 */
export function decodeJsonencode(expression: unknown): unknown {
  const match = typeof expression === "string" ? /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(expression) : null;
  if (!match) throw new Error(`not a jsonencode expression: ${String(expression)}`);
  const text = match[1];
  let at = 0;
  const skip = () => {
    while (/[\s,]/.test(text[at] ?? "")) at++;
  };
  const fail = (what: string): never => {
    throw new Error(`jsonencode: expected ${what} at ${at}: ${text.slice(at, at + 40)}`);
  };

  const readString = (): string => {
    let out = "";
    let depth = 0; // inside ${ ... } a quote does not end the string
    for (at++; at < text.length; at++) {
      const c = text[at];
      if (c === "\\" && depth === 0) {
        out += JSON.parse(`"${text.slice(at, at + 2)}"`) as string;
        at++;
      } else if (c === '"' && depth === 0) {
        at++;
        return out;
      } else {
        if (c === "$" && text[at + 1] === "{") depth++;
        else if (c === "}" && depth > 0) depth--;
        out += c;
      }
    }
    return fail("a closing quote");
  };

  const readValue = (): unknown => {
    skip();
    const c = text[at];
    if (c === '"') return readString();
    if (c === "{") {
      const object: Record<string, unknown> = {};
      at++;
      for (skip(); text[at] !== "}"; skip()) {
        const key = text[at] === '"' ? readString() : fail("a quoted key");
        skip();
        if (text[at] !== "=") fail('"="');
        at++;
        object[key] = readValue();
      }
      at++;
      return object;
    }
    if (c === "[") {
      const list: unknown[] = [];
      at++;
      for (skip(); text[at] !== "]"; skip()) list.push(readValue());
      at++;
      return list;
    }
    const word = /^[A-Za-z0-9_.\-[\]]+/.exec(text.slice(at))?.[0] ?? fail("a value");
    at += word.length;
    if (word === "true" || word === "false") return word === "true";
    if (word === "null") return null;
    if (/^-?\d+(\.\d+)?$/.test(word)) return Number(word);
    return `\${${word}}`;
  };

  const value = readValue();
  skip();
  if (at !== text.length) fail("the end");
  return value;
}
