/**
 * Test-only writers of the formats the importers read: MXNet RecordIO (`.rec` + `.idx`, with record splitting at
 * embedded magic words) and Python pickles of `.bin` verification sets (protocol 2 and 4 opcodes).
 * @module
 */
import { IR_HEADER_BYTES, RECORDIO_MAGIC } from "../../src/data/importers/recordio.ts";

/** Packs an `IRHeader` (flag, label(s), id, id2) and a payload, as `mx.recordio.pack`. */
export function packRecord(label: number | number[], id: number, payload: Uint8Array): Uint8Array {
  const labels = Array.isArray(label) ? label : [label];
  const flag = Array.isArray(label) ? labels.length : 0;
  const out = new Uint8Array(IR_HEADER_BYTES + 4 * flag + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, flag, true);
  view.setFloat32(4, flag ? 0 : labels[0], true);
  view.setUint32(8, id, true);
  view.setUint32(16, 0, true);
  labels.forEach((l, i) => flag && view.setFloat32(IR_HEADER_BYTES + 4 * i, l, true));
  out.set(payload, IR_HEADER_BYTES + 4 * flag);
  return out;
}

/** Splits a payload at every 4-byte-aligned occurrence of the magic word, as dmlc-core's writer does. */
function splitAtMagic(data: Uint8Array): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i + 4 <= data.length; i += 4) {
    if (new DataView(data.buffer, data.byteOffset + i, 4).getUint32(0, true) === RECORDIO_MAGIC) {
      parts.push(data.subarray(start, i));
      start = i + 4;
    }
  }
  parts.push(data.subarray(start));
  return parts;
}

/** Writes records (key → payload) as `.rec` bytes and `.idx` text. */
export function writeRecordIo(records: Map<number, Uint8Array>): { rec: Uint8Array; idx: string } {
  const chunks: number[] = [];
  let idx = "";
  for (const [key, data] of records) {
    idx += `${key}\t${chunks.length}\n`;
    const parts = splitAtMagic(data);
    parts.forEach((part, i) => {
      const cflag = parts.length === 1 ? 0 : i === 0 ? 1 : i === parts.length - 1 ? 3 : 2;
      const head = new Uint8Array(8);
      const view = new DataView(head.buffer);
      view.setUint32(0, RECORDIO_MAGIC, true);
      view.setUint32(4, ((cflag << 29) | part.length) >>> 0, true);
      chunks.push(...head, ...part, ...new Array((4 - (part.length % 4)) % 4).fill(0));
    });
  }
  return { rec: Uint8Array.from(chunks), idx };
}

/** Pickles `(bins, issame)` like Python's `pickle.dumps(..., protocol)` would for bytes and bools. */
export function pickleBin(bins: Uint8Array[], same: boolean[], protocol: 2 | 4): Uint8Array {
  const out: number[] = [0x80, protocol];
  const u32 = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
  out.push(0x5d, protocol === 4 ? 0x94 : 0x71, ...(protocol === 4 ? [] : [0]), 0x28);
  for (const b of bins) {
    if (protocol === 2) out.push(0x54, ...u32(b.length), ...b);
    else if (b.length < 256) out.push(0x43, b.length, ...b);
    else out.push(0x42, ...u32(b.length), ...b);
  }
  out.push(0x65, 0x5d, 0x28, ...same.map((s) => (s ? 0x88 : 0x89)), 0x65, 0x86, 0x2e);
  return Uint8Array.from(out);
}

/**
 * A hostile `.bin` pickle (protocol 4) whose `bins` list holds `2 * pairs` memo references (BINGET) to one stored
 * byte string: a few hundred bytes that name one image thousands of times.
 */
export function pickleSharedBin(image: Uint8Array, pairs: number): Uint8Array {
  const u32 = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
  const out: number[] = [0x80, 4, 0x5d, 0x94, 0x28, 0x42, ...u32(image.length), ...image, 0x94];
  for (let i = 1; i < 2 * pairs; i++) out.push(0x68, 1);
  out.push(0x65, 0x5d, 0x28, ...Array(pairs).fill(0x88), 0x65, 0x86, 0x2e);
  return Uint8Array.from(out);
}
