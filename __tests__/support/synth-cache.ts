/**
 * Synthesized text shared by every test file and worker of one jest run. Jest gives each test file its own
 * module registry, so without this the same stage with the same settings was synthesized again in each file
 * that reads it. A synth is a pure function of the sources and its key (stage, settings, offline switch), so
 * the text is kept under the run's temporary folder (TMPDIR, removed when the run ends), in a folder named by a
 * hash of every file under src/: an edited source finds an empty folder and synthesizes afresh.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const SOURCES = join(__dirname, "..", "..", "src");

/** sha1 over the relative path and text of every file under `dir`. */
export function hashOfSources(dir: string): string {
  const hash = createHash("sha1");
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  for (const path of files.map((entry) => join(entry.parentPath, entry.name)).sort()) {
    hash.update(`${relative(dir, path)}\0`).update(readFileSync(path)).update("\0");
  }
  return hash.digest("hex");
}

/** The run's folder for this version of the sources (hashed once per test file); none outside a jest run. */
let sourceHash: string | undefined;
export function runFolder(): string | undefined {
  const run = process.env.WORKSHOP_TEST_TMPDIR;
  if (!run) return undefined;
  sourceHash ??= hashOfSources(SOURCES);
  return join(run, "synth", sourceHash);
}

/** The file that holds the text of `key` in `folder`. */
export const entryFile = (folder: string, key: string) => join(folder, `${createHash("sha1").update(key).digest("hex")}.json`);

/** The text stored under `key` in this run, or what `make` returns, stored for the run's other files. */
export function sharedSynth(key: string, make: () => string): string {
  const folder = runFolder();
  if (folder === undefined) return make();
  const file = entryFile(folder, key);
  try {
    return readFileSync(file, "utf8");
  } catch {
    const text = make();
    // Write, then rename: a worker reading at the same time never sees half a file.
    mkdirSync(folder, { recursive: true });
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, text);
    renameSync(partial, file);
    return text;
  }
}
