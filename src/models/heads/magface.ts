/**
 * MagFace (Meng et al., CVPR 2021) as FaceX-Zoo implements it (`head/MagFace.py`): with a = clamp(‖x‖, l_a, u_a) the
 * raw embedding norm, the angular margin grows linearly with it, m(a) = l_m + (u_m − l_m)·(a − l_a)/(u_a − l_a);
 * target logit s·cos(θ_y + m(a)) where cos θ_y > cos(π − m(a)), else s·(cos θ_y − m_am); others s·cos θ_j. The
 * head's extra loss is λ_g·mean_batch g(a), g(a) = a/u_a² + 1/a (FaceX-Zoo's training loop adds the batch mean of
 * the head's λ_g·g(a) to CE). Gradients reach the norm through both m(a) and g(a), as in FaceX-Zoo (nothing detached).
 *
 * Defaults l_a 10, u_a 110, l_m 0.45, u_m 0.8, λ_g 20, m_am 0 (FaceX-Zoo class and yaml); s = 64, FaceX-Zoo's
 * `head_conf.yaml` value that its `train.py` passes (the class default is 32) and the paper's. cos θ_y is clamped to
 * [−1 + ε, 1 − ε] before √(1 − cos²) (FaceX-Zoo clamps to [−1, 1]; the ε keeps the gradient finite). Class weights:
 * this code base's Xavier-uniform [C, D] (FaceX-Zoo: [D, C] unit-norm columns). Path `weight`.
 * @module
 */
import { z } from "zod";
import type { Tensor } from "../../core/tensor.ts";
import type { ModuleContext } from "../../nn/module.ts";
import {
  add,
  affine,
  clamp,
  cos,
  div,
  greater,
  mul,
  neg,
  reduceMean,
  scalarLike,
  scale,
  sin,
  sqrt,
  sub,
  where,
} from "../../ops/mod.ts";
import { heads } from "../registry.ts";
import { Head, headBaseSchema, type HeadOutput } from "./head.ts";
import { classWeights, cosines, replaceTarget, targetColumn } from "./_cosine.ts";

/** Distance kept from ±1 when clamping cos θ_y before √(1 − cos²). */
const COS_EPS = 1e-7;

const magfaceSchema = headBaseSchema.extend({
  /** logit scale s */
  s: z.number().positive().default(64),
  /** lower bound l_a of the clamped norm */
  lowerNorm: z.number().positive().default(10),
  /** upper bound u_a of the clamped norm */
  upperNorm: z.number().positive().default(110),
  /** margin l_m at a = l_a */
  lowerMargin: z.number().min(0).default(0.45),
  /** margin u_m at a = u_a */
  upperMargin: z.number().min(0).default(0.8),
  /** weight λ_g of the norm regulariser g(a) */
  lambdaG: z.number().min(0).default(20),
  /** cosine margin m_am of the fallback where θ_y + m(a) > π */
  marginAm: z.number().min(0).default(0),
}).strict().refine((o) => o.upperNorm > o.lowerNorm, { message: "upperNorm must exceed lowerNorm" });

/** Parsed MagFace options. */
export type MagFaceOptions = z.output<typeof magfaceSchema>;

/** The MagFace head. */
export class MagFaceHead extends Head {
  /** class weights [C, D] */
  readonly weight: Tensor;
  /** parsed options */
  readonly options: Readonly<MagFaceOptions>;

  /** Creates Xavier-uniform class weights. */
  constructor(ctx: ModuleContext, o: MagFaceOptions) {
    super();
    this.options = o;
    this.weight = this.addParameter("weight", classWeights(ctx, o));
  }

  /** s·cos θ with s·cos(θ_y + m(a)) on the target column; extra loss λ_g·mean g(a). */
  forward(embeddings: Tensor, labels: Tensor): HeadOutput {
    const o = this.options;
    const { cos: c, norm } = cosines(embeddings, this.weight);
    const a = clamp(norm, o.lowerNorm, o.upperNorm);
    const slope = (o.upperMargin - o.lowerMargin) / (o.upperNorm - o.lowerNorm);
    const margin = affine(a, slope, o.lowerMargin - slope * o.lowerNorm);
    const cy = targetColumn(c, labels);
    const safe = clamp(cy, -1 + COS_EPS, 1 - COS_EPS);
    const [cosM, sinM] = [cos(margin), sin(margin)];
    const margined = sub(mul(safe, cosM), mul(sqrt(affine(mul(safe, safe), -1, 1)), sinM));
    // cos(π − m) = −cos m
    const target = where(greater(cy, neg(cosM)), margined, affine(cy, 1, -o.marginAm));
    const logits = scale(replaceTarget(c, labels, cy, target), o.s);
    const g = add(affine(a, 1 / (o.upperNorm * o.upperNorm), 0), div(scalarLike(a, 1), a));
    return { logits, extraLoss: scale(reduceMean(g), o.lambdaG) };
  }
}

heads.register({
  name: "magface",
  schema: magfaceSchema,
  create: (o, ctx) => new MagFaceHead(ctx, o),
  tags: ["margin", "fxz"],
  description: "MagFace, FaceX-Zoo defaults: s 64 (yaml), norm in [10, 110] → arc margin 0.45..0.8, λ_g 20 · g(a)",
});
