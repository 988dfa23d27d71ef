/**
 * Results shared by the test files and workers of one jest run. Jest gives each test file its own module
 * registry, so without this the same stage with the same settings was synthesized again in each file that reads
 * it, and both review files planned the lesson's own stages. Such a result is a pure function of the sources and
 * its key, so its text is kept under the run's temporary folder (TMPDIR, removed when the run ends), in a folder
 * named by a hash of every file under src/: an edited source finds an empty folder and makes everything afresh.
 */
import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { writeWhole } from "../../src/common/files";

const SOURCES = join(__dirname, "..", "..", "src");

/** sha1 over the relative path and text of every file under `dir`. */
export function hashOfSources(dir: string): string {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return hashOfFiles(dir, files.map((entry) => relative(dir, join(entry.parentPath, entry.name))));
}

/** sha1 over the given files of `dir`, in sorted order: each one's relative path and text. */
export function hashOfFiles(dir: string, paths: readonly string[]): string {
  const hash = createHash("sha1");
  for (const path of [...paths].sort()) hash.update(`${path}\0`).update(readFileSync(join(dir, path))).update("\0");
  return hash.digest("hex");
}

/** The run's folder for this version of the sources (hashed once per test file); none outside a jest run. */
let sourceHash: string | undefined;
export function runFolder(): string | undefined {
  const run = process.env.WORKSHOP_TEST_TMPDIR;
  if (!run) return undefined;
  sourceHash ??= hashOfSources(SOURCES);
  return join(run, "shared", sourceHash);
}

/** The file that holds the text of `key` in `folder`. */
const entryFile = (folder: string, key: string) => join(folder, `${createHash("sha1").update(key).digest("hex")}.json`);

/**
 * The text stored under `key` in this run, or what `make` returns, stored for the run's other files. Two files
 * that miss at once both make it (a synth takes a fraction of a second), and store the same text.
 */
export function sharedText(key: string, make: () => string): string {
  const folder = runFolder();
  if (folder === undefined) return make();
  const file = entryFile(folder, key);
  try {
    return readFileSync(file, "utf8");
  } catch {
    const text = make();
    mkdirSync(folder, { recursive: true });
    writeWhole(file, text);
    return text;
  }
}

/**
 * As sharedText, for what takes Terraform runs to make: the first file to ask makes it, holding a lock file,
 * and the others wait for its text. If the maker fails, its lock goes and the next waiter makes it itself.
 */
export async function sharedTextOnce(key: string, make: () => Promise<string>): Promise<string> {
  const folder = runFolder();
  if (folder === undefined) return make();
  mkdirSync(folder, { recursive: true });
  const file = entryFile(folder, key);
  const lock = `${file}.lock`;
  for (;;) {
    if (existsSync(file)) return readFileSync(file, "utf8");
    try {
      closeSync(openSync(lock, "wx"));
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    try {
      // (it may have been stored between the look above and taking the lock)
      if (existsSync(file)) return readFileSync(file, "utf8");
      const text = await make();
      writeWhole(file, text);
      return text;
    } finally {
      rmSync(lock, { force: true });
    }
  }
}
