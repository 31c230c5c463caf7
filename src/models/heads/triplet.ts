/**
 * Triplet loss (FaceNet, Schroff et al., CVPR 2015) on L2-normalised embeddings with online mining inside the batch:
 * for anchor a, positive p (same identity, p ≠ a) and negative n, the loss is max(0, ‖a − p‖² − ‖a − n‖² + margin)
 * on squared distances (range [0, 4]). The head has no classification logits: its output is the loss alone
 * (`HeadOutput.logits` null). It needs batches of several images per identity, so its registry entry asks for the
 * P×K identity sampler (`sampler: "pk"`).
 *
 * Mining (`mining`):
 * - `semi_hard` (default; FaceNet §3.2, as TensorFlow-Addons' `triplet_semihard_loss` states it): for every
 *   anchor-positive pair, the closest negative farther than the positive; where none is farther, the farthest
 *   negative. Mean over all anchor-positive pairs.
 * - `batch_hard` (Hermans et al. 2017, "In Defense of the Triplet Loss"): per anchor, the farthest positive and the
 *   closest negative; mean over anchors (on squared distances here, like the other strategies).
 * - `random_hard` (FaceX-Zoo `training_mode/siamese-triplet_training/train.py`: `FunctionNegativeTripletSelector`
 *   with `random_hard_negative`, on batches of 2 images per identity): for every anchor-positive pair, one negative
 *   drawn uniformly among those with a positive loss; pairs without one are left out; mean over the chosen
 *   triplets. The draw is seeded by (`seed`, iteration) alone (stream "triplet-mining/<iteration>"), so a resumed
 *   run draws the same triplets.
 * A batch without any triplet gives loss 0. Anchor-positive pairs are ordered (a, p) and (p, a) both count, as in
 * FaceNet; FaceX-Zoo takes unordered pairs. `semi_hard` and `random_hard` compare every (a, p, n) at once in
 * [N, N, N] tensors (N = batch size; 2 M elements at batch 128). Default margin 0.2: FaceNet's α (FaceX-Zoo's
 * unfinished trainer uses 2.5 on the same squared distances, over half their range). No parameters.
 * @module
 */
import { z } from "zod";
import { Rng } from "../../core/rng.ts";
import { noGrad } from "../../core/tape.ts";
import type { Tensor } from "../../core/tensor.ts";
import {
  affine,
  div,
  equal,
  greater,
  l2Normalize,
  matmul,
  maximum,
  mul,
  neg,
  oneHot,
  reduceMax,
  reduceSum,
  relu,
  reshape,
  scalarLike,
  sub,
  tensor,
  where,
} from "../../ops/mod.ts";
import { heads } from "../registry.ts";
import { Head, headBaseSchema, type HeadOutput } from "./head.ts";

/** Beyond any squared distance between unit vectors (at most 4): stands for "no such sample" in masked max/min. */
const FAR = 16;

const tripletSchema = headBaseSchema.extend({
  /** margin α on squared distances */
  margin: z.number().positive().default(0.2),
  /** negative mining strategy */
  mining: z.enum(["semi_hard", "batch_hard", "random_hard"]).default("semi_hard"),
  /** seed of the random-hard draws */
  seed: z.number().int().min(0).max(0xffffffff).default(0),
}).strict();

/** Parsed triplet options. */
export type TripletOptions = z.output<typeof tripletSchema>;

/** Masks of a batch's pairs: pos[a, p] (same identity, p ≠ a) and neg[a, n] (other identity), f32 0/1 [N, N]. */
function pairMasks(labels: Tensor, numClasses: number): { pos: Tensor; neg: Tensor } {
  const n = labels.size;
  const hot = oneHot(labels, numClasses);
  const same = matmul(hot, hot, false, true);
  const eye = tensor(labels.backend, Float32Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0)), [
    n,
    n,
  ]);
  return { pos: sub(same, eye), neg: affine(same, -1, 1) };
}

/** Σ values / max(1, Σ mask), the denominator without gradient. */
function meanOver(values: Tensor, mask: Tensor): Tensor {
  const count = noGrad(() => maximum(reduceSum(mask), scalarLike(mask, 1)));
  return div(reduceSum(values), count);
}

/** The triplet-loss head. */
export class TripletHead extends Head {
  /** parsed options */
  readonly options: Readonly<TripletOptions>;
  #iteration = 0;

  /** A head without parameters. */
  constructor(o: TripletOptions) {
    super();
    this.options = o;
  }

  /** Remembers the iteration, which seeds the random-hard draws. */
  override step(iteration: number): void {
    this.#iteration = iteration;
  }

  /** The mined triplet loss of the batch; no logits. */
  forward(embeddings: Tensor, labels: Tensor): HeadOutput {
    const e = l2Normalize(embeddings);
    const d2 = relu(affine(matmul(e, e, false, true), -2, 2));
    const { pos, neg: negative } = noGrad(() => pairMasks(labels, this.options.numClasses));
    const loss = this.options.mining === "batch_hard"
      ? this.#batchHard(d2, pos, negative)
      : this.options.mining === "semi_hard"
      ? this.#semiHard(d2, pos, negative)
      : this.#randomHard(d2, pos, negative);
    return { logits: null, extraLoss: loss };
  }

  /** Farthest positive and closest negative per anchor. */
  #batchHard(d2: Tensor, pos: Tensor, negative: Tensor): Tensor {
    const hardestPositive = reduceMax(where(pos, d2, scalarLike(d2, -1)), 1);
    const hardestNegative = neg(reduceMax(where(negative, neg(d2), scalarLike(d2, -FAR)), 1));
    const valid = noGrad(() =>
      mul(greater(reduceSum(pos, 1), scalarLike(pos, 0)), greater(reduceSum(negative, 1), scalarLike(pos, 0)))
    );
    const perAnchor = relu(affine(sub(hardestPositive, hardestNegative), 1, this.options.margin));
    return meanOver(mul(perAnchor, valid), valid);
  }

  /** Per anchor-positive pair, the closest negative farther than the positive, else the farthest negative. */
  #semiHard(d2: Tensor, pos: Tensor, negative: Tensor): Tensor {
    const n = d2.shape[0];
    const [ap, an] = [reshape(d2, [n, n, 1]), reshape(d2, [n, 1, n])];
    const farther = noGrad(() => mul(greater(an, ap), reshape(negative, [n, 1, n])));
    const closestFarther = neg(reduceMax(where(farther, neg(an), scalarLike(d2, -FAR)), 2));
    const anyFarther = noGrad(() => greater(reduceMax(farther, 2), scalarLike(d2, 0)));
    const farthest = reduceMax(where(negative, d2, scalarLike(d2, -FAR)), 1, true);
    const chosen = where(anyFarther, closestFarther, farthest);
    const valid = noGrad(() => mul(pos, greater(reduceSum(negative, 1, true), scalarLike(pos, 0))));
    return meanOver(mul(relu(affine(sub(d2, chosen), 1, this.options.margin)), valid), valid);
  }

  /** Per anchor-positive pair, a seeded uniform draw among the negatives with a positive loss. */
  #randomHard(d2: Tensor, pos: Tensor, negative: Tensor): Tensor {
    const n = d2.shape[0];
    const losses = affine(sub(reshape(d2, [n, n, 1]), reshape(d2, [n, 1, n])), 1, this.options.margin);
    const chosen = noGrad(() => {
      const candidates = mul(
        mul(greater(losses, scalarLike(d2, 0)), reshape(negative, [n, 1, n])),
        reshape(pos, [n, n, 1]),
      );
      const keys = tensor(d2.backend, randomKeys(this.options.seed, this.#iteration, n), [n, n, n]);
      const masked = where(candidates, keys, scalarLike(d2, -1));
      const best = reduceMax(masked, 2, true);
      return mul(equal(masked, best), candidates);
    });
    return meanOver(mul(losses, chosen), chosen);
  }
}

/**
 * The keys [n, n, n] that pick random-hard negatives at `iteration`: row (a, p) is a seeded permutation of 0..n−1,
 * so its largest candidate key is unique and uniformly placed among the candidates.
 */
export function randomKeys(seed: number, iteration: number, n: number): Float32Array {
  const rng = new Rng(seed, "triplet-mining").fork(String(iteration));
  const keys = new Float32Array(n * n * n);
  for (let row = 0; row < n * n; row++) keys.set(rng.shuffle(Array.from({ length: n }, (_, i) => i)), row * n);
  return keys;
}

heads.register({
  name: "triplet",
  schema: tripletSchema,
  create: (o) => new TripletHead(o),
  tags: ["metric"],
  sampler: "pk",
  description: "Triplet loss on L2-normalised embeddings, squared L2, margin 0.2 (FaceNet), semi-hard online mining",
});
