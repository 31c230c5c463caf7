/**
 * Knowledge-distillation terms between a student and a fixed teacher on the same batch, each with its own weight:
 *
 * - **soft targets** (Hinton et al. 2015), as FaceX-Zoo's `addition_module/face_lightning/KDF/loss/soft_target.py`:
 *   KL(softmax(t/T) ‖ softmax(s/T)) summed over classes, averaged over the batch ("batchmean"), times T²; FaceX-Zoo's
 *   `kd_training/train.py` feeds it both heads' outputs (margins included) with weight `lambda_kd` = 1, T = 4;
 * - **embedding** distillation: `l2` is the mean squared difference of the raw embeddings over all elements
 *   (PyTorch `F.mse_loss`, the hint loss of FaceX-Zoo's `loss/fitnet.py`), `cosine` is the batch mean of
 *   1 − cos(student, teacher);
 * - **relational** distillation, the distance term of RKD (Park et al., Relational Knowledge Distillation, CVPR
 *   2019; FaceX-Zoo's `loss/rkd.py`, which its factory never builds): the N×N Euclidean distances of each side
 *   (diagonal 0), each divided by its mean off-diagonal distance, compared with the Huber (smooth-L1, δ = 1) loss
 *   averaged over all N² entries. FaceX-Zoo's `loss_conf.yaml` weighs it 25.
 *
 * The teacher's tensors are constants (computed without gradient); every term is built from existing ops.
 * @module
 */
import { z } from "zod";
import type { Tensor } from "../core/tensor.ts";
import {
  abs,
  add,
  clamp,
  div,
  exp,
  l2Normalize,
  logSoftmax,
  matmul,
  mul,
  reduceMean,
  reduceSum,
  reshape,
  scalarLike,
  scale,
  sqrt,
  sub,
  tensor,
} from "../ops/mod.ts";

/** The distillation terms and their weights; a term set to null is off. */
export const distillationSchema = z.object({
  /** KL of temperature-softened head logits (FaceX-Zoo SoftTarget: weight λ_kd 1, T 4) */
  softTargets: z.object({
    weight: z.number().nonnegative().default(1),
    temperature: z.number().positive().default(4),
  }).strict().nullable().default(null),
  /** distance of the student's embedding to the teacher's: squared error (`l2`) or 1 − cosine (`cosine`) */
  embedding: z.object({
    weight: z.number().nonnegative().default(1),
    metric: z.enum(["l2", "cosine"]).default("cosine"),
  }).strict().nullable().default(null),
  /** RKD distance term on the embeddings (FaceX-Zoo's loss_conf.yaml weight 25) */
  relational: z.object({
    weight: z.number().nonnegative().default(25),
  }).strict().nullable().default(null),
}).strict().refine((c) => c.softTargets || c.embedding || c.relational, {
  message: "name at least one distillation term (softTargets, embedding, relational)",
});

/** A validated distillation config. */
export type DistillationConfig = z.output<typeof distillationSchema>;

/** KL(softmax(teacher/T) ‖ softmax(student/T)) · T², batch mean; both `[N, C]`. */
export function softTargetLoss(student: Tensor, teacher: Tensor, temperature: number): Tensor {
  const logStudent = logSoftmax(scale(student, 1 / temperature));
  const logTeacher = logSoftmax(scale(teacher, 1 / temperature));
  const kl = reduceSum(mul(exp(logTeacher), sub(logTeacher, logStudent)));
  return scale(kl, (temperature * temperature) / student.shape[0]);
}

/** Embedding distance to the teacher, `[N, D]` each: mean squared error (`l2`) or mean 1 − cosine (`cosine`). */
export function embeddingLoss(student: Tensor, teacher: Tensor, metric: "l2" | "cosine"): Tensor {
  if (metric === "l2") return reduceMean(mul(sub(student, teacher), sub(student, teacher)));
  const cos = reduceSum(mul(l2Normalize(student), l2Normalize(teacher)), 1);
  return sub(scalarLike(student, 1), reduceMean(cos));
}

/** Euclidean distances `[N, N]` between the rows of `x` `[N, D]`, exactly 0 on the diagonal (RKD's `pdist`). */
export function pairwiseDistances(x: Tensor): Tensor {
  const n = x.shape[0];
  const squares = reduceSum(mul(x, x), 1, true);
  const gram = matmul(x, x, false, true);
  const squared = sub(add(squares, reshape(squares, [1, n])), scale(gram, 2));
  const offDiagonal = tensor(x.backend, Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 0 : 1)), [n, n]);
  return mul(sqrt(clamp(squared, 1e-12, 3e38)), offDiagonal);
}

/** Distances divided by their mean over the N(N − 1) off-diagonal pairs. */
function normalisedDistances(x: Tensor): Tensor {
  const n = x.shape[0];
  const d = pairwiseDistances(x);
  return div(d, scale(reduceSum(d), 1 / (n * (n - 1))));
}

/** Huber (smooth-L1, δ = 1) of `a − b`, mean over all elements: ½x² for |x| < 1, |x| − ½ beyond. */
export function smoothL1(a: Tensor, b: Tensor): Tensor {
  const magnitude = abs(sub(a, b));
  const inner = clamp(magnitude, 0, 1);
  return reduceMean(mul(inner, sub(magnitude, scale(inner, 0.5))));
}

/** RKD distance loss between the embeddings `[N, D]` of student and teacher (N ≥ 2). */
export function relationalLoss(student: Tensor, teacher: Tensor): Tensor {
  if (student.shape[0] < 2) throw new RangeError(`relationalLoss: needs at least 2 rows, got ${student.shape[0]}`);
  return smoothL1(normalisedDistances(student), normalisedDistances(teacher));
}

/** What the distillation terms compare: embeddings `[N, D]` and, for soft targets, head logits `[N, C]`. */
export interface DistillationSides {
  /** embeddings */
  embeddings: Tensor;
  /** head logits (null: a teacher without a head) */
  logits: Tensor | null;
}

/** The weighted sum of the configured terms; soft targets need both sides' logits with the same class count. */
export function distillationLoss(
  config: DistillationConfig,
  student: DistillationSides,
  teacher: DistillationSides,
): Tensor {
  const terms: Tensor[] = [];
  if (config.softTargets) {
    if (!student.logits || !teacher.logits) {
      throw new Error(
        `distillation softTargets: the ${student.logits ? "teacher's" : "student's"} head gives no logits`,
      );
    }
    if (student.logits.shape[1] !== teacher.logits.shape[1]) {
      throw new Error(
        `distillation softTargets: the teacher's head has ${teacher.logits.shape[1]} classes, the student's ` +
          `${student.logits.shape[1]} (the teacher must be trained on the same identities)`,
      );
    }
    const { weight, temperature } = config.softTargets;
    terms.push(scale(softTargetLoss(student.logits, teacher.logits, temperature), weight));
  }
  if (config.embedding) {
    const { weight, metric } = config.embedding;
    terms.push(scale(embeddingLoss(student.embeddings, teacher.embeddings, metric), weight));
  }
  if (config.relational) {
    terms.push(scale(relationalLoss(student.embeddings, teacher.embeddings), config.relational.weight));
  }
  return terms.reduce((sum, term) => add(sum, term));
}
