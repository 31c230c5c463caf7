/**
 * A checkpoint {@link FileStore} backed by a directory: atomic writes, reads that name the missing path.
 * @module
 */
import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic_write.ts";
import type { FileStore } from "../train/checkpoint.ts";

/** A store whose files live in `dir` (created on first write). */
export function directoryStore(dir: string): FileStore {
  return {
    write: (name, data) => writeFileAtomic(join(dir, name), data),
    async read(name) {
      const path = join(dir, name);
      try {
        return await Deno.readFile(path);
      } catch (error) {
        throw new Error(`cannot read ${path}: ${(error as Error).message}`);
      }
    },
    async exists(name) {
      try {
        await Deno.stat(join(dir, name));
        return true;
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return false;
        throw error;
      }
    },
    async remove(name) {
      try {
        await Deno.remove(join(dir, name));
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
    },
  };
}
