/**
 * The project's writer of InsightFace training sets: a {@link FaceSet} as MXNet RecordIO `train.rec` + `train.idx`,
 * laid out as InsightFace's `train.rec`:
 *
 * - key 0: the header record, `IRHeader(flag 2, label [imageEnd, identityEnd])`, no payload;
 * - keys 1 … imageEnd − 1: one record per image, in set order: scalar label = the image's class, id = its key,
 *   payload = the image encoded as PNG by the project's codec (lossless, so importing the files gives back the same
 *   pixels byte for byte);
 * - keys imageEnd … identityEnd − 1: one record per identity, in order of first appearance, label [first key, end
 *   key) of its images (the `id2range` that InsightFace's loaders read), no payload.
 *
 * Records are framed as dmlc-core's writer frames them (split at 4-byte-aligned magic words). The `.rec` and `.idx`
 * files are written record by record through temporary files renamed into place, so memory holds one encoded image
 * at a time.
 * @module
 */
import type { FaceSet } from "../dataset.ts";
import { DataError } from "../errors.ts";
import { encodePng } from "../image/png.ts";
import { IR_HEADER_BYTES, RECORDIO_MAGIC } from "../importers/recordio.ts";
import { writeStreamAtomic } from "../../io/atomic_write.ts";

/** Largest integer a float32 label holds exactly (2^24): InsightFace stores labels and keys as float32. */
const MAX_FLOAT_LABEL = 2 ** 24;

/** Largest length of one physical RecordIO part (29 bits). */
const MAX_PART_BYTES = 2 ** 29 - 1;

/**
 * Packs an `IRHeader` (flag, label, id, id2) and a payload, as `mx.recordio.pack`: a scalar label is stored in the
 * header (flag 0); an array of labels sets flag to its length and follows the header as float32s.
 */
export function packRecord(label: number | readonly number[], id: number, payload: Uint8Array, id2 = 0): Uint8Array {
  const labels = typeof label === "number" ? [label] : label;
  const flag = typeof label === "number" ? 0 : labels.length;
  const out = new Uint8Array(IR_HEADER_BYTES + 4 * flag + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, flag, true);
  view.setFloat32(4, flag ? 0 : labels[0], true);
  view.setBigUint64(8, BigInt(id), true);
  view.setBigUint64(16, BigInt(id2), true);
  if (flag) labels.forEach((l, i) => view.setFloat32(IR_HEADER_BYTES + 4 * i, l, true));
  out.set(payload, IR_HEADER_BYTES + 4 * flag);
  return out;
}

/** Splits a record at every 4-byte-aligned occurrence of the magic word (dropped; the reader puts it back). */
function splitAtMagic(data: Uint8Array): Uint8Array[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const parts: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i + 4 <= data.length; i += 4) {
    if (view.getUint32(i, true) === RECORDIO_MAGIC) {
      parts.push(data.subarray(start, i));
      start = i + 4;
    }
  }
  parts.push(data.subarray(start));
  return parts;
}

/**
 * One logical record as RecordIO bytes: magic word, length with continuation flag (0 whole, 1 first, 2 middle,
 * 3 last part), data padded to 4 bytes, for each part.
 */
function frameRecord(record: Uint8Array): Uint8Array {
  const parts = splitAtMagic(record);
  const out = new Uint8Array(parts.reduce((n, p) => n + 8 + ((p.length + 3) & ~3), 0));
  const view = new DataView(out.buffer);
  let at = 0;
  parts.forEach((part, i) => {
    if (part.length > MAX_PART_BYTES) throw new RangeError(`frameRecord: part of ${part.length} bytes exceeds 2^29-1`);
    const cflag = parts.length === 1 ? 0 : i === 0 ? 1 : i === parts.length - 1 ? 3 : 2;
    view.setUint32(at, RECORDIO_MAGIC, true);
    view.setUint32(at + 4, ((cflag << 29) | part.length) >>> 0, true);
    out.set(part, at + 8);
    at += 8 + ((part.length + 3) & ~3);
  });
  return out;
}

/** Frames records (key → logical record, in the order given) as `.rec` bytes and `.idx` text, in memory. */
export function encodeRecordIo(records: Iterable<readonly [number, Uint8Array]>): { rec: Uint8Array; idx: string } {
  const framed: Uint8Array[] = [];
  let idx = "", offset = 0;
  for (const [key, record] of records) {
    const bytes = frameRecord(record);
    idx += `${key}\t${offset}\n`;
    framed.push(bytes);
    offset += bytes.length;
  }
  const rec = new Uint8Array(offset);
  framed.reduce((at, bytes) => (rec.set(bytes, at), at + bytes.length), 0);
  return { rec, idx };
}

/** The keys `[start, end)` of one identity's images. */
interface IdentityRange {
  /** the class of the images */
  label: number;
  /** key of its first image */
  start: number;
  /** one past the key of its last image */
  end: number;
}

/**
 * The identity ranges of a set written with image i at key i + 1. Each identity's images must be one contiguous
 * block (as in InsightFace's sorted sets and every set loaded here); anything else is a {@link DataError}.
 */
function identityRanges(labels: Int32Array, source: string): IdentityRange[] {
  const ranges: IdentityRange[] = [];
  const seen = new Set<number>();
  labels.forEach((label, i) => {
    const last = ranges.at(-1);
    if (last?.label === label) return void (last.end = i + 2);
    if (seen.has(label)) {
      throw new DataError(
        "write RecordIO",
        source,
        `image ${i} of class ${label} follows another class's images; InsightFace's identity ranges need each ` +
          "class's images in one contiguous block (sort the set by label first)",
      );
    }
    if (!Number.isInteger(label) || label < 0 || label >= MAX_FLOAT_LABEL) {
      throw new DataError("write RecordIO", source, `image ${i}: label ${label} is not an integer in [0, 2^24)`);
    }
    seen.add(label);
    ranges.push({ label, start: i + 1, end: i + 2 });
  });
  return ranges;
}

/** What {@link writeRecordIo} wrote. */
export interface RecordIoSummary {
  /** image records (keys 1 … images) */
  images: number;
  /** identity records */
  identities: number;
  /** size of the `.rec` file in bytes */
  recBytes: number;
}

/**
 * Writes `set` as InsightFace `train.rec` (`recPath`) and `train.idx` (`idxPath`) in the layout of the module
 * documentation. Memory holds one image's PNG and record at a time (the pixels stay in `set`). Both files are
 * written atomically; the `.rec` is renamed into place before the `.idx`.
 */
export async function writeRecordIo(set: FaceSet, recPath: string, idxPath: string): Promise<RecordIoSummary> {
  const ranges = identityRanges(set.labels, recPath);
  const imageEnd = set.count + 1, identityEnd = imageEnd + ranges.length;
  if (identityEnd > MAX_FLOAT_LABEL) {
    throw new DataError("write RecordIO", recPath, `${identityEnd} keys exceed the float32 labels' 2^24`);
  }
  const encoder = new TextEncoder();
  const size = set.height * set.width * 3;
  return await writeStreamAtomic(idxPath, (writeIdx) =>
    writeStreamAtomic(recPath, async (writeRec) => {
      let offset = 0;
      const put = async (key: number, record: Uint8Array) => {
        const bytes = frameRecord(record);
        await writeIdx(encoder.encode(`${key}\t${offset}\n`));
        await writeRec(bytes);
        offset += bytes.length;
      };
      await put(0, packRecord([imageEnd, identityEnd], 0, new Uint8Array(0)));
      for (let i = 0; i < set.count; i++) {
        const data = set.images.subarray(i * size, (i + 1) * size);
        const png = await encodePng({ width: set.width, height: set.height, channels: 3, data });
        await put(i + 1, packRecord(set.labels[i], i + 1, png));
      }
      for (const [k, range] of ranges.entries()) {
        await put(imageEnd + k, packRecord([range.start, range.end], imageEnd + k, new Uint8Array(0)));
      }
      return { images: set.count, identities: ranges.length, recBytes: offset };
    }));
}
