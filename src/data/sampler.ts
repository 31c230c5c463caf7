/**
 * Cleaning and sampling: low-shot class removal, the plain shuffled sampler and face.evoLVe's class-balanced
 * weighted sampler. An epoch's order is a pure function of (seed, epoch), so a run resumes mid-epoch from
 * `{ epoch, offset }` alone.
 * @module
 */
import { Rng } from "../core/rng.ts";

/** Result of {@link removeLowShot}: the kept images and their labels renumbered 0..numClasses-1. */
export interface Cleaned {
  /** Indices of the kept images in the original set. */
  keep: Int32Array;
  /** New labels of the kept images. */
  labels: Int32Array;
  /** Number of kept classes. */
  numClasses: number;
  /** Original label of each new class. */
  classes: Int32Array;
}

/**
 * Drops every class with `numMin` or fewer images, as face.evoLVe's `remove_lowshot.py` does (it deletes a class
 * folder when its file count is ≤ min_num, although its help text says "less than").
 */
export function removeLowShot(labels: Int32Array, numMin: number): Cleaned {
  const counts = new Map<number, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  const classes = [...counts.keys()].filter((c) => counts.get(c)! > numMin).sort((a, b) => a - b);
  const renumber = new Map(classes.map((c, i) => [c, i]));
  const keep = labels.map((_, i) => i).filter((i) => renumber.has(labels[i]));
  return {
    keep,
    labels: keep.map((i) => renumber.get(labels[i])!),
    numClasses: classes.length,
    classes: Int32Array.from(classes),
  };
}

/** An epoch-wise index order. */
export interface Sampler {
  /** Indices drawn per epoch. */
  readonly size: number;
  /** The indices of epoch `epoch`, in order (deterministic). */
  epoch(epoch: number): Int32Array;
}

/** Every index once per epoch in a seeded random order (`DataLoader(shuffle=True)`). */
export class ShuffleSampler implements Sampler {
  readonly #rng: Rng;

  /** Shuffles `size` indices; stream "data-order". */
  constructor(readonly size: number, seed: number) {
    this.#rng = new Rng(seed, "data-order");
  }

  /** A fresh permutation for each epoch. */
  epoch(epoch: number): Int32Array {
    return Int32Array.from(this.#rng.fork(`epoch-${epoch}`).shuffle(Array.from({ length: this.size }, (_, i) => i)));
  }
}

/**
 * face.evoLVe's class-balanced sampler: image weight N / N_class, N draws with replacement per epoch
 * (`WeightedRandomSampler`), so each class is equally likely at every draw.
 */
export class BalancedSampler implements Sampler {
  readonly size: number;
  readonly #cumulative: Float64Array;
  readonly #rng: Rng;

  /** Weights images by the inverse frequency of their label; stream "data-order". */
  constructor(labels: Int32Array, seed: number) {
    this.size = labels.length;
    const counts = new Map<number, number>();
    for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
    this.#cumulative = new Float64Array(labels.length);
    let total = 0;
    labels.forEach((label, i) => this.#cumulative[i] = total += labels.length / counts.get(label)!);
    this.#rng = new Rng(seed, "data-order");
  }

  /** N weighted draws with replacement. */
  epoch(epoch: number): Int32Array {
    const rng = this.#rng.fork(`epoch-${epoch}`);
    const c = this.#cumulative, total = c[c.length - 1];
    return Int32Array.from({ length: this.size }, () => {
      const u = rng.float() * total;
      let lo = 0, hi = c.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (c[mid] > u) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    });
  }
}
