/**
 * Random access to files on disk: raw image cache files (a split's images as one packed NHWC uint8 blob, written
 * atomically and read back image by image, so a loader can work on sets larger than memory), and the opening for
 * positioned reads (through the host) that the importers share.
 * @module
 */
import type { FaceSet } from "./dataset.ts";
import { DataError } from "./errors.ts";
import { writeBytesAtomic } from "./files.ts";
import { host, NotAFileError, type ReadableFile } from "../io/host.ts";

/** Writes a set's pixels as a raw cache file. */
export function writeRawImages(path: string, set: FaceSet): Promise<void> {
  return writeBytesAtomic(path, set.images);
}

/**
 * Opens `path` for positioned reads through the host. A missing file, a directory or anything but a regular file
 * (symbolic links are followed) raises a {@link DataError} naming the path and `expected` (e.g. "a RecordIO file").
 */
export function openRegularFile(path: string, expected: string): ReadableFile {
  try {
    return host().openFile(path);
  } catch (error) {
    if (error instanceof NotAFileError) {
      throw new DataError("open", path, `found a ${error.found}, expected ${expected}`);
    }
    throw new DataError(
      "open",
      path,
      `${error instanceof Error ? error.message : String(error)}; expected ${expected}`,
    );
  }
}

/** Random access to the images of a raw cache file. */
export class RawImageFile {
  readonly #file: ReadableFile;
  readonly #imageBytes: number;

  /** Opens `path`, which must hold exactly `count` images of `height`×`width`×3. */
  constructor(readonly path: string, readonly count: number, readonly height: number, readonly width: number) {
    this.#imageBytes = height * width * 3;
    this.#file = openRegularFile(path, "a raw image cache file");
    const size = this.#file.size;
    if (size !== count * this.#imageBytes) {
      this.#file.close();
      throw new DataError("open", path, `expected ${count * this.#imageBytes} bytes (${count} images), found ${size}`);
    }
  }

  /** Reads image `index` into `out` (`height * width * 3` bytes). */
  read(index: number, out: Uint8Array): void {
    if (!(index >= 0 && index < this.count)) throw new RangeError(`RawImageFile: image ${index} of ${this.count}`);
    if (this.#file.readAt(index * this.#imageBytes, out) < out.length) {
      throw new DataError("read", this.path, `truncated at image ${index}`);
    }
  }

  /** Closes the file. */
  close(): void {
    this.#file.close();
  }
}
