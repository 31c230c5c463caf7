/**
 * File access of the data layer: reads that name the file on failure, atomic writes, and the path settings
 * (`FACEBENCH_CACHE`, `FACEBENCH_SHARED_DATA`, `FACEBENCH_BLAZEFACE`). The only module besides the readers/writers that touches `Deno.*`.
 * @module
 */
import { DataError } from "./errors.ts";
import { dirname } from "node:path";
import { removeStaleTempFiles, writeFileAtomic } from "../io/atomic_write.ts";

const repoRoot = new URL("../../", import.meta.url);

/** Absolute path of a URL or path relative to the repository root. */
function fromRepo(path: string): string {
  return new URL(path, repoRoot).pathname;
}

/** The cache directory: env `FACEBENCH_CACHE`, else `.cache/` in the repository root. */
export function cacheDir(): string {
  return Deno.env.get("FACEBENCH_CACHE") ?? fromRepo(".cache/");
}

/** The shared data directory: env `FACEBENCH_SHARED_DATA`, else `../shared/data` next to the repository. */
export function sharedDataDir(): string {
  return Deno.env.get("FACEBENCH_SHARED_DATA") ?? fromRepo("../shared/data/");
}

/**
 * The BlazeFace detector model: env `FACEBENCH_BLAZEFACE` (an ONNX file converted by `tools/tfjs_to_onnx.ts`; the
 * weights are not part of the repository), else null.
 */
export function blazeFaceModelPath(): string | null {
  return Deno.env.get("FACEBENCH_BLAZEFACE") || null;
}

/** Joins path parts with single slashes. */
export function joinPath(...parts: string[]): string {
  return parts.map((p, i) => (i === 0 ? p.replace(/\/+$/, "") : p.replace(/^\/+|\/+$/g, ""))).join("/");
}

/** True when a file or directory exists. */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** Reads a whole file; a missing or unreadable file raises a {@link DataError} naming it. */
export async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (error) {
    throw new DataError("read", path, error instanceof Error ? error.message : String(error));
  }
}

/** Writes a file atomically (temp file, fsync, rename; see `writeFileAtomic`), naming the path in a {@link DataError}. */
export async function writeBytesAtomic(path: string, data: Uint8Array): Promise<void> {
  try {
    await writeFileAtomic(path, data);
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
  const dir = dirname(path);
  let removed: string[];
  try {
    removed = await removeStaleTempFiles(dir);
  } catch (error) {
    throw new DataError("clean temporary files", dir, error instanceof Error ? error.message : String(error));
  }
  for (const path of removed) console.warn(`removed stale temporary file ${path} (left by an interrupted write)`);
}
