/**
 * Image files: read (PNG, JPEG, PGM by content) and atomic write (PNG or PGM by extension).
 * @module
 */
import { readBytes, writeBytesAtomic } from "../files.ts";
import { decodeImage, encodeImage, formatOf } from "./codec.ts";
import type { Image } from "./image.ts";
import type { DecodeLimits } from "./limits.ts";

/** Reads and decodes an image file; errors name the file. */
export async function readImage(path: string, limits: DecodeLimits = {}): Promise<Image> {
  return decodeImage(await readBytes(path), path, limits);
}

/** Encodes by extension (`.png`, `.pgm`) and writes atomically. */
export async function writeImage(path: string, image: Image): Promise<void> {
  await writeBytesAtomic(path, await encodeImage(image, formatOf(path)));
}
