/**
 * AdaM-Softmax, the adaptive-margin half of AdaptiveFace (Liu et al., CVPR 2019), as FaceX-Zoo implements it
 * (`head/AdaM_Softmax.py`, class `Adam_Softmax`): a learnable margin m_c per class, initialised U(0.3, 0.4) and
 * clamped to [0, 1] in place before every forward; target logit s·(cos θ_y − m_y), others s·cos θ_j; the head's extra
 * loss λ·(1 − mean_c m_c) keeps the margins from shrinking to 0 (FaceX-Zoo's training loop adds it to the CE loss).
 *
 * Defaults λ = 70 and s = 32: FaceX-Zoo's `head_conf.yaml`, which its `train.py` passes to the head (the class
 * default is s = 30). Differences from FaceX-Zoo, on purpose: the embedding is L2-normalised (FaceX-Zoo multiplies
 * the raw feature by the normalised weights and clamps to [−1, 1], the bug noted for face.evoLVe's `Am_softmax`; the
 * paper and FaceX-Zoo's `AM_Softmax` use cosines), and the class weights are this code base's Xavier-uniform [C, D]
 * (FaceX-Zoo: [D, C] unit-norm columns; only the direction matters once normalised). Paths `weight`, `margins`.
 * The regulariser's gradient on each margin is −λ/C, so with few classes the margins are pushed up far harder than
 * at FaceX-Zoo's scale (C = 300: −0.23 per margin; C = 72,778: −0.001). The adaptive-sampling half of AdaptiveFace
 * is not implemented (FaceX-Zoo has none either).
 * @module
 */
import { z } from "zod";
import { noGrad } from "../../core/tape.ts";
import type { Tensor } from "../../core/tensor.ts";
import { initTensor } from "../../nn/init.ts";
import type { ModuleContext } from "../../nn/module.ts";
import { affine, clamp, copyInto, gatherRows, reduceMean, scale, sub } from "../../ops/mod.ts";
import { heads } from "../registry.ts";
import { Head, headBaseSchema, type HeadOutput } from "./head.ts";
import { classWeights, cosines, replaceTarget, targetColumn } from "./_cosine.ts";

const adamSchema = headBaseSchema.extend({
  /** logit scale s */
  s: z.number().positive().default(32),
  /** weight λ of the margin regulariser λ·(1 − mean m_c) */
  lambda: z.number().min(0).default(70),
}).strict();

/** Parsed AdaM-Softmax options. */
export type AdaMSoftmaxOptions = z.output<typeof adamSchema>;

/** The AdaM-Softmax head. */
export class AdaMSoftmaxHead extends Head {
  /** class weights [C, D] */
  readonly weight: Tensor;
  /** per-class margins [C] */
  readonly margins: Tensor;
  /** parsed options */
  readonly options: Readonly<AdaMSoftmaxOptions>;

  /** Creates Xavier-uniform class weights and U(0.3, 0.4) margins. */
  constructor(ctx: ModuleContext, o: AdaMSoftmaxOptions) {
    super();
    this.options = o;
    this.weight = this.addParameter("weight", classWeights(ctx, o));
    const fans = { fanIn: 1, fanOut: o.numClasses };
    this.margins = this.addParameter(
      "margins",
      initTensor(ctx, [o.numClasses], { kind: "uniform", low: 0.3, high: 0.4 }, fans),
    );
  }

  /** s·cos θ with s·(cos θ_y − m_y) on the target column; extra loss λ·(1 − mean m). */
  forward(embeddings: Tensor, labels: Tensor): HeadOutput {
    noGrad(() => copyInto(this.margins, clamp(this.margins, 0, 1)));
    const { cos: c } = cosines(embeddings, this.weight);
    const cy = targetColumn(c, labels);
    const target = sub(cy, gatherRows(this.margins, labels));
    const logits = scale(replaceTarget(c, labels, cy, target), this.options.s);
    return { logits, extraLoss: affine(reduceMean(this.margins), -this.options.lambda, this.options.lambda) };
  }
}

heads.register({
  name: "adam_softmax",
  schema: adamSchema,
  create: (o, ctx) => new AdaMSoftmaxHead(ctx, o),
  tags: ["margin", "fxz"],
  description:
    "AdaM-Softmax (AdaptiveFace), FaceX-Zoo yaml defaults: s 32, learned per-class margins U(0.3, 0.4), λ 70",
});
