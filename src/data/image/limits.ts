/**
 * The per-image pixel cap shared by every codec: each decoder reads the declared size from its header (PNG IHDR,
 * JPEG SOF, PGM header) and checks it here before allocating, so a tiny file cannot declare a huge image.
 * @module
 */
import { DataError } from "../errors.ts";

/** Default largest pixel count of one decoded image: 2^24 (e.g. 4096×4096, ≈ 64 MiB as RGBA while decoding). */
export const DEFAULT_MAX_PIXELS = 1 << 24;

/** Options of the image decoders. */
export interface DecodeLimits {
  /** Largest width × height accepted (default {@link DEFAULT_MAX_PIXELS}); raise it to read larger images. */
  maxPixels?: number;
}

/** Throws a {@link DataError} naming `source` when a declared `width`×`height` is empty or above the cap. */
export function checkPixels(width: number, height: number, source: string, limits: DecodeLimits = {}): void {
  const max = limits.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (width === 0 || height === 0) throw new DataError("decode", source, `declared size ${width}x${height} is empty`);
  if (width * height > max) {
    throw new DataError(
      "decode",
      source,
      `declared size ${width}x${height} = ${width * height} pixels exceeds the limit of ${max} ` +
        `(DecodeLimits.maxPixels, default DEFAULT_MAX_PIXELS in src/data/image/limits.ts)`,
    );
  }
}
