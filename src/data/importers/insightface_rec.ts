/**
 * Imports an InsightFace training set (`train.rec` + `train.idx`, MXNet RecordIO) into a {@link FaceSet}.
 * The `.rec` file is read record by record at the offsets of the index, never whole. Decoded pixels are bounded
 * relative to the size of the two files (see {@link ImportLimits}); index offsets past the end of the `.rec` file
 * and duplicate offsets are rejected before any record is read.
 * @module
 */
import type { FaceSet } from "../dataset.ts";
import { DataError } from "../errors.ts";
import { decodeImage } from "../image/codec.ts";
import type { ReadableFile } from "../../io/host.ts";
import { openRegularFile } from "../raw_file.ts";
import { FaceSetBuilder, type ImportLimits } from "./builder.ts";
import { checkOffsets, imageKeys, parseIdx, type ReadAt, readRecord, unpackRecord } from "./recordio.ts";

/** Options of {@link importRecords}. */
export interface RecordOptions extends ImportLimits {
  /** Size of the `.rec` data in bytes, when known: offsets are checked against it and it counts for the budget. */
  recBytes?: number;
}

/** Reads images of an in-memory or file-backed RecordIO with its index into a set. */
export async function importRecords(
  readAt: ReadAt,
  idxText: string,
  recSource: string,
  idxSource: string,
  options: RecordOptions = {},
): Promise<FaceSet> {
  const index = parseIdx(idxText, idxSource);
  if (options.recBytes !== undefined) checkOffsets(index, options.recBytes, idxSource, recSource);
  const inputBytes = (options.recBytes ?? 0) + idxText.length;
  const builder = new FaceSetBuilder({ source: recSource, inputBytes, limits: options });
  for (const key of imageKeys(readAt, index, recSource)) {
    const source = `${recSource}#${key}`;
    const record = unpackRecord(readRecord(readAt, offsetOf(index, key, idxSource), source), source);
    builder.add(await decodeImage(record.payload, source, options), record.label[0], source);
  }
  const set = builder.build();
  if (set.count === 0) throw new DataError("import", recSource, "no image records");
  return set;
}

/** The offset of image `key` in `index` (of the file `idxSource`); a key missing there is a DataError. */
export function offsetOf(index: Map<number, number>, key: number, idxSource: string): number {
  const offset = index.get(key);
  if (offset === undefined) throw new DataError("read index", idxSource, `no offset for image key ${key}`);
  return offset;
}

/** Positioned reads of an open file, clipped at its end. */
export function fileReadAt(file: ReadableFile): ReadAt {
  return (offset, length) => {
    const out = new Uint8Array(Math.max(0, Math.min(length, file.size - offset)));
    return out.subarray(0, file.readAt(offset, out));
  };
}

/** The bytes of a `train.idx` file; missing, a directory or not a regular file is a DataError naming it. */
export function readRecordIoIndex(idxPath: string): Uint8Array {
  const idx = openRegularFile(idxPath, "a RecordIO index (key<TAB>offset lines)");
  const idxBytes = new Uint8Array(idx.size);
  try {
    idx.readAt(0, idxBytes);
  } finally {
    idx.close();
  }
  return idxBytes;
}

/** Imports `train.rec` / `train.idx` files; either one missing, a directory or not a regular file is a DataError. */
export async function importRecordIo(recPath: string, idxPath: string, limits: ImportLimits = {}): Promise<FaceSet> {
  const idxBytes = readRecordIoIndex(idxPath);
  const file = openRegularFile(recPath, "a RecordIO file (.rec)");
  try {
    return await importRecords(fileReadAt(file), new TextDecoder().decode(idxBytes), recPath, idxPath, {
      ...limits,
      recBytes: file.size,
    });
  } finally {
    file.close();
  }
}
