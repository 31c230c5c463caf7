/**
 * The combined-margin head (ArcFace paper §3.3; arcface_torch `CombinedMarginLoss`): with cos θ_j between the
 * L2-normalised embedding and class weight j, the target logit is s·(cos(m1·θ_y + m2) − m3) and every other
 * logit s·cos θ_j. ArcFace (m2), CosFace / AM-Softmax (m3) and normalised softmax (no margin) are presets.
 *
 * Options reproduce the libraries' variants:
 * - `fallback` (face.evoLVe ArcFace, default on): where m1·θ_y + m2 > π the margined cosine stops decreasing,
 *   so for cos θ_y ≤ th = cos((π − m2)/m1) the target is cos θ_y − m3 − mm with mm = m2·sin(π − m2) instead.
 * - `easyMargin` (face.evoLVe): the margin applies only where cos θ_y > 0 (overrides `fallback`).
 * - `straightThrough` (arcface_torch): the forward value is margined, but the gradient w.r.t. the cosine matrix is
 *   taken as if no margin were applied (arcface_torch computes the margin under `no_grad`).
 * cos θ_y is clamped to [−1 + ε, 1 − ε] before `acos` / `sqrt` (face.evoLVe issue #117: NaN at |cos| = 1).
 * Weights W [C, D] are Xavier-uniform (face.evoLVe), path `weight`.
 * @module
 */
import { z } from "zod";
import { noGrad } from "../../core/tape.ts";
import type { Tensor } from "../../core/tensor.ts";
import type { ModuleContext } from "../../nn/module.ts";
import { acos, add, affine, clamp, cos, greater, scalarLike, scale, sub, where } from "../../ops/mod.ts";
import { heads } from "../registry.ts";
import { Head, headBaseSchema, type HeadOutput } from "./head.ts";
import { classWeights, COS_EPS, cosines, cosPlusMargin, replaceTarget, targetColumn } from "./_cosine.ts";

/** Options of the combined-margin head, with the defaults of one preset (also the base of sub-center ArcFace's). */
export function marginSchema(
  d: { s: number; m1?: number; m2?: number; m3?: number; fallback?: boolean; st?: boolean },
) {
  return headBaseSchema.extend({
    /** logit scale s */
    s: z.number().positive().default(d.s),
    /** multiplicative angular margin m1 (1 = none) */
    m1: z.number().positive().default(d.m1 ?? 1),
    /** additive angular margin m2 (radians) */
    m2: z.number().min(0).lt(Math.PI).default(d.m2 ?? 0),
    /** additive cosine margin m3 */
    m3: z.number().min(0).default(d.m3 ?? 0),
    /** face.evoLVe's th/mm linear continuation where m1·θ + m2 > π */
    fallback: z.boolean().default(d.fallback ?? true),
    /** apply the margin only where cos θ_y > 0 */
    easyMargin: z.boolean().default(false),
    /** arcface_torch's margin-free backward pass */
    straightThrough: z.boolean().default(d.st ?? false),
  }).strict();
}

/** Parsed combined-margin options. */
export type CombinedMarginOptions = z.output<ReturnType<typeof marginSchema>>;

/**
 * cos(m1·θ + m2) for clamped cosines `c`. With m1 = 1 it is face.evoLVe's c·cos m2 − √(1 − c²)·sin m2, which needs
 * no `acos` (whose WGSL accuracy, amplified by s = 64, is too coarse); other m1 go through θ = acos c.
 */
function angularMargin(c: Tensor, m1: number, m2: number): Tensor {
  if (m1 !== 1) return cos(affine(acos(c), m1, m2));
  return m2 === 0 ? c : cosPlusMargin(c, m2);
}

/** The margin options {@link marginedTarget} reads. */
type MarginShape = Pick<CombinedMarginOptions, "m1" | "m2" | "m3" | "easyMargin" | "fallback">;

/** Target cosine after the margin, for target cosines `cy` [N]. */
function marginedTarget(cy: Tensor, o: MarginShape): Tensor {
  const safe = clamp(cy, -1 + COS_EPS, 1 - COS_EPS);
  const margined = affine(angularMargin(safe, o.m1, o.m2), 1, -o.m3);
  if (o.easyMargin) return where(greater(cy, scalarLike(cy, 0)), margined, cy);
  if (!o.fallback) return margined;
  const limit = (Math.PI - o.m2) / o.m1; // θ beyond which m1·θ + m2 > π
  const th = limit >= Math.PI ? -1 : Math.cos(limit);
  const mm = Math.sin(Math.PI - o.m2) * o.m2;
  return where(greater(cy, scalarLike(cy, th)), margined, affine(cy, 1, -o.m3 - mm));
}

/**
 * The margined target for target cosines `cy` [N]; with `straightThrough` its gradient is that of `cy` itself
 * (arcface_torch).
 */
export function marginTarget(cy: Tensor, o: CombinedMarginOptions): Tensor {
  return o.straightThrough ? add(cy, noGrad(() => sub(marginedTarget(cy, o), cy))) : marginedTarget(cy, o);
}

/**
 * The ArcFace target with face.evoLVe's monotone fallback, as CurricularFace and ArcNegFace (FaceX-Zoo) use it:
 * cos(θ_y + m) where cos θ_y > cos(π − m), else cos θ_y − m·sin m.
 */
export function arcTargetWithFallback(cy: Tensor, m: number): Tensor {
  return marginedTarget(cy, { m1: 1, m2: m, m3: 0, easyMargin: false, fallback: true });
}

/** The combined-margin head. */
export class CombinedMarginHead extends Head {
  /** class weights [C, D] */
  readonly weight: Tensor;
  /** parsed options */
  readonly options: Readonly<CombinedMarginOptions>;

  /** Creates Xavier-uniform class weights. */
  constructor(ctx: ModuleContext, o: CombinedMarginOptions) {
    super();
    this.options = o;
    this.weight = this.addParameter("weight", classWeights(ctx, o));
  }

  /** s·cos θ with the target column margined. */
  forward(embeddings: Tensor, labels: Tensor): HeadOutput {
    const { cos: c } = cosines(embeddings, this.weight);
    const cy = targetColumn(c, labels);
    return { logits: scale(replaceTarget(c, labels, cy, marginTarget(cy, this.options)), this.options.s) };
  }
}

const PRESETS: { name: string; description: string; tags: string[]; d: Parameters<typeof marginSchema>[0] }[] = [
  {
    name: "arcface",
    description: "ArcFace, face.evoLVe defaults: s 64, additive angular margin m2 0.5, th/mm fallback",
    tags: ["margin", "evo"],
    d: { s: 64, m2: 0.5 },
  },
  {
    name: "arcface_aft",
    description: "ArcFace as arcface_torch trains it: s 64, m2 0.5, no fallback, straight-through gradient",
    tags: ["margin", "aft"],
    d: { s: 64, m2: 0.5, fallback: false, st: true },
  },
  {
    name: "cosface",
    description: "CosFace, face.evoLVe defaults: s 64, additive cosine margin m3 0.35",
    tags: ["margin", "evo"],
    d: { s: 64, m3: 0.35 },
  },
  {
    name: "am_softmax",
    description: "AM-Softmax, FaceX-Zoo defaults: s 32, additive cosine margin m3 0.35 (normalised embedding)",
    tags: ["margin", "fxz"],
    d: { s: 32, m3: 0.35 },
  },
  {
    name: "combined_margin",
    description: "Combined margin cos(m1·θ + m2) − m3 with the ArcFace paper's (1, 0.3, 0.2), s 64",
    tags: ["margin"],
    d: { s: 64, m2: 0.3, m3: 0.2 },
  },
];

for (const p of PRESETS) {
  heads.register({
    name: p.name,
    schema: marginSchema(p.d),
    create: (o, ctx) => new CombinedMarginHead(ctx, o),
    tags: p.tags,
    description: p.description,
  });
}
