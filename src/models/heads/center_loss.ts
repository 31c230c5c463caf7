/**
 * Center loss (Wen et al., "A Discriminative Feature Learning Approach for Deep Face Recognition", ECCV 2016): the
 * plain softmax head (logits x·Wᵀ + b, the `softmax` head's layout and init) plus λ·½·mean_i ‖x_i − c_{y_i}‖², the
 * mean over the batch as the authors' Caffe layer computes it (the paper's eq. 2 writes the sum). None of face.evoLVe,
 * FaceX-Zoo or arcface_torch has it.
 *
 * Centres `centers` [C, D] start at zero (the paper leaves their initialisation open). With `centers: "update"`
 * (default, the paper's Algorithm 1) they are a buffer, not trained by SGD: after each training forward,
 * Δc_j = Σ_{i: y_i = j} (c_j − x_i) / (1 + n_j) and c_j ← c_j − α·Δc_j (eq. 4), so they are in checkpoints and
 * the weight hash. With `centers: "learned"` they are a parameter (no weight decay) trained by SGD through the
 * centre term. Defaults λ = 0.003, α = 0.5: the values around which the paper's face experiments sweep λ and α (as
 * recalled from the paper; its text was not available here to check). The authors' Caffe example
 * (`ydwen/caffe-face` README) differs: loss_weight 0.008 with the centres a learned blob (lr_mult 1), the
 * `centers: "learned"` route. Paths `weight`, `bias`, `centers`.
 * @module
 */
import { z } from "zod";
import { noGrad } from "../../core/tape.ts";
import type { Tensor } from "../../core/tensor.ts";
import type { ModuleContext } from "../../nn/module.ts";
import {
  affine,
  copyInto,
  div,
  gatherRows,
  linear,
  mul,
  ones,
  reduceSum,
  scale,
  scatterAddRows,
  sub,
  zeros,
} from "../../ops/mod.ts";
import { heads } from "../registry.ts";
import { headBaseSchema, type HeadOutput } from "./head.ts";
import { SoftmaxHead } from "./softmax.ts";

const centerSchema = headBaseSchema.extend({
  /** weight λ of the centre term */
  lambda: z.number().min(0).default(0.003),
  /** centre learning rate α of the paper's update (`centers: "update"`) */
  alpha: z.number().min(0).max(1).default(0.5),
  /** "update": the paper's α-rule on a buffer; "learned": a parameter trained by SGD */
  centers: z.enum(["update", "learned"]).default("update"),
}).strict();

/** Parsed center-loss options. */
export type CenterLossOptions = z.output<typeof centerSchema>;

/** Softmax plus the center loss. */
export class CenterLossHead extends SoftmaxHead {
  /** class centres [C, D] */
  readonly centers: Tensor;
  /** parsed options */
  readonly options: Readonly<CenterLossOptions>;

  /** Creates the softmax layer and zero centres. */
  constructor(ctx: ModuleContext, o: CenterLossOptions) {
    super(ctx, o);
    this.options = o;
    const initial = zeros(ctx.backend, [o.numClasses, o.embeddingSize]);
    this.centers = o.centers === "update"
      ? this.addBuffer("centers", initial)
      : this.addParameter("centers", initial, { decay: false });
  }

  /** Softmax logits, extra loss λ·½·mean ‖x − c_y‖²; in training with `centers: "update"`, then moves the centres. */
  override forward(embeddings: Tensor, labels: Tensor): HeadOutput {
    const diff = sub(embeddings, gatherRows(this.centers, labels));
    const centerTerm = scale(reduceSum(mul(diff, diff)), this.options.lambda / (2 * labels.size));
    if (this.training && this.options.centers === "update") noGrad(() => this.#moveCenters(embeddings, labels));
    return { logits: linear(embeddings, this.weight, this.bias), extraLoss: centerTerm };
  }

  /** The paper's eq. 4: c_j ← c_j − α·(n_j·c_j − Σ_{y_i = j} x_i) / (1 + n_j). */
  #moveCenters(embeddings: Tensor, labels: Tensor): void {
    const rows = this.options.numClasses;
    const counts = scatterAddRows(ones(embeddings.backend, [labels.size, 1]), labels, rows);
    const sums = scatterAddRows(embeddings, labels, rows);
    const delta = div(sub(mul(counts, this.centers), sums), affine(counts, 1, 1));
    copyInto(this.centers, sub(this.centers, scale(delta, this.options.alpha)));
  }
}

heads.register({
  name: "center_loss",
  schema: centerSchema,
  create: (o, ctx) => new CenterLossHead(ctx, o),
  tags: ["softmax"],
  description: "Softmax + center loss (Wen et al. 2016): λ 0.003 · ½‖x − c_y‖², centres moved at rate α 0.5 (buffer)",
});
