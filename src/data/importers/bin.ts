/**
 * InsightFace `.bin` verification sets (LFW, CFP-FP, AgeDB-30, …): a pickle of `(bins, issame_list)` where `bins`
 * holds 2N encoded images and pair i is images 2i and 2i+1. Folds are 10 contiguous blocks (KFold(10)).
 * @module
 */
import type { PairList } from "../dataset.ts";
import { DataError } from "../errors.ts";
import { readBytes } from "../files.ts";
import { decodeImage } from "../image/codec.ts";
import { FaceSetBuilder, type ImportLimits } from "./builder.ts";
import { parsePickle, type PickleValue } from "./pickle.ts";

/** A decoded verification set. */
export interface VerificationSet {
  /** Packed NHWC RGB images, 2 per pair. */
  images: Uint8Array;
  /** Number of images. */
  count: number;
  /** Image height. */
  height: number;
  /** Image width. */
  width: number;
  /** Pair i = images 2i, 2i+1. */
  pairs: PairList;
}

/** Extracts `(bins, issame)` from a parsed pickle, checking the structure. */
export function binStructure(value: PickleValue, source: string): { bins: Uint8Array[]; same: boolean[] } {
  const fail = (message: string): never => {
    throw new DataError("read .bin", source, message);
  };
  const items = value && typeof value === "object" && "tuple" in value
    ? value.tuple
    : Array.isArray(value)
    ? value
    : null;
  if (!items || items.length !== 2) return fail("expected a 2-tuple (bins, issame_list)");
  const [bins, same] = items;
  if (!Array.isArray(bins) || !bins.every((b) => b instanceof Uint8Array)) {
    return fail("bins must be a list of byte strings");
  }
  if (!Array.isArray(same) || !same.every((s) => typeof s === "boolean" || s === 0 || s === 1)) {
    return fail("issame_list must be a list of booleans");
  }
  if (bins.length !== 2 * same.length) {
    fail(`expected 2 images per pair: ${bins.length} images for ${same.length} pairs`);
  }
  return { bins: bins as Uint8Array[], same: same.map(Boolean) };
}

/** Pairs 2i/2i+1 in `folds` contiguous folds. */
function binPairs(same: boolean[], folds: number): PairList {
  const n = same.length;
  return {
    left: Int32Array.from({ length: n }, (_, i) => 2 * i),
    right: Int32Array.from({ length: n }, (_, i) => 2 * i + 1),
    same: Uint8Array.from(same, Number),
    fold: Int32Array.from({ length: n }, (_, i) => Math.floor((i * folds) / n)),
    folds,
  };
}

/**
 * Parses and decodes `.bin` bytes. Decoded pixels are bounded by `limits` relative to `bytes.length`: a pickle can
 * reference one stored image any number of times through its memo.
 */
export async function parseBin(bytes: Uint8Array, source: string, limits: ImportLimits = {}): Promise<VerificationSet> {
  const { bins, same } = binStructure(parsePickle(bytes, source), source);
  if (same.length === 0) throw new DataError("read .bin", source, "no pairs");
  const builder = new FaceSetBuilder({ source, inputBytes: bytes.length, limits });
  for (let i = 0; i < bins.length; i++) {
    builder.add(await decodeImage(bins[i], `${source}#${i}`, limits), 0, `${source}#${i}`);
  }
  const set = builder.build();
  return { images: set.images, count: set.count, height: set.height, width: set.width, pairs: binPairs(same, 10) };
}

/** Reads a `.bin` verification file (see {@link parseBin} for `limits`). */
export async function importBin(path: string, limits: ImportLimits = {}): Promise<VerificationSet> {
  return parseBin(await readBytes(path), path, limits);
}
