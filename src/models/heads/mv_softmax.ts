/**
 * MV-Softmax, "Mis-classified Vector guided softmax" (FaceX-Zoo `head/MV_Softmax.py`, after SV-X-Softmax): with
 * cos θ_j between the L2-normalised embedding and class weight j,
 * - AM mode (`mv_softmax`): target = cos θ_y − m where cos θ_y > m, else cos θ_y; hard set {j : cos θ_j > cos θ_y − m};
 * - Arc mode (`mv_softmax_arc`): target = cos(θ_y + m) where cos θ_y > 0, else cos θ_y; hard set
 *   {j : cos θ_j > cos(θ_y + m)};
 * hard negatives become t·cos θ_j + t − 1, the others stay; every logit is multiplied by s. The hard set is a mask
 * (no gradient); the target column is always replaced. FaceX-Zoo defaults (class and `head_conf.yaml`): is_am 1,
 * m 0.35, t 1.12, s 32. Weights: FaceX-Zoo's (dim, classes) kernel with U(−1, 1) unit-norm columns, stored here as
 * [C, D] with unit-norm rows, path `weight`.
 * @module
 */
import { z } from "zod";
import { noGrad } from "../../core/tape.ts";
import type { Tensor } from "../../core/tensor.ts";
import type { ModuleContext } from "../../nn/module.ts";
import { affine, greater, scalarLike, scale, where } from "../../ops/mod.ts";
import { heads } from "../registry.ts";
import { Head, headBaseSchema, type HeadOutput } from "./head.ts";
import { column, cosines, cosPlusMargin, replaceTarget, targetColumn, unitRowClassWeights } from "./_cosine.ts";

function mvSchema(arc: boolean) {
  return headBaseSchema.extend({
    /** logit scale s */
    s: z.number().positive().default(32),
    /** margin m: cosine margin in AM mode, angular (radians) in Arc mode */
    m: z.number().min(0).lt(Math.PI / 2).default(0.35),
    /** weight t ≥ 1 of the mis-classified (hard) negatives: t·cos θ + t − 1 */
    t: z.number().min(1).default(1.12),
    /** Arc mode (additive angular margin) instead of AM mode (additive cosine margin) */
    arc: z.boolean().default(arc),
  }).strict();
}

/** Parsed MV-Softmax options. */
export type MvSoftmaxOptions = z.output<ReturnType<typeof mvSchema>>;

/** The MV-Softmax head. */
export class MvSoftmaxHead extends Head {
  /** class weights [C, D] */
  readonly weight: Tensor;
  /** parsed options */
  readonly options: Readonly<MvSoftmaxOptions>;

  /** Creates unit-norm class weights (FaceX-Zoo's init). */
  constructor(ctx: ModuleContext, o: MvSoftmaxOptions) {
    super();
    this.options = o;
    this.weight = this.addParameter("weight", unitRowClassWeights(ctx, o));
  }

  /** s·cos θ with the target margined and the hard negatives re-weighted. */
  forward(embeddings: Tensor, labels: Tensor): HeadOutput {
    const { s, m, t, arc } = this.options;
    const { cos: c } = cosines(embeddings, this.weight);
    const cy = targetColumn(c, labels);
    let target: Tensor, boundary: Tensor;
    if (arc) {
      boundary = cosPlusMargin(cy, m);
      target = where(greater(cy, scalarLike(cy, 0)), boundary, cy);
    } else {
      boundary = affine(cy, 1, -m);
      target = where(greater(cy, scalarLike(cy, m)), boundary, cy);
    }
    const hard = noGrad(() => greater(c, column(boundary)));
    const rewritten = where(hard, affine(c, t, t - 1), c);
    return { logits: scale(replaceTarget(rewritten, labels, targetColumn(rewritten, labels), target), s) };
  }
}

for (const arc of [false, true]) {
  heads.register({
    name: arc ? "mv_softmax_arc" : "mv_softmax",
    schema: mvSchema(arc),
    create: (o, ctx) => new MvSoftmaxHead(ctx, o),
    tags: ["margin", "hard-negative", "fxz"],
    description: arc
      ? "MV-Softmax, Arc mode (FaceX-Zoo is_am 0): s 32, angular margin 0.35 where cos θ_y > 0, hard negatives t·cos + t − 1, t 1.12"
      : "MV-Softmax, AM mode (FaceX-Zoo defaults is_am 1): s 32, cosine margin 0.35, hard negatives t·cos + t − 1, t 1.12",
  });
}
