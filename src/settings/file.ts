/**
 * Reading a settings file as people write them: UTF-8 with or without a byte-order mark, or UTF-16 (what
 * Windows PowerShell 5.1 writes for `echo '...' > workshop.json`), parsed by a strict JSON reader that
 * refuses what JSON.parse lets slip: a key given twice (JSON.parse keeps the last one without a word),
 * keys such as `__proto__` that mean something to JavaScript, nesting deep enough to crash a parser, and
 * numbers too large to be numbers.
 */

/** Settings files are a few hundred bytes; a larger file is almost surely the wrong file (a state file, a log). */
export const MAX_SETTINGS_BYTES = 256 * 1024;
/** The settings nest four levels; anything far deeper is not a settings file. */
export const MAX_SETTINGS_DEPTH = 32;
/** Keys that JavaScript gives a meaning of its own; a JSON file never needs them. */
const RESERVED_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** What a character that cannot start a JSON value usually means. */
const HINTS: Readonly<Record<string, string>> = {
  "/": " (JSON has no comments)",
  "#": " (JSON has no comments)",
  "'": " (JSON strings and keys use double quotes)",
};

/** A problem with the file itself, before any setting is looked at. */
export class SettingsFileError extends Error {}

/** The file's text, decoded from its bytes; refuses encodings other than UTF-8 and UTF-16 by name. */
export function decodeSettingsFile(bytes: Buffer): string {
  if (bytes.length > MAX_SETTINGS_BYTES) {
    throw new SettingsFileError(
      `is ${(bytes.length / 1024).toFixed(0)} KiB; a settings file is a small JSON object (at most ${MAX_SETTINGS_BYTES / 1024} KiB): is it the right file?`,
    );
  }
  const starts = (...prefix: number[]) => prefix.every((byte, i) => bytes[i] === byte);
  if (starts(0xff, 0xfe, 0, 0) || starts(0, 0, 0xfe, 0xff)) {
    throw new SettingsFileError("is UTF-32; save it as UTF-8");
  }
  if (starts(0xff, 0xfe)) return strictDecode(bytes.subarray(2), "utf-16le");
  if (starts(0xfe, 0xff)) return strictDecode(bytes.subarray(2), "utf-16be");
  if (starts(0xef, 0xbb, 0xbf)) return strictDecode(bytes.subarray(3), "utf-8");
  // UTF-16 without a byte-order mark: JSON starts with an ASCII character, so one of its two bytes is zero.
  if (bytes.length >= 2 && bytes[0] !== 0 && bytes[1] === 0) return strictDecode(bytes, "utf-16le");
  if (bytes.length >= 2 && bytes[0] === 0 && bytes[1] !== 0) return strictDecode(bytes, "utf-16be");
  return strictDecode(bytes, "utf-8");
}

function strictDecode(bytes: Buffer, encoding: "utf-8" | "utf-16le" | "utf-16be"): string {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    const hint = encoding === "utf-8" ? "it is neither UTF-8 nor UTF-16 (a Latin-1 or Windows-1252 file?); save it as UTF-8" : "save it as UTF-8";
    throw new SettingsFileError(`is not valid ${encoding.toUpperCase()}: ${hint}`);
  }
}

/**
 * Parses JSON text like JSON.parse, but refuses duplicate keys, reserved keys, nesting deeper than
 * MAX_SETTINGS_DEPTH and numbers that are not finite. Errors give the line and column.
 */
export function parseStrictJson(text: string): unknown {
  return new StrictJsonReader(text).document();
}

class StrictJsonReader {
  private at = 0;

  constructor(private readonly text: string) {}

  document(): unknown {
    this.space();
    const value = this.value("", 0);
    this.space();
    if (this.at < this.text.length) this.fail("unexpected text after the JSON value");
    return value;
  }

  private value(path: string, depth: number): unknown {
    if (depth > MAX_SETTINGS_DEPTH) this.fail(`nests deeper than ${MAX_SETTINGS_DEPTH} levels; settings nest at most four`);
    const char = this.text[this.at];
    if (char === "{") return this.object(path, depth);
    if (char === "[") return this.array(path, depth);
    if (char === '"') return this.string();
    if (char === "-" || (char >= "0" && char <= "9")) return this.number(path);
    for (const [word, value] of [["true", true], ["false", false], ["null", null]] as const) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return value;
      }
    }
    if (char === undefined) return this.fail("the file ends before the JSON value is complete");
    return this.fail(`unexpected ${JSON.stringify(char)}${HINTS[char] ?? ""}`);
  }

  private object(path: string, depth: number): Record<string, unknown> {
    const result: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    this.at++;
    this.space();
    if (this.eat("}")) return { ...result };
    for (;;) {
      if (this.text[this.at] === "}") this.fail('a comma before "}": JSON allows no trailing comma');
      if (this.text[this.at] !== '"') this.fail(`expected a key in double quotes${HINTS[this.text[this.at]] ?? ""}`);
      const key = this.string();
      const where = path ? `${path}.${key}` : key;
      if (RESERVED_KEYS.has(key)) this.fail(`the key ${JSON.stringify(where)} is not allowed: "${key}" has a special meaning in JavaScript`);
      if (Object.prototype.hasOwnProperty.call(result, key)) {
        this.fail(`the key ${JSON.stringify(where)} is given twice; JSON keeps only the last one, so merge the two`);
      }
      this.space();
      if (!this.eat(":")) this.fail(`expected ":" after the key ${JSON.stringify(where)}`);
      this.space();
      result[key] = this.value(where, depth + 1);
      this.space();
      if (this.eat("}")) return { ...result };
      if (!this.eat(",")) this.fail(`expected "," or "}" after the value of ${JSON.stringify(where)}`);
      this.space();
    }
  }

  private array(path: string, depth: number): unknown[] {
    const result: unknown[] = [];
    this.at++;
    this.space();
    if (this.eat("]")) return result;
    for (;;) {
      if (this.text[this.at] === "]") this.fail('a comma before "]": JSON allows no trailing comma');
      result.push(this.value(`${path}[${result.length}]`, depth + 1));
      this.space();
      if (this.eat("]")) return result;
      if (!this.eat(",")) this.fail(`expected "," or "]" in the list ${path || "at the top level"}`);
      this.space();
    }
  }

  private string(): string {
    const match = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/.exec(this.text.slice(this.at, this.at + 100_000));
    if (!match) this.fail("a string is not closed, or holds a control character or a bad escape");
    this.at += match[0].length;
    return JSON.parse(match[0]) as string;
  }

  private number(path: string): number {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.at, this.at + 1000));
    if (!match) this.fail("a number is malformed");
    const value = Number(match[0]);
    if (!Number.isFinite(value)) this.fail(`${path || "the value"}: ${match[0].slice(0, 20)} is too large to be a number`);
    this.at += match[0].length;
    return value;
  }

  private space(): void {
    while (this.at < this.text.length && " \t\r\n".includes(this.text[this.at])) this.at++;
  }

  private eat(char: string): boolean {
    if (this.text[this.at] !== char) return false;
    this.at++;
    return true;
  }

  private fail(message: string): never {
    const before = this.text.slice(0, this.at).split("\n");
    throw new SettingsFileError(`is not valid JSON at line ${before.length}, column ${before[before.length - 1].length + 1}: ${message}`);
  }
}
