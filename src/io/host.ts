/**
 * The host the engine runs in, behind one small interface: file reads (whole or positioned), atomic writes, the
 * few file-system operations the data importers and the bench's run folder need (stat, directory listings, folders,
 * appends, moves, removal), settings, the facts a report records about the machine, and where progress text goes.
 * The Deno host (`deno_host.ts`) is the default, so every command-line path behaves as before; a browser page
 * installs its own with {@link useHost} before it loads anything (`browser_host.ts`: reads by `fetch`, writes kept in
 * memory for download). Nothing in `src/` outside `src/io` and `src/cli` touches `Deno.*` (a conventions test holds
 * it).
 * @module
 */
import { denoHost } from "./deno_host.ts";
import type { DirEntry, PathInfo, ReadableFile } from "./host_files.ts";
import type { ProgressSink } from "./progress.ts";
export { type DirEntry, NotAFileError, type PathInfo, type ReadableFile } from "./host_files.ts";

/** The runtime and platform a report names (`environment.deno`, `v8`, `typescript`, `os`, `arch`). */
export interface RuntimeFacts {
  /** Deno version, or what stands in for it (e.g. "none (browser)") */
  deno: string;
  /** JavaScript engine version */
  v8: string;
  /** TypeScript version the code was checked or bundled with */
  typescript: string;
  /** operating system */
  os: string;
  /** CPU architecture */
  arch: string;
}

/** What the engine needs from the machine it runs on. */
export interface Host {
  /** one word naming the host in messages ("deno", "browser") */
  readonly name: string;
  /** reads a whole file; a missing or unreadable file rejects with an error naming it */
  readBytes(path: string): Promise<Uint8Array>;
  /** whether a file or directory exists */
  exists(path: string): Promise<boolean>;
  /** writes `data` to `path` atomically (readers see the old file or the new one), creating parent folders */
  writeBytesAtomic(path: string, data: Uint8Array): Promise<void>;
  /** what `path` is (links followed), or null when nothing is there; other failures reject */
  stat(path: string): Promise<PathInfo | null>;
  /** the entries of the directory `dir`, in no particular order */
  listDir(dir: string): Promise<DirEntry[]>;
  /** `path` with symbolic links resolved */
  realPath(path: string): Promise<string>;
  /**
   * opens the regular file at `path` (links followed) for positioned reads; a directory or special file throws
   * `NotAFileError`, a missing or unreadable one the host's error
   */
  openFile(path: string): ReadableFile;
  /** creates the directory `dir` and its missing parents (nothing when it exists) */
  makeDir(dir: string): Promise<void>;
  /** appends `data` to `path`, creating the file when missing (not atomic: for logs and journals) */
  appendBytes(path: string, data: Uint8Array): Promise<void>;
  /** moves `from` to `to` (on the same file system), replacing a file at `to` */
  rename(from: string, to: string): Promise<void>;
  /** removes a file or an empty directory, or with `recursive` a directory and everything in it */
  remove(path: string, options?: { recursive?: boolean }): Promise<void>;
  /** removes the temporary files killed writers left directly in `dir`; returns their paths */
  removeStaleTempFiles(dir: string): Promise<string[]>;
  /** a setting such as `FACEBENCH_CACHE` (an environment variable under Deno), undefined when unset */
  setting(name: string): string | undefined;
  /** the path of a file of the repository, given relative to its root (e.g. `fixtures/data/synthface-ci.json`) */
  repoFile(relative: string): string;
  /** runtime versions, OS and architecture */
  runtime(): RuntimeFacts;
  /** the CPU model name (null where it cannot be told) */
  cpuModel(): Promise<string | null>;
  /** the git commit of the code (null where unknown) */
  gitCommit(): Promise<string | null>;
  /** whether the working tree had uncommitted changes (null where unknown) */
  gitDirty(): Promise<boolean | null>;
  /** where progress text goes by default */
  progressSink(): ProgressSink;
}

let current: Host = denoHost;

/** The host in use (the Deno host unless a page installed another). */
export function host(): Host {
  return current;
}

/** Installs `next` as the host for everything that runs afterwards in this thread. */
export function useHost(next: Host): void {
  current = next;
}
