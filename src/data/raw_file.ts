/**
 * Raw image cache files: a split's images as one packed NHWC uint8 blob on disk, written atomically and read back
 * whole or image by image (so a loader can work on sets larger than memory).
 * @module
 */
import type { FaceSet } from "./dataset.ts";
import { DataError } from "./errors.ts";
import { writeBytesAtomic } from "./files.ts";

/** Writes a set's pixels as a raw cache file. */
export function writeRawImages(path: string, set: FaceSet): Promise<void> {
  return writeBytesAtomic(path, set.images);
}

/** Random access to the images of a raw cache file. */
export class RawImageFile {
  readonly #file: Deno.FsFile;
  readonly #imageBytes: number;

  /** Opens `path`, which must hold exactly `count` images of `height`×`width`×3. */
  constructor(readonly path: string, readonly count: number, readonly height: number, readonly width: number) {
    this.#imageBytes = height * width * 3;
    let size: number;
    try {
      this.#file = Deno.openSync(path, { read: true });
      size = this.#file.statSync().size;
    } catch (error) {
      throw new DataError("open", path, error instanceof Error ? error.message : String(error));
    }
    if (size !== count * this.#imageBytes) {
      this.#file.close();
      throw new DataError("open", path, `expected ${count * this.#imageBytes} bytes (${count} images), found ${size}`);
    }
  }

  /** Reads image `index` into `out` (`height * width * 3` bytes). */
  read(index: number, out: Uint8Array): void {
    if (!(index >= 0 && index < this.count)) throw new RangeError(`RawImageFile: image ${index} of ${this.count}`);
    this.#file.seekSync(index * this.#imageBytes, Deno.SeekMode.Start);
    let done = 0;
    while (done < out.length) {
      const n = this.#file.readSync(out.subarray(done));
      if (n === null || n === 0) throw new DataError("read", this.path, `truncated at image ${index}`);
      done += n;
    }
  }

  /** Closes the file. */
  close(): void {
    this.#file.close();
  }
}
