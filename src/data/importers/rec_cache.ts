/**
 * InsightFace training sets larger than memory: `cacheRecordIo` decodes a `train.rec` + `train.idx` once, record by
 * record, into the raw image cache (`src/data/raw_cache.ts`), whose pixels stay on disk: the set's `source` is the
 * loader's `{ kind: "file" }` image source, so batches are read from the file as they are made.
 *
 * A first pass reads the label of every image record from its header (a few dozen bytes per record, no image), so
 * that low-shot identities (`numMin`) are skipped without being decoded; the second pass decodes the kept records.
 * Memory: the parsed index (a map of the `.idx` keys to offsets, O(records)), the raw cache's per-image arrays, one
 * record's bytes and one decoded image; never the decoded set. The cache is keyed by the SHA-256 of the `.idx` text,
 * the `.rec` file's size and modification time and `numMin`: a later call with unchanged files only reads the small
 * metadata and label files. Images are checked and bounded as `importRecordIo` does (same `ImportLimits`), so
 * with `numMin` 0 the pixels and labels equal what `importRecordIo` returns.
 * @module
 */
import { sha256Hex } from "../../core/sha256.ts";
import { cacheDir, joinPath, statPath } from "../files.ts";
import { decodeImage } from "../image/codec.ts";
import { cacheRawImages, type RawCache, type RawCacheOptions, type RawFaceSet } from "../raw_cache.ts";
import { openRegularFile } from "../raw_file.ts";
import { fileReadAt, offsetOf, readRecordIoIndex } from "./insightface_rec.ts";
import {
  checkOffsets,
  imageKeys,
  IR_HEADER_BYTES,
  parseIdx,
  type ReadAt,
  readRecord,
  RECORDIO_MAGIC,
  unpackRecord,
} from "./recordio.ts";

export type { RawFaceSet };

/** Options of {@link cacheRecordIo} (files go to `<cacheDir>/recordio/`). */
export type RecCacheOptions = RawCacheOptions;

/** Bytes of a record's framing (magic word, length) plus its `IRHeader` and first float label. */
const LABEL_PREFIX_BYTES = 8 + IR_HEADER_BYTES + 4;

/**
 * The class key of the record at `offset` (label[0], as the importers take it), from the first bytes of the record
 * when they hold its header; otherwise (a header split by a continuation, a short record) from the whole record.
 */
function recordLabel(readAt: ReadAt, offset: number, source: string): number {
  const head = readAt(offset, LABEL_PREFIX_BYTES);
  if (head.length === LABEL_PREFIX_BYTES) {
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
    const lrec = view.getUint32(4, true);
    if (view.getUint32(0, true) === RECORDIO_MAGIC && lrec >>> 29 <= 1 && (lrec & 0x1fffffff) >= IR_HEADER_BYTES + 4) {
      return view.getFloat32(view.getUint32(8, true) > 0 ? 8 + IR_HEADER_BYTES : 12, true);
    }
  }
  return unpackRecord(readRecord(readAt, offset, source), source).label[0];
}

/**
 * Decodes the images of `train.rec` (`recPath`, with its index `idxPath`) into the raw cache, one record at a time,
 * unless an up-to-date cache of them exists, and returns the file-backed set with its hash and what `numMin`
 * removed. The images must be square. Errors are `DataError`s naming the file, as `importRecordIo`'s.
 */
export async function cacheRecordIo(
  recPath: string,
  idxPath: string,
  options: RecCacheOptions = {},
): Promise<RawCache> {
  const idxBytes = readRecordIoIndex(idxPath);
  const file = openRegularFile(recPath, "a RecordIO file (.rec)");
  const recBytes = file.size;
  try {
    const mtime = (await statPath(recPath))?.modifiedMs ?? 0;
    const readAt = fileReadAt(file);
    const request = {
      dir: joinPath(options.cacheDir ?? cacheDir(), "recordio"),
      path: recPath,
      identity: `recordio\n${await sha256Hex(idxBytes)}\n${recBytes}\n${mtime}`,
      numMin: options.numMin ?? 0,
      onProgress: options.onProgress,
    };
    return await cacheRawImages(request, () => {
      const idxText = new TextDecoder().decode(idxBytes);
      const index = parseIdx(idxText, idxPath);
      checkOffsets(index, recBytes, idxPath, recPath);
      const keys = imageKeys(readAt, index, recPath);
      const name = (i: number) => `${recPath}#${keys[i]}`;
      return Promise.resolve({
        keys: Float64Array.from(keys, (key, i) => recordLabel(readAt, offsetOf(index, key, idxPath), name(i))),
        budget: { source: recPath, inputBytes: recBytes + idxText.length, limits: options },
        name,
        decode: (i: number) => {
          const record = unpackRecord(readRecord(readAt, offsetOf(index, keys[i], idxPath), name(i)), name(i));
          return decodeImage(record.payload, name(i), options);
        },
      });
    });
  } finally {
    file.close();
  }
}
