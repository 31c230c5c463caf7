/**
 * Binary PGM (`P5`) decode/encode; 16-bit samples are scaled to 8 bits.
 * @module
 */
import { DataError } from "../errors.ts";
import { createImage, type Image } from "./image.ts";
import { checkPixels, type DecodeLimits } from "./limits.ts";

/** True when `bytes` start with the binary PGM magic `P5`. */
export function isPgm(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x50 && bytes[1] === 0x35;
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0b || b === 0x0c;
}

/** Decodes a binary PGM to a 1-channel image; `source` names the file in errors; the header size is checked first. */
export function decodePgm(bytes: Uint8Array, source: string, limits: DecodeLimits = {}): Image {
  const fail = (message: string): never => {
    throw new DataError("decode", source, message);
  };
  if (!isPgm(bytes)) fail("not a binary PGM file (expected magic P5)");
  let pos = 2;
  const field = (name: string): number => {
    for (;;) {
      while (pos < bytes.length && isSpace(bytes[pos])) pos++;
      if (bytes[pos] !== 0x23) break;
      while (pos < bytes.length && bytes[pos] !== 0x0a && bytes[pos] !== 0x0d) pos++;
    }
    const start = pos;
    while (pos < bytes.length && bytes[pos] >= 0x30 && bytes[pos] <= 0x39 && pos - start < 9) pos++;
    if (pos === start) fail(`truncated or malformed header: expected ${name} at byte ${start}`);
    return Number(new TextDecoder().decode(bytes.subarray(start, pos)));
  };
  const width = field("width");
  const height = field("height");
  const maxval = field("maxval");
  checkPixels(width, height, source, limits);
  if (maxval === 0 || maxval > 65535) fail(`maxval ${maxval} outside 1..65535`);
  if (pos >= bytes.length || !isSpace(bytes[pos])) fail("expected one whitespace byte after maxval");
  pos++;
  const sampleBytes = maxval > 255 ? 2 : 1;
  const need = width * height * sampleBytes;
  if (bytes.length - pos < need) {
    fail(`truncated pixel data: expected ${need} bytes for ${width}x${height}, got ${bytes.length - pos}`);
  }
  const image = createImage(width, height, 1);
  for (let i = 0; i < width * height; i++) {
    const v = sampleBytes === 2 ? (bytes[pos + 2 * i] << 8) | bytes[pos + 2 * i + 1] : bytes[pos + i];
    image.data[i] = maxval === 255 ? v : Math.round((Math.min(v, maxval) * 255) / maxval);
  }
  return image;
}

/** Encodes a 1-channel image as binary PGM with maxval 255. */
export function encodePgm(image: Image): Uint8Array {
  if (image.channels !== 1) throw new RangeError(`encodePgm: expected a 1-channel image, got ${image.channels}`);
  const header = new TextEncoder().encode(`P5\n${image.width} ${image.height}\n255\n`);
  const out = new Uint8Array(header.length + image.data.length);
  out.set(header);
  out.set(image.data, header.length);
  return out;
}
