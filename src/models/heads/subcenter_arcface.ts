/**
 * Sub-center ArcFace (Deng et al. ECCV 2020; insightface `recognition/subcenter_arcface/train_parall.py`, MXNet):
 * each class has K sub-centres, W [C·K, D] with class c's sub-centres in rows c·K … c·K + K − 1 (insightface
 * reshapes the [N, C·K] cosines to [N, C, K]); cos θ_c is the largest cosine of the embedding with class c's
 * L2-normalised sub-centres, then the combined margin applies as in {@link CombinedMarginHead}. Defaults follow
 * insightface: K 3, s 64, m2 0.5, and no th/mm fallback (its symbol takes cos(acos(cos θ_y) + m2) as is);
 * W ~ N(0, 0.01²) (its fc7 initialiser).
 *
 * Not done: the paper's second stage (insightface `drop.py`) — after training, drop the non-dominant sub-centres and
 * the training images more than 75° from their class's dominant sub-centre, then retrain ArcFace on the cleaned
 * set. It needs the embeddings of the whole training set, which a head does not see, so it is a data-cleaning tool
 * outside this head.
 * @module
 */
import { z } from "zod";
import type { Tensor } from "../../core/tensor.ts";
import { initTensor } from "../../nn/init.ts";
import type { ModuleContext } from "../../nn/module.ts";
import { reduceMax, reshape, scale } from "../../ops/mod.ts";
import { heads } from "../registry.ts";
import { Head, type HeadOutput } from "./head.ts";
import { cosines, replaceTarget, targetColumn } from "./_cosine.ts";
import { type CombinedMarginOptions, marginSchema, marginTarget } from "./combined_margin.ts";

const subCenterSchema = marginSchema({ s: 64, m2: 0.5, fallback: false }).extend({
  /** sub-centres K per class */
  subCenters: z.number().int().min(1).default(3),
}).strict();

/** Parsed sub-center ArcFace options. */
export type SubCenterArcFaceOptions = z.output<typeof subCenterSchema>;

/** The sub-center ArcFace head. */
export class SubCenterArcFaceHead extends Head {
  /** sub-centre weights [C·K, D] */
  readonly weight: Tensor;
  /** parsed options */
  readonly options: Readonly<SubCenterArcFaceOptions>;

  /** Creates N(0, 0.01²) sub-centre weights. */
  constructor(ctx: ModuleContext, o: SubCenterArcFaceOptions) {
    super();
    this.options = o;
    const rows = o.numClasses * o.subCenters;
    const fans = { fanIn: o.embeddingSize, fanOut: rows };
    this.weight = this.addParameter(
      "weight",
      initTensor(ctx, [rows, o.embeddingSize], { kind: "normal", std: 0.01 }, fans),
    );
  }

  /** s·max_k cos θ_{c,k} with the target column margined. */
  forward(embeddings: Tensor, labels: Tensor): HeadOutput {
    const { numClasses, subCenters } = this.options;
    const margin: CombinedMarginOptions = this.options;
    const perCentre = cosines(embeddings, this.weight).cos;
    const c = reduceMax(reshape(perCentre, [perCentre.shape[0], numClasses, subCenters]), 2);
    const cy = targetColumn(c, labels);
    return { logits: scale(replaceTarget(c, labels, cy, marginTarget(cy, margin)), margin.s) };
  }
}

heads.register({
  name: "subcenter_arcface",
  schema: subCenterSchema,
  create: (o, ctx) => new SubCenterArcFaceHead(ctx, o),
  tags: ["margin", "insightface"],
  description: "Sub-center ArcFace (insightface MXNet): K 3 sub-centres max-pooled, s 64, m2 0.5, no fallback",
});
