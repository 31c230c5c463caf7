/**
 * Format detection by magic bytes: one entry point that decodes PNG, JPEG or binary PGM.
 * @module
 */
import { DataError } from "../errors.ts";
import type { Image } from "./image.ts";
import { decodeJpeg, isJpeg } from "./jpeg.ts";
import { decodePgm, encodePgm, isPgm } from "./pgm.ts";
import type { DecodeLimits } from "./limits.ts";
import { decodePng, encodePng, isPng } from "./png.ts";

/** Formats the data layer writes. */
export type ImageFormat = "png" | "pgm";

/**
 * Decodes PNG, JPEG or binary PGM bytes (detected by content, not name); `source` names the file in errors. Every
 * codec checks the size its header declares against `limits.maxPixels` before decoding.
 */
export function decodeImage(bytes: Uint8Array, source: string, limits: DecodeLimits = {}): Promise<Image> {
  if (isPng(bytes)) return decodePng(bytes, source, limits);
  if (isJpeg(bytes)) return decodeJpeg(bytes, source, limits);
  if (isPgm(bytes)) return Promise.resolve().then(() => decodePgm(bytes, source, limits));
  return Promise.reject(new DataError("decode", source, "unknown image format (expected PNG, JPEG or binary PGM)"));
}

/** Encodes an image as PNG or (1-channel only) binary PGM. */
export function encodeImage(image: Image, format: ImageFormat): Promise<Uint8Array> {
  return format === "png" ? encodePng(image) : Promise.resolve().then(() => encodePgm(image));
}

/** The format implied by a file name's extension. */
export function formatOf(path: string): ImageFormat {
  if (/\.png$/i.test(path)) return "png";
  if (/\.pgm$/i.test(path)) return "pgm";
  throw new DataError("write", path, "unsupported extension (expected .png or .pgm)");
}
