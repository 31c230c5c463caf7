/**
 * Atomic file writes: data goes to a temporary file in the target's directory, is flushed to disk, then renamed
 * over the target, so readers (and a resumed run after `kill -9`) see either the old file or the new one.
 *
 * A writer killed mid-write leaves its temporary file `<target>.tmp-<pid>-<8 hex>` behind. Such files are removed
 * by {@link removeStaleTempFiles}, which every write runs once per process on its directory and the caches run on
 * start. A temporary file is stale when it has not been modified for {@link TEMP_GRACE_MS} (a writer modifies it
 * until it renames it, within a fsync) and either its writer process no longer exists on this host (checked in
 * `/proc`) or it has not been modified for {@link TEMP_MAX_AGE_MS} (a reused pid, a writer on another host, or no
 * `/proc`). Nothing else is ever removed: only names of exactly that pattern, only plain files.
 * @module
 */
import { joinPath, parentDir } from "./paths.ts";

/** Temporary files modified more recently than this are never removed (a live writer on another host). */
export const TEMP_GRACE_MS = 60_000;

/** Temporary files untouched this long are removed even when a process with their writer's pid exists. */
export const TEMP_MAX_AGE_MS = 60 * 60_000;

/** `<target>.tmp-<pid>-<8 hex>`, as written by {@link writeFileAtomic}. */
const TEMP_NAME = /^.+\.tmp-(\d+)-[0-9a-f]{8}$/;

/** Whether nothing exists at `path` (other stat errors are thrown). */
export async function isMissing(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return false;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return true;
    throw error;
  }
}

/** Whether process `pid` exists on this host; null where that cannot be told (no `/proc`). */
async function processExists(pid: number): Promise<boolean | null> {
  if (pid === Deno.pid) return true;
  if (await isMissing("/proc/self")) return null;
  return !(await isMissing(`/proc/${pid}`));
}

/**
 * Removes the stale temporary files (see the module documentation) directly in `dir` and returns their paths;
 * a missing directory has none. `now` (ms since the epoch) is for tests.
 */
export async function removeStaleTempFiles(dir: string, now = Date.now()): Promise<string[]> {
  if (await isMissing(dir)) return [];
  const removed: string[] = [];
  for (const entry of await Array.fromAsync(Deno.readDir(dir))) {
    const match = entry.isFile ? TEMP_NAME.exec(entry.name) : null;
    if (!match) continue;
    const path = joinPath(dir, entry.name);
    try {
      const age = now - ((await Deno.stat(path)).mtime?.getTime() ?? now);
      if (age < TEMP_GRACE_MS) continue;
      if (age < TEMP_MAX_AGE_MS && (await processExists(Number(match[1]))) !== false) continue;
      await Deno.remove(path);
      removed.push(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error; // renamed by its writer or removed by another sweep
    }
  }
  return removed;
}

/** Directories this process has swept for stale temporary files. */
const swept = new Set<string>();

/** Appends one chunk to the file being written by {@link writeStreamAtomic}. */
export type WriteChunk = (chunk: Uint8Array) => Promise<void>;

/**
 * Creates `path` atomically from the chunks `produce` writes (for files too large to build in memory), creating
 * parent directories: the chunks go to the temporary file, which is flushed and renamed over `path` only when
 * `produce` has finished. When `produce` throws, the temporary file is removed and `path` is left as it was.
 * Returns what `produce` returns.
 */
export async function writeStreamAtomic<T>(path: string, produce: (write: WriteChunk) => Promise<T>): Promise<T> {
  const dir = parentDir(path);
  await Deno.mkdir(dir, { recursive: true });
  if (!swept.has(dir)) {
    swept.add(dir);
    await removeStaleTempFiles(dir);
  }
  const temp = `${path}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  const file = await Deno.open(temp, { write: true, createNew: true });
  let result: T;
  try {
    result = await produce(async (chunk) => {
      for (let offset = 0; offset < chunk.length;) offset += await file.write(chunk.subarray(offset));
    });
    await file.sync();
  } catch (error) {
    file.close();
    await Deno.remove(temp);
    throw error;
  }
  file.close();
  try {
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp);
    throw new Error(`cannot rename ${temp} to ${path}: ${(error as Error).message}`);
  }
  return result;
}

/** Writes `data` (bytes, or text as UTF-8) to `path` atomically, creating parent directories. */
export function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  return writeStreamAtomic(path, (write) => write(bytes));
}
