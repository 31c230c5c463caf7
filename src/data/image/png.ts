/**
 * PNG decode/encode through `@jsquash/png` (WASM). Before decoding, the chunk structure is walked here (signature,
 * IHDR fields, lengths, CRCs, IDAT, IEND) so that a corrupt or truncated file gets an error naming the file and the
 * chunk instead of a codec panic.
 * @module
 */
import { decode as pngDecode, encode as pngEncode } from "@jsquash/png";
import { ByteReader } from "../byte_reader.ts";
import { DataError } from "../errors.ts";
import { crc32 } from "./crc32.ts";
import { type Channels, fromRgba, type Image, toRgba } from "./image.ts";
import { checkPixels, type DecodeLimits } from "./limits.ts";

/** The 8-byte PNG signature. */
export const PNG_SIGNATURE = Uint8Array.of(137, 80, 78, 71, 13, 10, 26, 10);

const BIT_DEPTHS: Record<number, number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

/** True when `bytes` start with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

/** Checks the chunk structure; returns the channel count implied by IHDR (and tRNS). */
function validatePng(bytes: Uint8Array, source: string, limits: DecodeLimits): Channels {
  const r = new ByteReader(bytes, "decode", source);
  if (!isPng(bytes)) r.fail("not a PNG file (bad signature)");
  r.offset = 8;
  let colourType = -1;
  let transparency = false;
  let sawIdat = false;
  for (let index = 0;; index++) {
    const length = r.u32be("chunk length");
    const typeBytes = r.take(4, "chunk type");
    const type = String.fromCharCode(...typeBytes);
    if (!/^[A-Za-z]{4}$/.test(type)) r.fail(`bad chunk type at offset ${r.offset - 4}`);
    if (length > 0x7fffffff) r.fail(`${type} chunk length ${length} exceeds 2^31-1`);
    r.need(length + 4, `${type} chunk`);
    const body = r.take(length, `${type} chunk`);
    const crc = r.u32be(`${type} CRC`);
    const crcInput = bytes.subarray(r.offset - 8 - length, r.offset - 4);
    if (crc32(crcInput) !== crc) r.fail(`bad CRC in ${type} chunk`);
    if (index === 0) {
      if (type !== "IHDR" || length !== 13) r.fail("first chunk must be a 13-byte IHDR");
      const view = new DataView(body.buffer, body.byteOffset, 13);
      const width = view.getUint32(0);
      const height = view.getUint32(4);
      const depth = body[8];
      colourType = body[9];
      checkPixels(width, height, source, limits);
      if (!BIT_DEPTHS[colourType]?.includes(depth)) r.fail(`IHDR colour type ${colourType} / bit depth ${depth}`);
      if (body[10] !== 0 || body[11] !== 0 || body[12] > 1) r.fail("IHDR compression/filter/interlace method");
    } else if (type === "IDAT") {
      sawIdat = true;
    } else if (type === "tRNS") {
      transparency = true;
    } else if (type === "IEND") {
      if (!sawIdat) r.fail("no IDAT chunk before IEND");
      break;
    }
  }
  if (colourType === 0) return transparency ? 4 : 1;
  if (colourType === 2 || colourType === 3) return transparency ? 4 : 3;
  return 4;
}

/**
 * Decodes a PNG; `source` names the file in errors. Grey → 1 channel, RGB/palette → 3, non-opaque alpha → 4.
 * The IHDR size is checked against `limits` before anything is decoded.
 */
export async function decodePng(bytes: Uint8Array, source: string, limits: DecodeLimits = {}): Promise<Image> {
  const channels = validatePng(bytes, source, limits);
  let decoded: ImageData;
  try {
    decoded = await pngDecode(bytes.slice().buffer);
  } catch (error) {
    throw new DataError("decode", source, `corrupt PNG image data (${describe(error)})`);
  }
  const rgba = decoded.data as Uint8ClampedArray;
  const opaque = channels === 4 && rgba.every((v, i) => i % 4 !== 3 || v === 255);
  return fromRgba(rgba, decoded.width, decoded.height, opaque ? 3 : channels);
}

/** Encodes an image as an 8-bit RGBA PNG. */
export async function encodePng(image: Image): Promise<Uint8Array> {
  const data = new ImageData(toRgba(image), image.width, image.height);
  return new Uint8Array(await pngEncode(data));
}

/** A readable message from whatever a WASM codec threw. */
export function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\[object Object\]/g, "").trim() || "unknown codec error";
}
