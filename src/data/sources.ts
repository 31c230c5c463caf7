/**
 * The user's own data as the bench takes it: a training set streamed from disk (an InsightFace `train.rec` with its
 * `train.idx`, or an aligned image-folder tree, decoded once into the raw image cache with bounded memory; see
 * `src/data/raw_cache.ts`) and verification sets held in memory (a registered dataset id, an InsightFace `.bin`, or an
 * image-folder tree with LFW's `pairs.txt` at its root).
 * @module
 */
import { sha256Hex } from "../core/sha256.ts";
import { type EvalSet, evalSetOf, type FaceDataset, type FaceSet, type PairList, type TrainingSet } from "./dataset.ts";
import { datasetIds } from "./datasets.ts";
import { DataError } from "./errors.ts";
import { joinPath, readBytes, statPath } from "./files.ts";
import { importBin } from "./importers/bin.ts";
import type { ImportLimits } from "./importers/builder.ts";
import { importImageFolder } from "./importers/folder.ts";
import { cacheImageFolder } from "./importers/folder_cache.ts";
import { type IdentityImages, parsePairsFile } from "./importers/pairs_file.ts";
import { cacheRecordIo } from "./importers/rec_cache.ts";
import type { Progress } from "../io/progress.ts";
import type { Removed } from "./raw_cache.ts";

/** What {@link openTrainingSet} returns. */
export interface OpenedTrainingSet {
  /** pixels in a raw cache file (a `{ kind: "file" }` source), labels renumbered 0..K-1 in order of appearance */
  set: TrainingSet;
  /** the form of the source */
  kind: "rec" | "folder";
  /** SHA-256 hex of the pixels used (after `numMin`) followed by their labels as int32 little-endian */
  hash: string;
  /** what `numMin` removed */
  removed: Removed;
}

/** Options of {@link openTrainingSet}. */
export interface TrainingSetOptions {
  /** face.evoLVe's remove_lowshot: drop identities with `numMin` images or fewer (0 keeps all), renumber the rest */
  numMin: number;
  /** cache directory (default: `cacheDir()`) */
  cacheDir?: string;
  /** the importers' limits */
  limits?: ImportLimits;
  /** called after each image decoded into the cache */
  onProgress?: Progress;
}

/**
 * Opens a training set: `path` ending in `.rec` (its index is the `.idx` beside it, same stem) or an image-folder
 * directory `root/<identity>/<image>`. The images are decoded into the raw cache unless it holds them already.
 * Images must be square and of one size, and at least 2 identities must remain after `numMin`; anything wrong is a
 * {@link DataError} naming the file or record.
 */
export async function openTrainingSet(path: string, options: TrainingSetOptions): Promise<OpenedTrainingSet> {
  const cacheOptions = {
    ...options.limits,
    numMin: options.numMin,
    cacheDir: options.cacheDir,
    onProgress: options.onProgress,
  };
  if (path.endsWith(".rec")) {
    const { set, hash, removed } = await cacheRecordIo(path, `${path.slice(0, -4)}.idx`, cacheOptions);
    return { set, kind: "rec", hash, removed };
  }
  if ((await statPath(path))?.isDirectory) {
    const { set, hash, removed } = await cacheImageFolder(path, cacheOptions);
    return { set, kind: "folder", hash, removed };
  }
  throw new DataError(
    "open training set",
    path,
    "expected an InsightFace train.rec (with its .idx beside it) or an image-folder directory root/<identity>/<image>",
  );
}

/** Options of {@link loadEvalSet}. */
export interface EvalSetOptions {
  /** loads a registered dataset (the caller's: ORL needs a landmark detector the data layer lacks) */
  loadDataset: (id: string) => Promise<FaceDataset>;
  /** the importers' limits */
  limits?: ImportLimits;
}

/** The bytes of a typed array. */
function bytesOf(array: Int32Array | Uint8Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/**
 * SHA-256 of "<pixels SHA-256>\n<pairs SHA-256>\n", the pairs hashed as left, right (int32), same (uint8), fold
 * (int32) and the fold count.
 */
async function evalSetHash(set: EvalSet): Promise<string> {
  const { left, right, same, fold, folds } = set.pairs;
  const parts = [left, right, same, fold, Int32Array.of(folds)].map(bytesOf);
  const pairs = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (pairs.set(p, at), at + p.length), 0);
  const [pixelsHash, pairsHash] = await Promise.all([sha256Hex(set.test.images), sha256Hex(pairs)]);
  return await sha256Hex(new TextEncoder().encode(`${pixelsHash}\n${pairsHash}\n`));
}

/** Raises a {@link DataError} naming `source` unless the images are square. */
function checkSquare(set: FaceSet, source: string): void {
  if (set.height !== set.width) {
    throw new DataError("import", source, `images are ${set.width}x${set.height}, expected square images`);
  }
}

/** The base name of a path without a trailing slash or `suffix`. */
function baseName(path: string, suffix = ""): string {
  const name = path.replace(/\/+$/, "").split("/").at(-1)!;
  return suffix && name.endsWith(suffix) ? name.slice(0, -suffix.length) : name;
}

/**
 * Bootstrap units of a `.bin` (pair i = images 2i, 2i+1): both images of a same pair share a unit, the images of a
 * different pair get one each.
 */
function pairUnits(pairs: PairList): { labels: Int32Array; numClasses: number } {
  const labels = new Int32Array(2 * pairs.same.length);
  let unit = 0;
  pairs.same.forEach((same, i) => {
    labels[2 * i] = unit++;
    labels[2 * i + 1] = same ? unit - 1 : unit++;
  });
  return { labels, numClasses: unit };
}

/** A `.bin` verification file as an eval set without identities. */
async function binEvalSet(path: string, limits?: ImportLimits): Promise<EvalSet> {
  const bin = await importBin(path, limits);
  const { images, count, height, width, pairs } = bin;
  const test = { images, count, height, width, ...pairUnits(pairs) };
  checkSquare(test, path);
  const none = new Int32Array(0);
  return {
    name: baseName(path, ".bin"),
    source: path,
    kind: "bin",
    test,
    pairs,
    gallery: none,
    probe: none,
    identitiesKnown: false,
  };
}

/**
 * An image-folder tree with `pairs.txt` at its root (see `parsePairsFile`). Identification: the first image of each
 * identity is enrolled in the gallery and its other images are probes, so an identity with one image is only a
 * gallery distractor.
 */
async function folderEvalSet(root: string, limits?: ImportLimits): Promise<EvalSet> {
  const { set: test, classes } = await importImageFolder(root, limits);
  checkSquare(test, root);
  const identities = new Map<string, IdentityImages>();
  test.labels.forEach((label, i) => {
    const at = identities.get(classes[label]);
    if (at) at.count++;
    else identities.set(classes[label], { first: i, count: 1 });
  });
  const pairsPath = joinPath(root, "pairs.txt");
  const pairs = parsePairsFile(new TextDecoder().decode(await readBytes(pairsPath)), pairsPath, identities);
  const firsts = new Set([...identities.values()].map((at) => at.first));
  const all = Array.from({ length: test.count }, (_, i) => i);
  return {
    name: baseName(root),
    source: root,
    kind: "folder",
    test,
    pairs,
    gallery: Int32Array.from(all.filter((i) => firsts.has(i))),
    probe: Int32Array.from(all.filter((i) => !firsts.has(i))),
    identitiesKnown: true,
  };
}

/**
 * Loads a verification set and its hash (SHA-256 over the test pixels and the pairs): `spec` is a registered dataset
 * id (its test split), a `.bin` file (images without identities: the labels are bootstrap units of pairs, see
 * `EvalSet`), or an image-folder directory with `pairs.txt` at its root. Images are held in memory and must be square.
 */
export async function loadEvalSet(spec: string, options: EvalSetOptions): Promise<{ set: EvalSet; hash: string }> {
  let set: EvalSet;
  if (datasetIds().includes(spec)) set = evalSetOf(await options.loadDataset(spec));
  else if (spec.endsWith(".bin")) set = await binEvalSet(spec, options.limits);
  else if ((await statPath(spec))?.isDirectory) set = await folderEvalSet(spec, options.limits);
  else {
    throw new DataError(
      "load eval set",
      spec,
      `expected a registered dataset id (${datasetIds().join(", ")}), an InsightFace .bin file, or an image-folder ` +
        "directory root/<identity>/<image> with pairs.txt at its root",
    );
  }
  return { set, hash: await evalSetHash(set) };
}
