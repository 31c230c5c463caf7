/**
 * Sub-center ArcFace (Deng et al. ECCV 2020; insightface `recognition/subcenter_arcface/train_parall.py`, MXNet):
 * each class has K sub-centres, W [C·K, D] with class c's sub-centres in rows c·K … c·K + K − 1 (insightface
 * reshapes the [N, C·K] cosines to [N, C, K]); cos θ_c is the largest cosine of the embedding with class c's
 * L2-normalised sub-centres, then the combined margin applies as in the combined-margin head. Defaults follow
 * insightface: K 3, s 64, m2 0.5, and no th/mm fallback (its symbol takes cos(acos(cos θ_y) + m2) as is);
 * W ~ N(0, 0.01²) (its fc7 initialiser).
 *
 * The paper's second stage (insightface `drop.py`) runs after training on the whole training set: per class, the
 * dominant sub-centre is the one most of the class's images are closest to; the other sub-centres and the images
 * more than 75° from the dominant one are dropped, and ArcFace is retrained on the cleaned set. A head sees only
 * batches, so `dropAfterIteration` gives an online variant instead (off by default): until that iteration each
 * training batch adds, per sample, one count to the sub-centre of its own class it is closest to (buffer `counts`
 * [C, K], in checkpoints and the weight hash; ties count for each tied sub-centre); from that iteration on, only
 * each class's most-counted sub-centre (the first on a tie) is used, the counts stay frozen, and a sample whose
 * angle to its class's dominant sub-centre exceeds `dropThreshold` gets no gradient (its logits are detached; its
 * loss value still counts). Counts are gathered while the model trains, not from one pass of the final model, and
 * training continues with the remaining sub-centre rather than restarting on a cleaned dataset.
 * @module
 */
import { z } from "zod";
import { keep } from "../../core/scope.ts";
import { noGrad } from "../../core/tape.ts";
import type { Tensor } from "../../core/tensor.ts";
import { initTensor } from "../../nn/init.ts";
import type { ModuleContext } from "../../nn/module.ts";
import {
  add,
  copy,
  copyInto,
  equal,
  greater,
  matmul,
  mul,
  oneHot,
  reduceMax,
  reduceSum,
  reshape,
  scalarLike,
  scale,
  sub,
  tensor,
  where,
  zeros,
} from "../../ops/mod.ts";
import { heads } from "../registry.ts";
import { Head, type HeadOutput } from "./head.ts";
import { column, cosines, replaceTarget, targetColumn } from "./_cosine.ts";
import { type CombinedMarginOptions, marginSchema, marginTarget } from "./combined_margin.ts";

const subCenterSchema = marginSchema({ s: 64, m2: 0.5, fallback: false }).extend({
  /** sub-centres K per class */
  subCenters: z.number().int().min(1).default(3),
  /** 0-based iteration from which only each class's dominant sub-centre is used (null: never) */
  dropAfterIteration: z.number().int().min(0).nullable().default(null),
  /** angle to the dominant sub-centre (degrees) beyond which a sample gets no gradient after the drop */
  dropThreshold: z.number().gt(0).max(180).default(75),
}).strict();

/** Parsed sub-center ArcFace options. */
export type SubCenterArcFaceOptions = z.output<typeof subCenterSchema>;

/** The sub-center ArcFace head. */
export class SubCenterArcFaceHead extends Head {
  /** sub-centre weights [C·K, D] */
  readonly weight: Tensor;
  /** per class, how many training samples each sub-centre won [C, K] (buffer; only with `dropAfterIteration`) */
  readonly counts: Tensor | null;
  /** parsed options */
  readonly options: Readonly<SubCenterArcFaceOptions>;
  /** 1 at each class's dominant sub-centre [C, K], once the drop iteration is reached (derived from `counts`) */
  #dominant: Tensor | null = null;
  /** `counts.version` the mask was derived from: a later write (a load, a checkpoint restore) makes it stale */
  #dominantFrom = -1;

  /** Creates N(0, 0.01²) sub-centre weights (and zero counts when the drop is on). */
  constructor(ctx: ModuleContext, o: SubCenterArcFaceOptions) {
    super();
    this.options = o;
    const rows = o.numClasses * o.subCenters;
    const fans = { fanIn: o.embeddingSize, fanOut: rows };
    this.weight = this.addParameter(
      "weight",
      initTensor(ctx, [rows, o.embeddingSize], { kind: "normal", std: 0.01 }, fans),
    );
    this.counts = o.dropAfterIteration === null
      ? null
      : this.addBuffer("counts", zeros(ctx.backend, [o.numClasses, o.subCenters]));
  }

  /** Fixes the dominant sub-centres once `iteration` reaches `dropAfterIteration`. */
  override step(iteration: number): void {
    const { dropAfterIteration, subCenters } = this.options;
    if (!this.counts || this.#currentDominant() || dropAfterIteration === null || iteration < dropAfterIteration) {
      return;
    }
    const counts = this.counts;
    this.#dominantFrom = counts.version;
    this.#dominant = keep(noGrad(() => {
      const firstWins = tensor(counts.backend, Array.from({ length: subCenters }, (_, k) => k / subCenters), [
        1,
        subCenters,
      ]);
      const score = sub(counts, firstWins);
      return equal(score, reduceMax(score, 1, true));
    }));
  }

  /** s·max_k cos θ_{c,k} with the target column margined (only dominant sub-centres after the drop). */
  forward(embeddings: Tensor, labels: Tensor): HeadOutput {
    const { numClasses, subCenters, dropThreshold } = this.options;
    const margin: CombinedMarginOptions = this.options;
    const perCentre = cosines(embeddings, this.weight).cos;
    const byCentre = reshape(perCentre, [perCentre.shape[0], numClasses, subCenters]);
    const dominant = this.#currentDominant();
    if (this.counts && !dominant && this.training) noGrad(() => this.#count(byCentre, labels));
    const pooled = dominant
      ? where(reshape(dominant, [1, numClasses, subCenters]), byCentre, scalarLike(byCentre, -2))
      : byCentre;
    const c = reduceMax(pooled, 2);
    const cy = targetColumn(c, labels);
    const logits = scale(replaceTarget(c, labels, cy, marginTarget(cy, margin)), margin.s);
    if (!dominant) return { logits };
    const clean = noGrad(() => greater(cy, scalarLike(cy, Math.cos((dropThreshold * Math.PI) / 180))));
    return { logits: where(column(clean), logits, noGrad(() => copy(logits))) };
  }

  /** Adds one count per sample to the sub-centre(s) of its own class it is closest to. */
  #count(byCentre: Tensor, labels: Tensor): void {
    const [n, classes, k] = byCentre.shape;
    const hot = oneHot(labels, classes);
    const own = reduceSum(mul(byCentre, reshape(hot, [n, classes, 1])), 1);
    const winners = equal(own, reduceMax(own, 1, true));
    copyInto(this.counts!, add(this.counts!, reshape(matmul(hot, winners, true, false), [classes, k])));
  }

  /** The dominant-sub-centre mask, forgotten (to be re-derived) once `counts` was written after it was derived. */
  #currentDominant(): Tensor | null {
    if (this.#dominant && this.counts?.version !== this.#dominantFrom) {
      this.#dominant.dispose();
      this.#dominant = null;
    }
    return this.#dominant;
  }

  /** Frees the parameters, buffers and the dominant-sub-centre mask. */
  override dispose(): void {
    super.dispose();
    this.#dominant?.dispose();
  }
}

heads.register({
  name: "subcenter_arcface",
  schema: subCenterSchema,
  create: (o, ctx) => new SubCenterArcFaceHead(ctx, o),
  tags: ["margin", "insightface"],
  description: "Sub-center ArcFace (insightface MXNet): K 3 sub-centres max-pooled, s 64, m2 0.5, no fallback",
});
