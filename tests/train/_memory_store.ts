/** An in-memory checkpoint store for the checkpoint tests; `files` exposes what was written. */
import type { FileStore } from "../../src/train/checkpoint.ts";

/** A {@link FileStore} over a Map (writes copy their bytes). */
export function memoryStore(): FileStore & { files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  return {
    files,
    write: (name, data) => Promise.resolve(void files.set(name, data.slice())),
    read: (name) => files.has(name) ? Promise.resolve(files.get(name)!) : Promise.reject(new Error(`no file ${name}`)),
    exists: (name) => Promise.resolve(files.has(name)),
    remove: (name) => Promise.resolve(void files.delete(name)),
  };
}
