/**
 * SphereFace / A-Softmax (face.evoLVe `SphereFace`): cosines of L2-normalised embedding and weights; the target
 * cosine becomes ψ(θ) = (−1)^k·cos(mθ) − 2k with k = ⌊mθ/π⌋ (cos(mθ) by the Chebyshev polynomial T_m, so the
 * gradient needs no `acos`), blended as cos θ + (ψ − cos θ)/(1 + λ); every logit is then multiplied by the raw
 * embedding norm ‖x‖. λ anneals as max(λ_min, base·(1 + γ·iter)^(−power)); face.evoLVe increments `iter` before
 * each forward, so iteration i (0-based, from {@link Head.step}) uses iter = i + 1.
 * @module
 */
import { z } from "zod";
import { noGrad } from "../../core/tape.ts";
import type { Tensor } from "../../core/tensor.ts";
import type { ModuleContext } from "../../nn/module.ts";
import { acos, add, affine, clamp, cos, greater, mul, reshape, scalarLike, sub, zerosLike } from "../../ops/mod.ts";
import { heads } from "../registry.ts";
import { Head, headBaseSchema, type HeadOutput } from "./head.ts";
import { classWeights, cosines, replaceTarget, targetColumn } from "./_cosine.ts";

const sphereSchema = headBaseSchema.extend({
  /** angular multiplier m */
  m: z.number().int().min(1).max(8).default(4),
  /** λ schedule base */
  base: z.number().positive().default(1000),
  /** λ schedule γ */
  gamma: z.number().min(0).default(0.12),
  /** λ schedule power */
  power: z.number().min(0).default(1),
  /** λ floor */
  lambdaMin: z.number().min(0).default(5),
}).strict();

/** Parsed SphereFace options. */
export type SphereFaceOptions = z.output<typeof sphereSchema>;

/** Chebyshev polynomial T_m(c) = cos(m·acos c). */
function chebyshev(c: Tensor, m: number): Tensor {
  let prev = affine(c, 0, 1);
  let cur = c;
  if (m === 0) return prev;
  for (let k = 1; k < m; k++) [prev, cur] = [cur, sub(mul(affine(c, 2, 0), cur), prev)];
  return cur;
}

/** The SphereFace head. */
export class SphereFaceHead extends Head {
  /** class weights [C, D] */
  readonly weight: Tensor;
  /** parsed options */
  readonly options: Readonly<SphereFaceOptions>;
  #lambda: number;

  /** Creates Xavier-uniform class weights; λ starts at its iteration-0 value. */
  constructor(ctx: ModuleContext, o: SphereFaceOptions) {
    super();
    this.options = o;
    this.weight = this.addParameter("weight", classWeights(ctx, o));
    this.#lambda = this.lambdaAt(0);
  }

  /** λ used at 0-based training iteration `iteration`. */
  lambdaAt(iteration: number): number {
    const { base, gamma, power, lambdaMin } = this.options;
    return Math.max(lambdaMin, base * Math.pow(1 + gamma * (iteration + 1), -power));
  }

  /** Sets λ for `iteration`. */
  override step(iteration: number): void {
    this.#lambda = this.lambdaAt(iteration);
  }

  /** The current λ. */
  override status(): Record<string, number> {
    return { lambda: this.#lambda };
  }

  /** ‖x‖·cos θ with the target column replaced by the λ-blended ψ(θ). */
  forward(embeddings: Tensor, labels: Tensor): HeadOutput {
    const m = this.options.m;
    const { cos: c, norm } = cosines(embeddings, this.weight);
    const raw = targetColumn(c, labels);
    const cy = clamp(raw, -1, 1);
    const [k, sign] = noGrad(() => {
      const turns = affine(acos(cy), m / Math.PI, 0);
      let count = zerosLike(cy);
      for (let j = 1; j <= m; j++) count = add(count, greater(turns, scalarLike(cy, j)));
      return [count, cos(affine(count, Math.PI, 0))];
    });
    const psi = sub(mul(sign, chebyshev(cy, m)), affine(k, 2, 0));
    const target = add(cy, affine(sub(psi, cy), 1 / (1 + this.#lambda), 0));
    const logits = mul(replaceTarget(c, labels, raw, target), reshape(norm, [norm.size, 1]));
    return { logits };
  }
}

heads.register({
  name: "sphereface",
  schema: sphereSchema,
  create: (o, ctx) => new SphereFaceHead(ctx, o),
  tags: ["margin", "evo"],
  description: "SphereFace (A-Softmax), face.evoLVe defaults: m 4, λ = max(5, 1000·(1 + 0.12·iter)^−1)",
});
