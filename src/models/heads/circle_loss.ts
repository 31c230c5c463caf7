/**
 * Circle loss in its classification form (Sun et al., CVPR 2020, eq. 6 with class weights as proxies), as FaceX-Zoo
 * implements it (`head/CircleLoss.py`): with cos θ_j clamped to [−1, 1], optima O_p = 1 + m, O_n = −m and margins
 * Δ_p = 1 − m, Δ_n = m, the self-paced weights α_p = max(0, O_p − cos θ_y) and α_n = max(0, cos θ_j − O_n) are taken
 * without gradient (`detach`); target logit γ·α_p·(cos θ_y − Δ_p), others γ·α_n·(cos θ_j − Δ_n); softmax CE on top.
 * Defaults γ = 256, m = 0.25 (FaceX-Zoo class and yaml). Class weights: this code base's Xavier-uniform [C, D]
 * (FaceX-Zoo: [D, C] unit-norm columns; only the direction matters once normalised). Path `weight`.
 * @module
 */
import { z } from "zod";
import { noGrad } from "../../core/tape.ts";
import type { Tensor } from "../../core/tensor.ts";
import type { ModuleContext } from "../../nn/module.ts";
import { affine, clamp, mul, relu, scale } from "../../ops/mod.ts";
import { heads } from "../registry.ts";
import { Head, headBaseSchema, type HeadOutput } from "./head.ts";
import { classWeights, cosines, replaceTarget, targetColumn } from "./_cosine.ts";

const circleSchema = headBaseSchema.extend({
  /** scale γ */
  gamma: z.number().positive().default(256),
  /** relaxation margin m */
  m: z.number().min(0).max(1).default(0.25),
}).strict();

/** Parsed circle-loss options. */
export type CircleLossOptions = z.output<typeof circleSchema>;

/** The classification-form circle-loss head. */
export class CircleLossHead extends Head {
  /** class weights [C, D] */
  readonly weight: Tensor;
  /** parsed options */
  readonly options: Readonly<CircleLossOptions>;

  /** Creates Xavier-uniform class weights. */
  constructor(ctx: ModuleContext, o: CircleLossOptions) {
    super();
    this.options = o;
    this.weight = this.addParameter("weight", classWeights(ctx, o));
  }

  /** γ·α_n·(cos θ_j − m) with γ·α_p·(cos θ_y − 1 + m) on the target column. */
  forward(embeddings: Tensor, labels: Tensor): HeadOutput {
    const { gamma, m } = this.options;
    const c = clamp(cosines(embeddings, this.weight).cos, -1, 1);
    const cy = targetColumn(c, labels);
    const [alphaN, alphaP] = noGrad(() => [relu(affine(c, 1, m)), relu(affine(cy, -1, 1 + m))]);
    const negative = mul(alphaN, affine(c, 1, -m));
    const positive = mul(alphaP, affine(cy, 1, m - 1));
    return { logits: scale(replaceTarget(negative, labels, targetColumn(negative, labels), positive), gamma) };
  }
}

heads.register({
  name: "circle_loss",
  schema: circleSchema,
  create: (o, ctx) => new CircleLossHead(ctx, o),
  tags: ["margin", "fxz", "detached"],
  description: "Circle loss, classification form, FaceX-Zoo defaults: γ 256, m 0.25, detached α_p, α_n",
});
