/**
 * The terms the host's file-system operations speak in (`host.ts`): what a path is, a directory entry, a file open
 * for positioned reads, and the error for a path that is not a regular file. Kept apart from `host.ts` so the hosts
 * that implement it (`deno_host.ts`, which `host.ts` imports as its default) do not import it back.
 * @module
 */

/** What a path is, symbolic links followed. */
export interface PathInfo {
  /** a regular file */
  isFile: boolean;
  /** a directory */
  isDirectory: boolean;
  /** size in bytes */
  size: number;
  /** last modification in ms since the epoch (null where the host cannot tell) */
  modifiedMs: number | null;
}

/** One entry of a directory listing, as listed (symbolic links not followed). */
export interface DirEntry {
  /** file or folder name */
  name: string;
  /** a regular file */
  isFile: boolean;
  /** a directory */
  isDirectory: boolean;
  /** a symbolic link */
  isSymlink: boolean;
}

/** A file opened for positioned reads (synchronous, so a loader can read image by image inside a batch). */
export interface ReadableFile {
  /** its size in bytes when opened */
  readonly size: number;
  /** reads into `out` from byte `offset` until `out` is full or the file ends; returns the bytes read */
  readAt(offset: number, out: Uint8Array): number;
  /** closes it */
  close(): void;
}

/** What {@link Host.openFile} throws when the path exists but is a directory or a special file. */
export class NotAFileError extends Error {
  /** `path` is a `found` ("directory" or "special file") */
  constructor(readonly path: string, readonly found: "directory" | "special file") {
    super(`${path} is a ${found}, not a regular file`);
    this.name = "NotAFileError";
  }
}
