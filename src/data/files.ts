/**
 * File access of the data layer, over the host (`src/io/host.ts`): reads that name the file on failure, atomic
 * writes, and the path settings (`FACEBENCH_CACHE`, `FACEBENCH_SHARED_DATA`, `FACEBENCH_BLAZEFACE`).
 * @module
 */
import { DataError } from "./errors.ts";
import { host, type PathInfo } from "../io/host.ts";
import { parentDir } from "../io/paths.ts";
export { joinPath } from "../io/paths.ts";

/** The cache directory's place under the repository root where no `FACEBENCH_CACHE` setting moves it. */
export const DEFAULT_CACHE_FOLDER = ".cache/";

/** The cache directory: setting `FACEBENCH_CACHE`, else {@link DEFAULT_CACHE_FOLDER} in the repository root. */
export function cacheDir(): string {
  return host().setting("FACEBENCH_CACHE") ?? host().repoFile(DEFAULT_CACHE_FOLDER);
}

/** The shared data directory: setting `FACEBENCH_SHARED_DATA`, else `../shared/data` next to the repository. */
export function sharedDataDir(): string {
  return host().setting("FACEBENCH_SHARED_DATA") ?? host().repoFile("../shared/data/");
}

/**
 * The BlazeFace detector model: setting `FACEBENCH_BLAZEFACE` (an ONNX file converted by `tools/tfjs_to_onnx.ts`;
 * the weights are not part of the repository), else null.
 */
export function blazeFaceModelPath(): string | null {
  return host().setting("FACEBENCH_BLAZEFACE") || null;
}

/** True when a file or directory exists. */
export function exists(path: string): Promise<boolean> {
  return host().exists(path);
}

/** What `path` is (links followed), or null when nothing is there; other failures raise a {@link DataError}. */
export async function statPath(path: string): Promise<PathInfo | null> {
  try {
    return await host().stat(path);
  } catch (error) {
    throw new DataError("open", path, error instanceof Error ? error.message : String(error));
  }
}

/** Reads a whole file; a missing or unreadable file raises a {@link DataError} naming it. */
export async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await host().readBytes(path);
  } catch (error) {
    throw new DataError("read", path, error instanceof Error ? error.message : String(error));
  }
}

/** Writes a file atomically (the host's `writeBytesAtomic`), naming the path in a {@link DataError}. */
export async function writeBytesAtomic(path: string, data: Uint8Array): Promise<void> {
  try {
    await host().writeBytesAtomic(path, data);
  } catch (error) {
    throw new DataError("write", path, error instanceof Error ? error.message : String(error));
  }
}

/** Writes UTF-8 text atomically. */
export function writeTextAtomic(path: string, text: string): Promise<void> {
  return writeBytesAtomic(path, new TextEncoder().encode(text));
}

/**
 * Removes the temporary files that killed writers left beside `path` (in its directory; see
 * `removeStaleTempFiles` for which ones count as stale), with one line on stderr per file removed.
 */
export async function cleanStaleTempFilesBeside(path: string): Promise<void> {
  const dir = parentDir(path);
  let removed: string[];
  try {
    removed = await host().removeStaleTempFiles(dir);
  } catch (error) {
    throw new DataError("clean temporary files", dir, error instanceof Error ? error.message : String(error));
  }
  for (const path of removed) console.warn(`removed stale temporary file ${path} (left by an interrupted write)`);
}
