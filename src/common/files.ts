/** Writing a file so that a process reading it at the same time sees the old file or the new one, never half of one. */
import { renameSync, writeFileSync } from "node:fs";

/** Writes `data` next to `file` under this process's id, then renames it into place. */
export function writeWhole(file: string, data: string | Uint8Array): void {
  const partial = `${file}.${process.pid}`;
  writeFileSync(partial, data);
  renameSync(partial, file);
}
