/**
 * CurricularFace (Huang et al. CVPR 2020; FaceX-Zoo `head/CurricularFace.py`, after the authors' `head/metrics.py`):
 * with cos θ_j between the L2-normalised embedding and class weight j (clamped to [−1, 1]),
 * target = cos(θ_y + m) where cos θ_y > cos(π − m), else cos θ_y − m·sin m; hard negatives (cos θ_j > cos(θ_y + m))
 * become cos θ_j·(t + cos θ_j), the others stay; every logit times s. The curriculum weight t is a buffer (path `t`,
 * shape [1], initially 0) updated in training mode before use, without gradient: t ← 0.01·mean_batch(cos θ_y) +
 * 0.99·t; in eval mode it is only read. Defaults (FaceX-Zoo class and yaml): s 64, m 0.5. Weights N(0, 0.01²):
 * FaceX-Zoo stores a (dim, classes) kernel normalised per column; we store [C, D] normalised per row (the same
 * values transposed), path `weight`.
 * @module
 */
import { z } from "zod";
import { noGrad } from "../../core/tape.ts";
import type { Tensor } from "../../core/tensor.ts";
import { initTensor } from "../../nn/init.ts";
import type { ModuleContext } from "../../nn/module.ts";
import { add, affine, clamp, copyInto, greater, mul, reduceMean, reshape, scale, where, zeros } from "../../ops/mod.ts";
import { heads } from "../registry.ts";
import { arcTargetWithFallback } from "./combined_margin.ts";
import { Head, headBaseSchema, type HeadOutput } from "./head.ts";
import { column, cosines, cosPlusMargin, replaceTarget, targetColumn } from "./_cosine.ts";

const curricularSchema = headBaseSchema.extend({
  /** logit scale s */
  s: z.number().positive().default(64),
  /** additive angular margin m (radians) */
  m: z.number().min(0).lt(Math.PI / 2).default(0.5),
  /** weight of the batch mean in the running update of t */
  momentum: z.number().gt(0).max(1).default(0.01),
}).strict();

/** Parsed CurricularFace options. */
export type CurricularFaceOptions = z.output<typeof curricularSchema>;

/** The CurricularFace head. */
export class CurricularFaceHead extends Head {
  /** class weights [C, D] */
  readonly weight: Tensor;
  /** running curriculum weight t [1] (buffer) */
  readonly t: Tensor;
  /** parsed options */
  readonly options: Readonly<CurricularFaceOptions>;

  /** Creates N(0, 0.01²) class weights and t = 0. */
  constructor(ctx: ModuleContext, o: CurricularFaceOptions) {
    super();
    this.options = o;
    const fans = { fanIn: o.embeddingSize, fanOut: o.numClasses };
    this.weight = this.addParameter(
      "weight",
      initTensor(ctx, [o.numClasses, o.embeddingSize], { kind: "normal", std: 0.01 }, fans),
    );
    this.t = this.addBuffer("t", zeros(ctx.backend, [1]));
  }

  /** s·cos θ with the target margined and hard negatives scaled by (t + cos θ_j); updates t when training. */
  forward(embeddings: Tensor, labels: Tensor): HeadOutput {
    const { s, m, momentum } = this.options;
    const c = clamp(cosines(embeddings, this.weight).cos, -1, 1);
    const cy = targetColumn(c, labels);
    const target = arcTargetWithFallback(cy, m);
    const hard = noGrad(() => {
      if (this.training) {
        copyInto(this.t, add(affine(reshape(reduceMean(cy), [1]), momentum, 0), affine(this.t, 1 - momentum, 0)));
      }
      return greater(c, column(cosPlusMargin(cy, m)));
    });
    const rewritten = where(hard, mul(c, add(c, this.t)), c);
    return { logits: scale(replaceTarget(rewritten, labels, targetColumn(rewritten, labels), target), s) };
  }
}

heads.register({
  name: "curricularface",
  schema: curricularSchema,
  create: (o, ctx) => new CurricularFaceHead(ctx, o),
  tags: ["margin", "hard-negative", "stateful", "fxz"],
  description:
    "CurricularFace, FaceX-Zoo defaults: s 64, m 0.5 with fallback, hard negatives cos·(t + cos), t ← 0.01·mean cos θ_y + 0.99·t",
});
