/**
 * NPCFace, negative-positive cooperation (Zeng et al. 2020; FaceX-Zoo `head/NPCFace.py`): with cos θ_j between the
 * L2-normalised embedding and class weight j (clamped to [−1, 1]), the hard negatives of a sample are the classes
 * j ≠ y with cos θ_j > cos(θ_y + m). Without gradient, their mean cosine h (0 when there are none) sets the
 * sample's positive margin m' = m0 + m1·h; the target is cos θ_y·cos m' − sin θ_y·sin m' (= cos(θ_y + m')) where
 * cos θ_y > 0, else cos θ_y, with the gradient flowing through cos θ_y and sin θ_y = √(1 − cos² θ_y) only. Hard
 * negatives become t·cos θ_j + a, the others stay; all logits times s.
 * Defaults: m0 0.40, m1 0.20, t 1.10, a 0.20 (fixed in FaceX-Zoo's code) and FaceX-Zoo's training config
 * (`training_mode/head_conf.yaml`: s 32, m 0.35) rather than the class's unused keyword defaults (s 64, m 0.5):
 * the yaml is what FaceX-Zoo trains NPCFace with. Weights: FaceX-Zoo's (dim, classes) kernel with U(−1, 1)
 * unit-norm columns, stored here as [C, D] with unit-norm rows, path `weight`.
 * @module
 */
import { z } from "zod";
import { noGrad } from "../../core/tape.ts";
import type { Tensor } from "../../core/tensor.ts";
import type { ModuleContext } from "../../nn/module.ts";
import {
  affine,
  clamp,
  cos,
  div,
  greater,
  maximum,
  mul,
  reduceSum,
  scalarLike,
  scale,
  scatterRowElements,
  sin,
  sqrt,
  sub,
  where,
} from "../../ops/mod.ts";
import { heads } from "../registry.ts";
import { Head, headBaseSchema, type HeadOutput } from "./head.ts";
import {
  column,
  COS_EPS,
  cosines,
  cosPlusMargin,
  replaceTarget,
  targetColumn,
  unitRowClassWeights,
} from "./_cosine.ts";

const npcSchema = headBaseSchema.extend({
  /** logit scale s */
  s: z.number().positive().default(32),
  /** angular margin m that defines the hard negatives (radians) */
  m: z.number().min(0).lt(Math.PI / 2).default(0.35),
  /** base positive margin m0 (radians) */
  m0: z.number().min(0).default(0.4),
  /** positive-margin slope m1 over the mean hard-negative cosine */
  m1: z.number().min(0).default(0.2),
  /** hard-negative scale t */
  t: z.number().min(1).default(1.1),
  /** hard-negative offset a */
  a: z.number().min(0).default(0.2),
}).strict();

/** Parsed NPCFace options. */
export type NpcFaceOptions = z.output<typeof npcSchema>;

/** The NPCFace head. */
export class NpcFaceHead extends Head {
  /** class weights [C, D] */
  readonly weight: Tensor;
  /** parsed options */
  readonly options: Readonly<NpcFaceOptions>;

  /** Creates unit-norm class weights (FaceX-Zoo's init). */
  constructor(ctx: ModuleContext, o: NpcFaceOptions) {
    super();
    this.options = o;
    this.weight = this.addParameter("weight", unitRowClassWeights(ctx, o));
  }

  /** s·cos θ with the per-sample positive margin on the target and the hard negatives emphasised. */
  forward(embeddings: Tensor, labels: Tensor): HeadOutput {
    const { s, m, m0, m1, t, a } = this.options;
    const c = clamp(cosines(embeddings, this.weight).cos, -1, 1);
    const cy = targetColumn(c, labels);
    const [hard, margin] = noGrad(() => {
      const hard = greater(c, column(cosPlusMargin(cy, m)));
      const hardNegatives = sub(hard, scatterRowElements(targetColumn(hard, labels), labels, c.shape[1]));
      const count = maximum(reduceSum(hardNegatives, 1), scalarLike(cy, 1));
      const meanHard = div(reduceSum(mul(hardNegatives, c), 1), count);
      return [hard, affine(meanHard, m1, m0)];
    });
    const safe = clamp(cy, -1 + COS_EPS, 1 - COS_EPS);
    const sine = sqrt(affine(mul(safe, safe), -1, 1));
    const margined = sub(mul(safe, cos(margin)), mul(sine, sin(margin)));
    const target = where(greater(cy, scalarLike(cy, 0)), margined, cy);
    const rewritten = where(hard, affine(c, t, a), c);
    return { logits: scale(replaceTarget(rewritten, labels, targetColumn(rewritten, labels), target), s) };
  }
}

heads.register({
  name: "npcface",
  schema: npcSchema,
  create: (o, ctx) => new NpcFaceHead(ctx, o),
  tags: ["margin", "hard-negative", "fxz"],
  description:
    "NPCFace, FaceX-Zoo yaml s 32, m 0.35: target margin 0.4 + 0.2·mean hard-negative cos, hard negatives 1.1·cos + 0.2",
});
