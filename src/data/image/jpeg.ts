/**
 * JPEG decode through `@jsquash/jpeg` (WASM); always yields RGB. After a decode fails, the decoder module is
 * instantiated afresh: a libjpeg error leaves the old instance in a state where a later, valid-looking file can
 * make it loop forever (found by the fuzz test).
 * @module
 */
import jpegDecode, { init as initJpegDecoder } from "@jsquash/jpeg/decode.js";
import { DataError } from "../errors.ts";
import { fromRgba, type Image } from "./image.ts";
import { describe } from "./png.ts";

/** True when `bytes` start with the JPEG SOI marker. */
export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** Decodes a baseline or progressive JPEG to RGB; `source` names the file in errors. */
export async function decodeJpeg(bytes: Uint8Array, source: string): Promise<Image> {
  if (!isJpeg(bytes)) throw new DataError("decode", source, "not a JPEG file (no SOI marker)");
  if (bytes.length < 128) throw new DataError("decode", source, `truncated JPEG: only ${bytes.length} bytes`);
  let decoded: ImageData;
  try {
    decoded = await jpegDecode(bytes.slice().buffer);
  } catch (error) {
    await initJpegDecoder();
    throw new DataError("decode", source, `corrupt JPEG (${describe(error)})`);
  }
  if (!decoded || decoded.width === 0 || decoded.height === 0) {
    throw new DataError("decode", source, "corrupt JPEG (no image)");
  }
  return fromRgba(decoded.data as Uint8ClampedArray, decoded.width, decoded.height, 3);
}
