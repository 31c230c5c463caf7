/**
 * InsightFace training sets larger than memory: `cacheRecordIo` decodes a `train.rec` + `train.idx` once, record by
 * record, into the project's raw image cache format (one packed NHWC uint8 RGB blob, read image by image by
 * `RawImageFile`), and returns a {@link RawFaceSet} whose pixels stay on disk: its `source` is the loader's
 * `{ kind: "file" }` image source, so batches are read from the file as they are made.
 *
 * Memory while decoding: the parsed index (a map of the `.idx` keys to offsets, O(records)), the labels (4 bytes per
 * image), one record's bytes and one decoded image; never the decoded set. The cache is keyed by the SHA-256 of the
 * `.idx` text and the `.rec` file's size and modification time: a later call with unchanged files only reads the
 * small metadata file. Labels are renumbered 0..K−1 in order of first appearance and images checked and bounded as
 * `importRecordIo` does (same {@link ImportLimits}), so the pixels and labels equal what `importRecordIo` returns.
 * @module
 */
import { sha256Hex } from "../../core/sha256.ts";
import { DataError } from "../errors.ts";
import { cacheDir, cleanStaleTempFilesBeside, exists, joinPath, readBytes, writeTextAtomic } from "../files.ts";
import { decodeImage } from "../image/codec.ts";
import { toRgb } from "../image/image.ts";
import { openRegularFile, readFullyAt } from "../raw_file.ts";
import { writeStreamAtomic } from "../../report/atomic_write.ts";
import { type ImportLimits, MAX_EXPANSION, MIN_DECODED_BYTES } from "./builder.ts";
import { readRecordIoIndex } from "./insightface_rec.ts";
import { checkOffsets, imageKeys, parseIdx, type ReadAt, readRecord, unpackRecord } from "./recordio.ts";

/** A training set whose pixels are in a raw cache file; pass `source` and `labels` to a `Loader`'s spec. */
export interface RawFaceSet {
  /** the loader's image source: the raw file, read image by image */
  source: { kind: "file"; path: string; count: number; size: number };
  /** class of each image, 0..numClasses-1 */
  labels: Int32Array;
  /** number of images */
  count: number;
  /** image height in pixels (= width: the loader needs square images) */
  height: number;
  /** image width in pixels */
  width: number;
  /** number of classes */
  numClasses: number;
}

/** Options of {@link cacheRecordIo}: the importer's limits and where the cache lives. */
export interface RecCacheOptions extends ImportLimits {
  /** cache directory (default: `$FACEBENCH_CACHE`, see `cacheDir`); files go to `<dir>/recordio/` */
  cacheDir?: string;
}

/** What the metadata file of a cached `.rec` records (labels as a JSON array there). */
interface CacheMeta {
  rec: string;
  count: number;
  size: number;
  numClasses: number;
  labels: Int32Array;
}

/** The set described by `meta`, whose pixels are at `path`. */
function rawSetOf(path: string, meta: CacheMeta): RawFaceSet {
  const { count, size, numClasses, labels } = meta;
  return {
    source: { kind: "file", path, count, size },
    labels,
    count,
    height: size,
    width: size,
    numClasses,
  };
}

/** The cached set at `pixelsPath` + `metaPath`, when both are complete. */
async function readCache(pixelsPath: string, metaPath: string): Promise<RawFaceSet | null> {
  if (!(await exists(metaPath)) || !(await exists(pixelsPath))) return null;
  const json = JSON.parse(new TextDecoder().decode(await readBytes(metaPath)));
  const meta: CacheMeta = { ...json, labels: Int32Array.from(json.labels) };
  const complete = (await Deno.stat(pixelsPath)).size === meta.count * meta.size * meta.size * 3 &&
    meta.labels.length === meta.count;
  return complete ? rawSetOf(pixelsPath, meta) : null;
}

/**
 * Decodes the images of `train.rec` (`recPath`, with its index `idxPath`) into the raw cache, one record at a time,
 * unless an up-to-date cache of them exists, and returns the file-backed set. The images must be square. Errors are
 * {@link DataError}s naming the file, as `importRecordIo`'s.
 */
export async function cacheRecordIo(
  recPath: string,
  idxPath: string,
  options: RecCacheOptions = {},
): Promise<RawFaceSet> {
  const idxBytes = readRecordIoIndex(idxPath);
  const { file, size: recBytes } = openRegularFile(recPath, "a RecordIO file (.rec)");
  try {
    const mtime = (await Deno.stat(recPath)).mtime?.getTime() ?? 0;
    const key = (await sha256Hex(new TextEncoder().encode(`${await sha256Hex(idxBytes)}\n${recBytes}\n${mtime}\n`)))
      .slice(0, 16);
    const dir = joinPath(options.cacheDir ?? cacheDir(), "recordio");
    const pixelsPath = joinPath(dir, `${key}.u8`), metaPath = joinPath(dir, `${key}.json`);
    await cleanStaleTempFilesBeside(pixelsPath);
    const cached = await readCache(pixelsPath, metaPath);
    if (cached) return cached;
    const readAt: ReadAt = (offset, length) => {
      const out = new Uint8Array(Math.max(0, Math.min(length, recBytes - offset)));
      return out.subarray(0, readFullyAt(file, offset, out));
    };
    const meta = await decodeInto(pixelsPath, readAt, new TextDecoder().decode(idxBytes), recPath, idxPath, {
      ...options,
      recBytes,
    });
    await writeTextAtomic(metaPath, JSON.stringify({ ...meta, labels: Array.from(meta.labels) }));
    return rawSetOf(pixelsPath, meta);
  } finally {
    file.close();
  }
}

/** Decodes every image record into `pixelsPath` (atomically), returning the metadata of the set. */
function decodeInto(
  pixelsPath: string,
  readAt: ReadAt,
  idxText: string,
  recPath: string,
  idxPath: string,
  options: RecCacheOptions & { recBytes: number },
): Promise<CacheMeta> {
  const index = parseIdx(idxText, idxPath);
  checkOffsets(index, options.recBytes, idxPath, recPath);
  const maxBytes = options.maxDecodedBytes ??
    Math.max(MIN_DECODED_BYTES, MAX_EXPANSION * (options.recBytes + idxText.length));
  const keys = imageKeys(readAt, index, recPath);
  if (keys.length === 0) throw new DataError("import", recPath, "no image records");
  const labels = new Int32Array(keys.length);
  const classes = new Map<number, number>();
  let size = 0;
  return writeStreamAtomic(pixelsPath, async (write) => {
    for (const [i, key] of keys.entries()) {
      const source = `${recPath}#${key}`;
      const offset = index.get(key);
      if (offset === undefined) throw new DataError("read index", idxPath, `no offset for image key ${key}`);
      const record = unpackRecord(readRecord(readAt, offset, source), source);
      const image = toRgb(await decodeImage(record.payload, source, options));
      if (i === 0) size = image.width;
      if (image.width !== size || image.height !== size) {
        throw new DataError("import", source, `image is ${image.width}x${image.height}, expected ${size}x${size}`);
      }
      if ((i + 1) * size * size * 3 > maxBytes) {
        throw new DataError(
          "import",
          recPath,
          `decoded images would exceed ${maxBytes} bytes at image ${i} (${source}); ` +
            "raise ImportLimits.maxDecodedBytes if the data is genuine",
        );
      }
      const label = record.label[0];
      if (!classes.has(label)) classes.set(label, classes.size);
      labels[i] = classes.get(label)!;
      await write(image.data);
    }
    return { rec: recPath, count: keys.length, size, numClasses: classes.size, labels };
  });
}
