/**
 * The raw image cache of training sets larger than memory, one writer for every source (InsightFace `.rec`, image
 * folders): a source lists the class key of each image before anything is decoded, face.evoLVe's low-shot removal
 * (`numMin`) is applied to that list, and the kept images are decoded one at a time, checked (square, one size, the
 * importers' decoded-bytes budget) and appended to `<dir>/<key>.u8` (packed NHWC uint8 RGB, read image by image by
 * `RawImageFile`), with their labels in `<key>.i32` (int32, little-endian) and a metadata file `<key>.json` written
 * last. All three are written atomically, so an interrupted build leaves no cache that looks complete.
 *
 * The key is a hash of the source's identity (what the source says identifies its content) and `numMin`: a later call
 * with the same source and `numMin` only reads the metadata and labels.
 *
 * Memory while building: the class keys, labels and kept indices (about 16 bytes per image of the source), the
 * source's own index, and one encoded and one decoded image; never the decoded set.
 * @module
 */
import { sha256Hex, Sha256Stream } from "../core/sha256.ts";
import type { TrainingSet } from "./dataset.ts";
import { DataError } from "./errors.ts";
import { cleanStaleTempFilesBeside, exists, joinPath, readBytes, statPath, writeTextAtomic } from "./files.ts";
import { type Image, toRgb } from "./image/image.ts";
import { type BuilderBudget, ImageChecks, type ImportLimits } from "./importers/builder.ts";
import type { Progress } from "../io/progress.ts";
import { removeLowShot } from "./sampler.ts";
import { writeStreamAtomic } from "../io/atomic_write.ts";

/** A training set whose pixels are in a raw cache file; pass `source` and `labels` to a `Loader`'s spec. */
export interface RawFaceSet extends TrainingSet {
  /** the loader's image source: the raw file, read image by image */
  source: { kind: "file"; path: string; count: number; size: number };
}

/** What low-shot removal took out of a source. */
export interface Removed {
  /** identities dropped */
  identities: number;
  /** images dropped */
  images: number;
}

/** A cached training set. */
export interface RawCache {
  /** the file-backed set, labels renumbered 0..K-1 in order of first appearance */
  set: RawFaceSet;
  /** SHA-256 hex of the cached pixels followed by the labels as int32 little-endian */
  hash: string;
  /** what `numMin` removed */
  removed: Removed;
}

/** Options of the cached sources (`cacheRecordIo`, `cacheImageFolder`): the importers' limits and the cache's. */
export interface RawCacheOptions extends ImportLimits {
  /** cache directory (default: `$FACEBENCH_CACHE`, see `cacheDir`); each source uses a folder below it */
  cacheDir?: string;
  /** drop identities with `numMin` images or fewer before decoding (default 0: keep all) */
  numMin?: number;
  /** called after each decoded image */
  onProgress?: Progress;
}

/** A source of training images, listed before anything is decoded. */
export interface RawSource {
  /** the class key of each image, in order (any numbers; renumbered in order of first appearance) */
  keys: ArrayLike<number>;
  /** the decoded-bytes budget, measured against the source's size */
  budget: BuilderBudget;
  /** the name of image `i` in errors (a file, or a record of a file) */
  name(i: number): string;
  /** decodes image `i` */
  decode(i: number): Promise<Image>;
}

/** Where and what to cache. */
export interface RawCacheRequest {
  /** directory of the cache files */
  dir: string;
  /** the source as named in errors (a path) */
  path: string;
  /** what identifies the source's content: part of the cache key */
  identity: string;
  /** face.evoLVe's remove_lowshot: identities with `numMin` images or fewer are dropped (0 keeps all) */
  numMin: number;
  /** called after each decoded image */
  onProgress?: Progress;
}

/** What `<key>.json` records. */
interface RawMeta {
  version: 1;
  path: string;
  count: number;
  size: number;
  numClasses: number;
  hash: string;
  removed: Removed;
}

/** The cache files of one key. */
interface CacheFiles {
  pixels: string;
  labels: string;
  meta: string;
}

/** The cached set at `files`, when complete. */
async function readCache(files: CacheFiles): Promise<RawCache | null> {
  if (!(await exists(files.meta)) || !(await exists(files.pixels)) || !(await exists(files.labels))) return null;
  let meta: RawMeta;
  try {
    meta = JSON.parse(new TextDecoder().decode(await readBytes(files.meta)));
  } catch {
    return null; // unreadable metadata: built again
  }
  const bytes = await readBytes(files.labels);
  const complete = meta.version === 1 && bytes.length === 4 * meta.count &&
    (await statPath(files.pixels))?.size === meta.count * meta.size * meta.size * 3;
  if (!complete) return null;
  const labels = new Int32Array(bytes.buffer, bytes.byteOffset, meta.count);
  return resultOf(files.pixels, meta, labels);
}

/** The cache result described by `meta`. */
function resultOf(path: string, meta: RawMeta, labels: Int32Array): RawCache {
  const { count, size, numClasses, hash, removed } = meta;
  const set: RawFaceSet = {
    source: { kind: "file", path, count, size },
    labels,
    count,
    height: size,
    width: size,
    numClasses,
  };
  return { set, hash, removed };
}

/** Class keys renumbered 0..K-1 in order of first appearance. */
function firstAppearanceLabels(keys: ArrayLike<number>): Int32Array {
  const classes = new Map<number, number>();
  const labels = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    let label = classes.get(keys[i]);
    if (label === undefined) classes.set(keys[i], label = classes.size);
    labels[i] = label;
  }
  return labels;
}

/**
 * The cached set of `request`: read from the cache when it holds it, else built from the source `open` returns
 * (called only then). Errors are {@link DataError}s naming the source or the image.
 */
export async function cacheRawImages(
  request: RawCacheRequest,
  open: () => Promise<RawSource>,
): Promise<RawCache> {
  const key =
    (await sha256Hex(new TextEncoder().encode(`raw-cache 1\n${request.identity}\nnumMin ${request.numMin}\n`)))
      .slice(0, 16);
  const base = joinPath(request.dir, key);
  const files = { pixels: `${base}.u8`, labels: `${base}.i32`, meta: `${base}.json` };
  await cleanStaleTempFilesBeside(files.pixels);
  return await readCache(files) ?? await buildCache(files, request, await open());
}

/** Decodes the kept images of `source` into the cache files. */
async function buildCache(files: CacheFiles, request: RawCacheRequest, source: RawSource): Promise<RawCache> {
  const { path, numMin } = request;
  const all = firstAppearanceLabels(source.keys);
  if (all.length === 0) throw new DataError("import", path, "no images found");
  const { keep, labels, numClasses } = removeLowShot(all, numMin);
  const identities = all.reduce((k, label) => Math.max(k, label + 1), 0);
  if (numClasses < 2) {
    throw new DataError(
      "import",
      path,
      `${numClasses} of ${identities} identities have more than numMin = ${numMin} images; training needs at least 2`,
    );
  }
  const checks = new ImageChecks(source.budget, true);
  const hash = new Sha256Stream();
  await writeStreamAtomic(files.pixels, async (write) => {
    for (let k = 0; k < keep.length; k++) {
      const name = source.name(keep[k]);
      const image = await source.decode(keep[k]);
      checks.check(image, name);
      const rgb = toRgb(image).data;
      hash.update(rgb);
      await write(rgb);
      request.onProgress?.(k + 1, keep.length);
    }
  });
  const labelBytes = new Uint8Array(labels.buffer, labels.byteOffset, labels.byteLength);
  await writeStreamAtomic(files.labels, (write) => write(labelBytes));
  const meta: RawMeta = {
    version: 1,
    path,
    count: keep.length,
    size: checks.width,
    numClasses,
    hash: hash.update(labelBytes).hex(),
    removed: { identities: identities - numClasses, images: all.length - keep.length },
  };
  await writeTextAtomic(files.meta, JSON.stringify(meta));
  return resultOf(files.pixels, meta, labels);
}
