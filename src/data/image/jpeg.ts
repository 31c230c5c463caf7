/**
 * JPEG decode through `@jsquash/jpeg` (WASM, mozjpeg); always yields RGB.
 *
 * Damaged files are caught two independent ways, because libjpeg treats much damage as a warning: it prints
 * "Premature end of JPEG file" or "Corrupt JPEG data: …", fills what is missing with grey and returns success.
 * 1. Before decoding, {@link readJpegFrame} walks the marker segments: the file must be complete up to EOI, and
 *    the SOF's declared size is checked against the pixel cap before libjpeg allocates anything.
 * 2. libjpeg's messages are captured from the decoder module's `printErr` (not the global console), and any but a
 *    few harmless metadata warnings ({@link BENIGN_WARNING}) make the decode fail. This catches damage inside the
 *    entropy-coded data that the walk cannot see (e.g. a bad Huffman code, or a premature EOI inside a scan).
 *
 * Decodes run one at a time so each one's messages are its own. After a decode fails, the decoder module is
 * instantiated afresh: a libjpeg error leaves the old instance in a state where a later, valid-looking file can
 * make it loop forever (found by the fuzz test).
 * @module
 */
import jpegDecode, { init as initJpegDecoder } from "@jsquash/jpeg/decode.js";
import { DataError } from "../errors.ts";
import { fromRgba, type Image } from "./image.ts";
import { readJpegFrame } from "./jpeg_structure.ts";
import { checkPixels, type DecodeLimits } from "./limits.ts";
import { describe } from "./png.ts";

/** libjpeg warnings that concern metadata only (JFIF version, Adobe transform code, ICC profile), not pixels. */
export const BENIGN_WARNING =
  /^(Warning: unknown JFIF revision|Unknown Adobe color transform|Corrupt JPEG data: bad ICC)/;

/** Messages libjpeg printed during the current decode. */
const messages: string[] = [];
let started = false;
let queue: Promise<unknown> = Promise.resolve();

function startDecoder(): void {
  initJpegDecoder({ printErr: (text: string) => void messages.push(text.trim()) });
  started = true;
}

/** Runs `task` after every task queued before it has settled. */
function serially<T>(task: () => Promise<T>): Promise<T> {
  const result = queue.then(task);
  queue = result.catch(() => undefined);
  return result;
}

/** True when `bytes` start with the JPEG SOI marker. */
export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** One decode with libjpeg's messages captured; any message but a benign warning is an error naming `source`. */
async function runDecoder(bytes: Uint8Array, source: string): Promise<ImageData> {
  if (!started) startDecoder();
  messages.length = 0;
  let decoded: ImageData;
  try {
    decoded = await jpegDecode(bytes.slice().buffer);
  } catch (error) {
    startDecoder();
    throw new DataError("decode", source, `corrupt JPEG (${[...messages, describe(error)].join("; ")})`);
  }
  const damage = messages.filter((m) => !BENIGN_WARNING.test(m));
  if (damage.length > 0) throw new DataError("decode", source, `damaged JPEG (libjpeg: ${damage.join("; ")})`);
  return decoded;
}

/**
 * Decodes a baseline or progressive JPEG to RGB; `source` names the file in errors. Truncated or damaged files,
 * and frames larger than `limits.maxPixels`, raise a {@link DataError}.
 */
export async function decodeJpeg(bytes: Uint8Array, source: string, limits: DecodeLimits = {}): Promise<Image> {
  const frame = readJpegFrame(bytes, source);
  checkPixels(frame.width, frame.height, source, limits);
  const decoded = await serially(() => runDecoder(bytes, source));
  if (decoded.width !== frame.width || decoded.height !== frame.height) {
    throw new DataError(
      "decode",
      source,
      `corrupt JPEG (decoded ${decoded.width}x${decoded.height}, frame header says ${frame.width}x${frame.height})`,
    );
  }
  return fromRgba(decoded.data as Uint8ClampedArray, decoded.width, decoded.height, 3);
}
