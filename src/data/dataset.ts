/**
 * The in-memory dataset types every source produces (synthetic sets, ORL, image folders, RecordIO, `.bin`):
 * aligned RGB images packed NHWC uint8, int32 labels, verification pairs in folds, and a gallery/probe split.
 * @module
 */
import type { ImageSource } from "./batch.ts";

/** Images of one split, all the same size, packed `[count, height, width, 3]` uint8 RGB. */
export interface FaceSet {
  /** Packed NHWC RGB bytes. */
  images: Uint8Array;
  /** Class of each image, 0..numClasses-1. */
  labels: Int32Array;
  /** Number of images. */
  count: number;
  /** Image height in pixels. */
  height: number;
  /** Image width in pixels. */
  width: number;
  /** Number of classes (identities). */
  numClasses: number;
}

/** 1:1 verification pairs over the images of a set, in contiguous folds (the LFW / KFold(10) protocol). */
export interface PairList {
  /** First image of each pair. */
  left: Int32Array;
  /** Second image of each pair. */
  right: Int32Array;
  /** 1 for same identity, 0 for different. */
  same: Uint8Array;
  /** Fold of each pair, 0..folds-1. */
  fold: Int32Array;
  /** Number of folds. */
  folds: number;
}

/** A dataset with an identity-disjoint train/test split, test pairs and a test gallery/probe split. */
export interface FaceDataset {
  /** Dataset id, e.g. "synthface-ci" or "orl". */
  id: string;
  /** Training images. */
  train: FaceSet;
  /** Test images (identities disjoint from train). */
  test: FaceSet;
  /** Verification pairs over `test`. */
  pairs: PairList;
  /** Identification: one enrolled image per test identity (indices into `test`). */
  gallery: Int32Array;
  /** Identification: the other test images (indices into `test`). */
  probe: Int32Array;
  /** How the images were aligned at load time, for datasets aligned by a landmark detector (ORL). */
  alignment?: AlignmentStats;
}

/**
 * A verification set the bench evaluates on (one column of the seed's Table 3): a registered dataset's test split,
 * a `.bin` file, or an image-folder tree with a pairs file. Without identity labels (`.bin`), `test.labels` holds a
 * bootstrap unit per image instead (both images of a same pair share one unit; a different pair has two), and the
 * gallery and probe are empty (no rank-1 identification).
 */
export interface EvalSet {
  /** short name for report columns, e.g. "orl" or "lfw" (a file's name without extension) */
  name: string;
  /** the dataset id or path as given */
  source: string;
  /** where it came from */
  kind: "dataset" | "bin" | "folder";
  /** the evaluation images */
  test: FaceSet;
  /** verification pairs over `test` */
  pairs: PairList;
  /** identification: one enrolled image per identity (indices into `test`); empty without identities */
  gallery: Int32Array;
  /** identification: the other images (indices into `test`); empty without identities */
  probe: Int32Array;
  /** whether `test.labels` are identities (false: bootstrap units of pairs, see above) */
  identitiesKnown: boolean;
}

/** A registered dataset's test split as an {@link EvalSet} named by its id. */
export function evalSetOf(dataset: FaceDataset): EvalSet {
  const { id, test, pairs, gallery, probe } = dataset;
  return { name: id, source: id, kind: "dataset", test, pairs, gallery, probe, identitiesKnown: true };
}

/**
 * A training set the loader can stream: pixels in memory or in a raw cache file read image by image (so a set
 * larger than memory trains with bounded memory). Images are square.
 */
export interface TrainingSet {
  /** the loader's image source */
  source: ImageSource;
  /** class of each image, 0..numClasses-1 */
  labels: Int32Array;
  /** number of images */
  count: number;
  /** image height in pixels */
  height: number;
  /** image width in pixels */
  width: number;
  /** number of classes */
  numClasses: number;
}

/** An in-memory {@link FaceSet} as a {@link TrainingSet}. */
export function trainingSetOf(set: FaceSet): TrainingSet {
  const { images, labels, count, height, width, numClasses } = set;
  return { source: { kind: "memory", images, size: height }, labels, count, height, width, numClasses };
}

/** Outcome of aligning a dataset with detected landmarks. */
export interface AlignmentStats {
  /** the detector's id */
  detector: string;
  /** images aligned to the template from detected landmarks */
  aligned: number;
  /** names of the images where no face was found (kept unaligned, e.g. padded) */
  fallbacks: string[];
  /** how many landmark sets came from the cache */
  cached: number;
  /** seconds spent detecting (0 when everything was cached) */
  detectSeconds: number;
}

/** One line describing {@link AlignmentStats}, for logs. */
export function describeAlignment(id: string, a: AlignmentStats): string {
  const total = a.aligned + a.fallbacks.length;
  return `${id}: ${a.aligned}/${total} images aligned from ${a.detector} landmarks, ${a.fallbacks.length} fallback(s)` +
    `${
      a.fallbacks.length > 0 ? ` (${a.fallbacks.slice(0, 5).join(", ")}${a.fallbacks.length > 5 ? ", …" : ""})` : ""
    }` +
    `; ${a.cached} from the cache, ${a.detectSeconds.toFixed(1)} s detecting`;
}

/** Image indices grouped by label. */
export function indicesByLabel(labels: Int32Array, numClasses: number): number[][] {
  const groups: number[][] = Array.from({ length: numClasses }, () => []);
  labels.forEach((label, i) => groups[label].push(i));
  return groups;
}
