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

/** K of the P×K sampler when none is named: 4, as in Hermans et al.'s (2017) P×K batches. */
export const DEFAULT_IMAGES_PER_IDENTITY = 4;

/**
 * The P×K identity sampler of triplet training (FaceNet's "around 40 faces per identity" batches; Hermans et al.
 * 2017's P×K): every consecutive block of P·K indices is P distinct identities × K images each, identity by identity.
 * An epoch has as many blocks as a shuffled epoch of the same batch size has batches, ⌊images / (P·K)⌋, so epochs
 * and schedules line up with the other samplers. Identities come in seeded random orders: each block takes the next
 * P of the current order, and a fresh order is drawn when fewer than P are left (the rest sit that round out). An
 * identity with ≥ K images gives K distinct ones; with fewer, all of them and then draws with replacement.
 */
export class PKSampler implements Sampler {
  readonly size: number;
  readonly #byIdentity: number[][];
  readonly #rng: Rng;

  /** P = `identities` per block, K = `images` per identity; stream "data-order". */
  constructor(labels: Int32Array, readonly identities: number, readonly images: number, seed: number) {
    const groups = new Map<number, number[]>();
    labels.forEach((label, i) => {
      if (!groups.has(label)) groups.set(label, []);
      groups.get(label)!.push(i);
    });
    this.#byIdentity = [...groups.keys()].sort((a, b) => a - b).map((label) => groups.get(label)!);
    if (!(Number.isInteger(identities) && identities >= 1 && Number.isInteger(images) && images >= 1)) {
      throw new RangeError(`PKSampler: P ${identities} and K ${images} must be positive integers`);
    }
    if (identities > this.#byIdentity.length) {
      throw new RangeError(
        `PKSampler: P = ${identities} identities per batch, but the set has ${this.#byIdentity.length}`,
      );
    }
    this.size = Math.floor(labels.length / (identities * images)) * identities * images;
    this.#rng = new Rng(seed, "data-order");
  }

  /** The blocks of epoch `epoch`. */
  epoch(epoch: number): Int32Array {
    const rng = this.#rng.fork(`epoch-${epoch}`);
    const { identities: p, images: k } = this;
    const out = new Int32Array(this.size);
    let order: number[] = [];
    let next = 0;
    for (let at = 0; at < this.size; at += p * k) {
      if (order.length - next < p) [order, next] = [rng.shuffle(this.#byIdentity.map((_, i) => i)), 0];
      for (let j = 0; j < p; j++) out.set(this.#draw(this.#byIdentity[order[next++]], rng), at + j * k);
    }
    return out;
  }

  /** K images of one identity. */
  #draw(images: number[], rng: Rng): number[] {
    const k = this.images;
    if (images.length >= k) return rng.shuffle(images.slice()).slice(0, k);
    return [...images, ...Array.from({ length: k - images.length }, () => images[rng.int(images.length)])];
  }
}
