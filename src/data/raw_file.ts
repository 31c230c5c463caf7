/**
 * Random access to files on disk: raw image cache files (a split's images as one packed NHWC uint8 blob, written
 * atomically and read back image by image, so a loader can work on sets larger than memory), and the opening and
 * positioned reads the importers share.
 * @module
 */
import type { FaceSet } from "./dataset.ts";
import { DataError } from "./errors.ts";
import { writeBytesAtomic } from "./files.ts";

/** Writes a set's pixels as a raw cache file. */
export function writeRawImages(path: string, set: FaceSet): Promise<void> {
  return writeBytesAtomic(path, set.images);
}

/** An open regular file and its size in bytes. */
export interface OpenFile {
  /** The open file (read-only). */
  file: Deno.FsFile;
  /** Its size in bytes when opened. */
  size: number;
}

/**
 * Opens `path` for reading. A missing file, a directory or anything but a regular file (symbolic links are
 * followed) raises a {@link DataError} naming the path and `expected` (e.g. "a RecordIO file").
 */
export function openRegularFile(path: string, expected: string): OpenFile {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch (error) {
    throw new DataError(
      "open",
      path,
      `${error instanceof Error ? error.message : String(error)}; expected ${expected}`,
    );
  }
  if (!info.isFile) {
    throw new DataError(
      "open",
      path,
      `found a ${info.isDirectory ? "directory" : "special file"}, expected ${expected}`,
    );
  }
  try {
    return { file: Deno.openSync(path, { read: true }), size: info.size };
  } catch (error) {
    throw new DataError("open", path, error instanceof Error ? error.message : String(error));
  }
}

/** Reads into `out` from byte `offset` until `out` is full or the file ends; returns the bytes read. */
export function readFullyAt(file: Deno.FsFile, offset: number, out: Uint8Array): number {
  file.seekSync(offset, Deno.SeekMode.Start);
  let done = 0;
  while (done < out.length) {
    const n = file.readSync(out.subarray(done));
    if (!n) break;
    done += n;
  }
  return done;
}

/** Random access to the images of a raw cache file. */
export class RawImageFile {
  readonly #file: Deno.FsFile;
  readonly #imageBytes: number;

  /** Opens `path`, which must hold exactly `count` images of `height`×`width`×3. */
  constructor(readonly path: string, readonly count: number, readonly height: number, readonly width: number) {
    this.#imageBytes = height * width * 3;
    const { file, size } = openRegularFile(path, "a raw image cache file");
    this.#file = file;
    if (size !== count * this.#imageBytes) {
      this.#file.close();
      throw new DataError("open", path, `expected ${count * this.#imageBytes} bytes (${count} images), found ${size}`);
    }
  }

  /** Reads image `index` into `out` (`height * width * 3` bytes). */
  read(index: number, out: Uint8Array): void {
    if (!(index >= 0 && index < this.count)) throw new RangeError(`RawImageFile: image ${index} of ${this.count}`);
    if (readFullyAt(this.#file, index * this.#imageBytes, out) < out.length) {
      throw new DataError("read", this.path, `truncated at image ${index}`);
    }
  }

  /** Closes the file. */
  close(): void {
    this.#file.close();
  }
}
