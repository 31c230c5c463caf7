/**
 * ArcNegFace ("Towards Flops-constrained Face Recognition", Liu et al. 2019; FaceX-Zoo `head/ArcNegFace.py`): with
 * cos θ_j between the L2-normalised embedding and class weight j, the target a_y = cos(θ_y + m) where
 * cos θ_y > cos(π − m), else cos θ_y − m·sin m; every other class is re-weighted by the Gaussian
 * t_j = α·exp(−(cos θ_j − a_y)²/σ), computed without gradient (FaceX-Zoo detaches both t_j and a_y), to
 * t_j·cos θ_j + t_j − 1; all logits times s. FaceX-Zoo loops over the batch in Python; this is the same formula
 * vectorised. Defaults (FaceX-Zoo, fixed in its code): s 64, m 0.5, α 1.2, σ 2. Weights W [C, D] U(±1/√D),
 * path `weight`.
 * @module
 */
import { z } from "zod";
import { noGrad } from "../../core/tape.ts";
import type { Tensor } from "../../core/tensor.ts";
import { initTensor } from "../../nn/init.ts";
import type { ModuleContext } from "../../nn/module.ts";
import { add, affine, exp, mul, scale, sub } from "../../ops/mod.ts";
import { heads } from "../registry.ts";
import { arcTargetWithFallback } from "./combined_margin.ts";
import { Head, headBaseSchema, type HeadOutput } from "./head.ts";
import { column, cosines, replaceTarget, targetColumn } from "./_cosine.ts";

const arcNegSchema = headBaseSchema.extend({
  /** logit scale s */
  s: z.number().positive().default(64),
  /** additive angular margin m (radians) */
  m: z.number().min(0).lt(Math.PI / 2).default(0.5),
  /** peak α of the negative re-weighting */
  alpha: z.number().positive().default(1.2),
  /** width σ of the negative re-weighting */
  sigma: z.number().positive().default(2),
}).strict();

/** Parsed ArcNegFace options. */
export type ArcNegFaceOptions = z.output<typeof arcNegSchema>;

/** The ArcNegFace head. */
export class ArcNegFaceHead extends Head {
  /** class weights [C, D] */
  readonly weight: Tensor;
  /** parsed options */
  readonly options: Readonly<ArcNegFaceOptions>;

  /** Creates U(±1/√D) class weights. */
  constructor(ctx: ModuleContext, o: ArcNegFaceOptions) {
    super();
    this.options = o;
    const fans = { fanIn: o.embeddingSize, fanOut: o.numClasses };
    this.weight = this.addParameter(
      "weight",
      initTensor(ctx, [o.numClasses, o.embeddingSize], { kind: "torchDefault" }, fans),
    );
  }

  /** s·a_y on the target column, s·(t_j·cos θ_j + t_j − 1) elsewhere. */
  forward(embeddings: Tensor, labels: Tensor): HeadOutput {
    const { s, m, alpha, sigma } = this.options;
    const { cos: c } = cosines(embeddings, this.weight);
    const target = arcTargetWithFallback(targetColumn(c, labels), m);
    const reweight = noGrad(() => {
      const gap = sub(c, column(target));
      return affine(exp(affine(mul(gap, gap), -1 / sigma, 0)), alpha, 0);
    });
    const negatives = affine(add(mul(reweight, c), reweight), 1, -1);
    return { logits: scale(replaceTarget(negatives, labels, targetColumn(negatives, labels), target), s) };
  }
}

heads.register({
  name: "arcnegface",
  schema: arcNegSchema,
  create: (o, ctx) => new ArcNegFaceHead(ctx, o),
  tags: ["margin", "hard-negative", "fxz"],
  description:
    "ArcNegFace, FaceX-Zoo defaults: s 64, m 0.5 with fallback, negatives t·cos + t − 1 with t = 1.2·exp(−(cos − a_y)²/2)",
});
