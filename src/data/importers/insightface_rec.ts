/**
 * Imports an InsightFace training set (`train.rec` + `train.idx`, MXNet RecordIO) into a {@link FaceSet}.
 * The `.rec` file is read record by record at the offsets of the index, never whole.
 * @module
 */
import type { FaceSet } from "../dataset.ts";
import { DataError } from "../errors.ts";
import { readBytes } from "../files.ts";
import { decodeImage } from "../image/codec.ts";
import { FaceSetBuilder } from "./builder.ts";
import { imageKeys, parseIdx, type ReadAt, readRecord, unpackRecord } from "./recordio.ts";

/** Reads images of an in-memory or file-backed RecordIO with its index into a set. */
export async function importRecords(
  readAt: ReadAt,
  idxText: string,
  recSource: string,
  idxSource: string,
): Promise<FaceSet> {
  const index = parseIdx(idxText, idxSource);
  const builder = new FaceSetBuilder();
  for (const key of imageKeys(readAt, index, recSource)) {
    const offset = index.get(key);
    if (offset === undefined) throw new DataError("read index", idxSource, `no offset for image key ${key}`);
    const source = `${recSource}#${key}`;
    const record = unpackRecord(readRecord(readAt, offset, source), source);
    builder.add(await decodeImage(record.payload, source), record.label[0], source);
  }
  const set = builder.build();
  if (set.count === 0) throw new DataError("import", recSource, "no image records");
  return set;
}

/** Imports `train.rec` / `train.idx` files. */
export async function importRecordIo(recPath: string, idxPath: string): Promise<FaceSet> {
  const idxText = new TextDecoder().decode(await readBytes(idxPath));
  let file: Deno.FsFile;
  try {
    file = await Deno.open(recPath, { read: true });
  } catch (error) {
    throw new DataError("read", recPath, error instanceof Error ? error.message : String(error));
  }
  const size = (await file.stat()).size;
  const readAt: ReadAt = (offset, length) => {
    const n = Math.max(0, Math.min(length, size - offset));
    const out = new Uint8Array(n);
    file.seekSync(offset, Deno.SeekMode.Start);
    let done = 0;
    while (done < n) {
      const got = file.readSync(out.subarray(done));
      if (!got) break;
      done += got;
    }
    return out.subarray(0, done);
  };
  try {
    return await importRecords(readAt, idxText, recPath, idxPath);
  } finally {
    file.close();
  }
}
