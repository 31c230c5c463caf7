/**
 * MXNet RecordIO as used by InsightFace `train.rec` / `train.idx`: records framed by a magic word and a
 * length-with-continuation-flag, each image record an `IRHeader` (flag, label, id, id2) plus encoded image bytes.
 * Record 0 is a header whose label[0] is one past the last image key; images are keys 1..label[0]-1.
 * @module
 */
import { ByteReader } from "../byte_reader.ts";
import { DataError } from "../errors.ts";

/** The RecordIO magic word. */
export const RECORDIO_MAGIC = 0xced7230a;

/** Size of the packed `IRHeader` (`IfQQ`). */
export const IR_HEADER_BYTES = 24;

/** An unpacked record: `IRHeader` fields and the payload after the header (and label array). */
export interface IrRecord {
  /** 0: scalar label; > 0: number of float labels following the header. */
  flag: number;
  /** Labels (one when flag is 0). */
  label: number[];
  /** Record id. */
  id: number;
  /** Second id. */
  id2: number;
  /** Encoded image (or empty). */
  payload: Uint8Array;
}

/**
 * Parses `train.idx` text: one `key<TAB>offset` per line. A repeated key, or two keys at the same offset, is
 * rejected: a real index has one record per key, and a key list repeating one offset would import one stored
 * image any number of times.
 */
export function parseIdx(text: string, source: string): Map<number, number> {
  const index = new Map<number, number>();
  const keyAt = new Map<number, number>();
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    const fail = (message: string): never => {
      throw new DataError("read index", source, `line ${i + 1}: ${message}`);
    };
    const match = /^\s*(\d+)\s+(\d+)\s*$/.exec(line);
    if (!match) return fail(`expected "key<TAB>offset", got ${JSON.stringify(line.slice(0, 40))}`);
    const key = Number(match[1]), offset = Number(match[2]);
    if (!Number.isSafeInteger(key) || !Number.isSafeInteger(offset)) fail(`key or offset above 2^53`);
    if (index.has(key)) fail(`key ${key} appears twice`);
    const other = keyAt.get(offset);
    if (other !== undefined) fail(`key ${key} points at offset ${offset} like key ${other} (duplicate records)`);
    index.set(key, offset);
    keyAt.set(offset, key);
  });
  return index;
}

/** Checks that every offset of `index` leaves room for a record header inside a `.rec` file of `recBytes` bytes. */
export function checkOffsets(index: Map<number, number>, recBytes: number, idxSource: string, recSource: string): void {
  for (const [key, offset] of index) {
    if (offset + 8 > recBytes) {
      throw new DataError(
        "read index",
        idxSource,
        `key ${key} points at offset ${offset}, past the end of "${recSource}" (${recBytes} bytes); ` +
          "expected the offset of a record in that file",
      );
    }
  }
}

/** Reads `length` bytes at `offset` (from memory or a file). */
export type ReadAt = (offset: number, length: number) => Uint8Array;

/**
 * Reads one logical record starting at `offset`, joining continuation parts (cflag 1, 2, 3) with the magic word
 * between them, as MXNet's reader does.
 */
export function readRecord(readAt: ReadAt, offset: number, source: string): Uint8Array {
  const parts: Uint8Array[] = [];
  let pos = offset;
  for (let part = 0;; part++) {
    const head = new ByteReader(readAt(pos, 8), "read record", source);
    if (head.remaining < 8) head.fail(`record header at offset ${pos} runs past the end of the file`);
    const magic = head.u32le("record magic");
    if (magic !== RECORDIO_MAGIC) head.fail(`bad magic 0x${magic.toString(16)} at offset ${pos}`);
    const lrec = head.u32le("record length");
    const cflag = lrec >>> 29, length = lrec & 0x1fffffff;
    if ((part === 0) !== (cflag === 0 || cflag === 1)) {
      head.fail(`unexpected continuation flag ${cflag} at offset ${pos}`);
    }
    const data = readAt(pos + 8, length);
    if (data.length !== length) {
      head.fail(`truncated record at offset ${pos}: needs ${length} bytes, ${data.length} left`);
    }
    parts.push(data);
    pos += 8 + ((length + 3) & ~3);
    if (cflag === 0 || cflag === 3) break;
  }
  if (parts.length === 1) return parts[0];
  const magic = new Uint8Array(4);
  new DataView(magic.buffer).setUint32(0, RECORDIO_MAGIC, true);
  const total = parts.reduce((n, p) => n + p.length, 0) + 4 * (parts.length - 1);
  const out = new Uint8Array(total);
  let at = 0;
  parts.forEach((p, i) => {
    if (i > 0) out.set(magic, at), at += 4;
    out.set(p, at), at += p.length;
  });
  return out;
}

/** Unpacks the `IRHeader` of a record (`mx.recordio.unpack`). */
export function unpackRecord(record: Uint8Array, source: string): IrRecord {
  const r = new ByteReader(record, "read record", source);
  const flag = r.u32le("IRHeader flag");
  const scalar = r.f32le("IRHeader label");
  const id = r.u64le("IRHeader id");
  const id2 = r.u64le("IRHeader id2");
  const label = [scalar];
  if (flag > 0) {
    r.need(4 * flag, `label array of ${flag} floats`);
    label.length = 0;
    for (let i = 0; i < flag; i++) label.push(r.f32le("label"));
  }
  return { flag, label, id, id2, payload: record.subarray(r.offset) };
}

/** Image keys of an InsightFace RecordIO: 1..label[0]-1 from header record 0, else every key but 0. */
export function imageKeys(readAt: ReadAt, index: Map<number, number>, source: string): number[] {
  const headerOffset = index.get(0);
  if (headerOffset !== undefined) {
    const header = unpackRecord(readRecord(readAt, headerOffset, source), source);
    if (header.flag > 0) {
      const end = header.label[0];
      if (!Number.isInteger(end) || end < 1 || end - 1 > index.size) {
        throw new DataError("read record", source, `header record 0: label[0] = ${end} is not a valid end key`);
      }
      return Array.from({ length: end - 1 }, (_, i) => i + 1);
    }
  }
  return [...index.keys()].filter((k) => k !== 0).sort((a, b) => a - b);
}
