/**
 * AdaCos, adaptively scaled cosine logits (Zhang et al. CVPR 2019; FaceX-Zoo `head/AdaCos.py`, after
 * pytorch-adacos): logits s·cos θ_j for every class, no margin. The scale s is a buffer (path `s`, shape [1],
 * initially √2·ln(C − 1)); in training mode each forward first updates it from the batch, without gradient:
 * B_avg = Σ over all non-target entries of exp(s·cos θ_j) / N, θ_med = median of the target angles
 * θ_y = acos(clamp(cos θ_y, ±(1 − 10⁻⁷))), s ← ln(B_avg) / cos(min(π/4, θ_med)), and the batch's logits use the
 * new s. In eval mode s is only read. The median of an even batch is the lower of the two middle values, as
 * `torch.median` takes it. Weights W [C, D] Xavier-uniform (FaceX-Zoo), path `weight`.
 * @module
 */
import { noGrad } from "../../core/tape.ts";
import type { Tensor } from "../../core/tensor.ts";
import type { ModuleContext } from "../../nn/module.ts";
import {
  acos,
  affine,
  clamp,
  copyInto,
  cos,
  div,
  exp,
  fill,
  greater,
  log,
  minimum,
  mul,
  neg,
  reduceMax,
  reduceSum,
  reshape,
  scalarLike,
  sub,
  where,
} from "../../ops/mod.ts";
import { heads } from "../registry.ts";
import { Head, headBaseSchema, type HeadOutput } from "./head.ts";
import { classWeights, COS_EPS, cosines, targetColumn } from "./_cosine.ts";

const adaCosSchema = headBaseSchema.strict();

/**
 * The lower median of `v` [N] as a [1] tensor (`torch.median`: the ⌊(N − 1)/2⌋-th smallest value), on the device:
 * v_i is that order statistic when fewer than k + 1 values lie below it and more than k lie at or below it.
 */
export function lowerMedian(v: Tensor): Tensor {
  const n = v.size;
  const k = Math.floor((n - 1) / 2);
  const asColumn = reshape(v, [n, 1]);
  const asRow = reshape(v, [1, n]);
  const below = reduceSum(greater(asColumn, asRow), 1); // #{j : v_j < v_i}
  const atOrBelow = affine(reduceSum(greater(asRow, asColumn), 1), -1, n); // #{j : v_j ≤ v_i}
  const isMedian = mul(greater(scalarLike(v, k + 1), below), greater(atOrBelow, scalarLike(v, k)));
  const smallest = neg(reduceMax(neg(v)));
  return reshape(reduceMax(where(isMedian, v, smallest)), [1]);
}

/** The AdaCos head. */
export class AdaCosHead extends Head {
  /** class weights [C, D] */
  readonly weight: Tensor;
  /** the adaptive scale s [1] (buffer) */
  readonly s: Tensor;

  /** Creates Xavier-uniform class weights and s = √2·ln(C − 1). */
  constructor(ctx: ModuleContext, o: { embeddingSize: number; numClasses: number }) {
    super();
    this.weight = this.addParameter("weight", classWeights(ctx, o));
    this.s = this.addBuffer("s", fill(ctx.backend, [1], Math.SQRT2 * Math.log(o.numClasses - 1)));
  }

  /** s·cos θ; in training mode s is first re-estimated from this batch. */
  forward(embeddings: Tensor, labels: Tensor): HeadOutput {
    const { cos: c } = cosines(embeddings, this.weight);
    if (this.training) noGrad(() => copyInto(this.s, this.#batchScale(c, labels)));
    return { logits: mul(c, this.s) };
  }

  /** ln(B_avg) / cos(min(π/4, θ_med)) for the cosines `c` [N, C] of one batch. */
  #batchScale(c: Tensor, labels: Tensor): Tensor {
    const expScaled = exp(mul(c, this.s));
    const nonTarget = sub(reduceSum(expScaled), reduceSum(targetColumn(expScaled, labels)));
    const bAvg = reshape(affine(nonTarget, 1 / c.shape[0], 0), [1]);
    const theta = acos(clamp(targetColumn(c, labels), -1 + COS_EPS, 1 - COS_EPS));
    const thetaMed = lowerMedian(theta);
    return div(log(bAvg), cos(minimum(thetaMed, scalarLike(thetaMed, Math.PI / 4))));
  }
}

heads.register({
  name: "adacos",
  schema: adaCosSchema,
  create: (o, ctx) => new AdaCosHead(ctx, o),
  tags: ["adaptive", "stateful", "fxz"],
  description:
    "AdaCos, FaceX-Zoo: no margin, s from √2·ln(C − 1) re-estimated each batch as ln(B_avg)/cos(min(π/4, θ_med))",
});
