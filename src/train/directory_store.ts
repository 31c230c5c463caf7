/**
 * A checkpoint {@link FileStore} backed by a folder of the host's file system: atomic writes, reads that name the
 * missing path.
 * @module
 */
import { join } from "node:path";
import { host } from "../io/host.ts";
import type { FileStore } from "./checkpoint.ts";

/** A store whose files live in `dir` (created on first write). */
export function directoryStore(dir: string): FileStore {
  return {
    async write(name, data) {
      await host().makeDir(dir);
      await host().writeBytesAtomic(join(dir, name), data);
    },
    async read(name) {
      const path = join(dir, name);
      try {
        return await host().readBytes(path);
      } catch (error) {
        throw new Error(`cannot read ${path}: ${(error as Error).message}`);
      }
    },
    exists: (name) => host().exists(join(dir, name)),
    async remove(name) {
      const path = join(dir, name);
      if (await host().exists(path)) await host().remove(path);
    },
  };
}
