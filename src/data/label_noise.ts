/**
 * Label noise for noise-robustness runs: a seeded fraction of a training set's labels flipped, each to another
 * identity, either a uniformly random other one (`random`) or the identity's look-alike (`lookalike`). Exactly
 * round(fraction · N) images are flipped, chosen uniformly without replacement; a flipped label never equals its
 * original. The result depends only on the labels, the option and its seed (and for `lookalike` the pixels).
 *
 * The look-alike of an identity is the other training identity whose mean image is nearest (Euclidean distance
 * between the class means of the training images at about 28×28, block-averaged): the simplest definition every
 * training set supports, whatever its source (no generator genes are needed).
 * @module
 */
import { z } from "zod";
import { Rng } from "../core/rng.ts";
import type { TrainingSet } from "./dataset.ts";
import { RawImageFile } from "./raw_file.ts";

/** Label-noise options of a training set. */
export const labelNoiseSchema = z.object({
  /** share of training images whose label is flipped, in [0, 1) */
  fraction: z.number().min(0).lt(1),
  /** where a flipped label goes: a uniformly random other identity, or the identity's look-alike */
  to: z.enum(["random", "lookalike"]).default("random"),
  /** seed of the choice of images and of random targets (the same for every training seed of a run) */
  seed: z.number().int().min(0).max(0xffffffff).default(0),
}).strict();

/** Validated label-noise options. */
export type LabelNoise = z.output<typeof labelNoiseSchema>;

/** Labels after flipping and which images were flipped. */
export interface NoisyLabels {
  /** the new labels */
  labels: Int32Array;
  /** indices of the flipped images, ascending */
  flipped: Int32Array;
}

/**
 * Flips round(`noise.fraction` · N) of `labels` (classes 0..`numClasses`−1): to a random other class, or to
 * `lookalike[label]` (which must differ from `label`) when `noise.to` is `lookalike`.
 */
export function flipLabels(
  labels: Int32Array,
  numClasses: number,
  noise: LabelNoise,
  lookalike?: Int32Array,
): NoisyLabels {
  if (numClasses < 2) throw new RangeError(`flipLabels: needs at least 2 classes, got ${numClasses}`);
  if (noise.to === "lookalike" && (!lookalike || lookalike.some((c, k) => c === k || c < 0 || c >= numClasses))) {
    throw new RangeError("flipLabels: lookalike noise needs a look-alike of every class other than itself");
  }
  const rng = new Rng(noise.seed, "label-noise");
  const count = Math.round(noise.fraction * labels.length);
  const order = rng.shuffle(Array.from({ length: labels.length }, (_, i) => i));
  const flipped = Int32Array.from(order.slice(0, count)).sort();
  const out = labels.slice();
  for (const i of flipped) {
    out[i] = noise.to === "lookalike" ? lookalike![labels[i]] : (labels[i] + 1 + rng.int(numClasses - 1)) % numClasses;
  }
  return { labels: out, flipped };
}

/** Side of the class-mean thumbnails {@link lookalikeClasses} compares. */
const THUMBNAIL = 28;

/** The class means of a training set's images, block-averaged to about {@link THUMBNAIL}² pixels × 3. */
export function classMeanThumbnails(set: TrainingSet): Float64Array[] {
  const size = set.height;
  const block = Math.max(1, Math.floor(size / THUMBNAIL));
  const side = Math.floor(size / block);
  const means = Array.from({ length: set.numClasses }, () => new Float64Array(side * side * 3));
  const counts = new Float64Array(set.numClasses);
  const file = set.source.kind === "file" ? new RawImageFile(set.source.path, set.count, size, size) : null;
  const buffer = new Uint8Array(size * size * 3);
  try {
    for (let i = 0; i < set.count; i++) {
      let pixels: Uint8Array;
      if (set.source.kind === "memory") pixels = set.source.images.subarray(i * buffer.length, (i + 1) * buffer.length);
      else file!.read(i, pixels = buffer);
      const mean = means[set.labels[i]];
      counts[set.labels[i]]++;
      for (let y = 0; y < side * block; y++) {
        for (let x = 0; x < side * block; x++) {
          const cell = (Math.floor(y / block) * side + Math.floor(x / block)) * 3;
          const at = (y * size + x) * 3;
          mean[cell] += pixels[at], mean[cell + 1] += pixels[at + 1], mean[cell + 2] += pixels[at + 2];
        }
      }
    }
  } finally {
    file?.close();
  }
  means.forEach((m, c) => m.forEach((v, k) => (m[k] = v / Math.max(1, counts[c]) / (block * block))));
  return means;
}

/** For each class, the other class whose mean thumbnail is nearest (ties: the lower class). */
export function lookalikeClasses(means: readonly Float64Array[]): Int32Array {
  return Int32Array.from(means, (a, c) => {
    let best = -1, bestDistance = Infinity;
    means.forEach((b, other) => {
      if (other === c) return;
      let distance = 0;
      for (let k = 0; k < a.length; k++) distance += (a[k] - b[k]) ** 2;
      if (distance < bestDistance) [best, bestDistance] = [other, distance];
    });
    return best;
  });
}

/** A training set with noisy labels, and which images were flipped. */
export function withLabelNoise(set: TrainingSet, noise: LabelNoise): { set: TrainingSet; flipped: Int32Array } {
  const lookalike = noise.to === "lookalike" ? lookalikeClasses(classMeanThumbnails(set)) : undefined;
  const { labels, flipped } = flipLabels(set.labels, set.numClasses, noise, lookalike);
  return { set: { ...set, labels }, flipped };
}
