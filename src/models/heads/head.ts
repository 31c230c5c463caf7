/**
 * What every head is: a module mapping embeddings [N, D] and labels i32 [N] to logits [N, C] (plus an optional
 * extra loss term) or, for a metric-learning head (triplet), to a loss of its own; with a per-iteration hook for
 * scheduled hyper-parameters.
 * @module
 */
import { z } from "zod";
import type { Tensor } from "../../core/tensor.ts";
import { Module } from "../../nn/module.ts";
import { add } from "../../ops/mod.ts";

/**
 * What a head returns for one batch: logits [N, C] for a softmax loss, with `extraLoss` a scalar to add to it
 * (heads with a regulariser); or no logits and the whole loss in `extraLoss` (metric-learning heads).
 */
export type HeadOutput =
  | { logits: Tensor; extraLoss?: Tensor }
  | { logits: null; extraLoss: Tensor };

/** The scalar to minimise for `out`: `classify(logits)` plus the head's extra loss, or the extra loss alone. */
export function headObjective(out: HeadOutput, classify: (logits: Tensor) => Tensor): Tensor {
  if (out.logits === null) return out.extraLoss;
  const classification = classify(out.logits);
  return out.extraLoss ? add(classification, out.extraLoss) : classification;
}

/** A head. Its serialisable state is `state()` plus the iteration last passed to `step`. */
export abstract class Head extends Module {
  /** Logits (and extra loss) for `embeddings` [N, D] and `labels` i32 [N]. */
  abstract forward(embeddings: Tensor, labels: Tensor): HeadOutput;

  /**
   * Tells the head the 0-based training iteration about to run (call before `forward`); heads with scheduled
   * hyper-parameters (SphereFace's λ) derive them from it, so resuming needs only the trainer's iteration.
   */
  step(_iteration: number): void {}

  /** Current scheduled hyper-parameters, for logs (e.g. `{ lambda: 5 }`); empty when there are none. */
  status(): Record<string, number> {
    return {};
  }
}

/** Option fields shared by every head. */
export const headBaseSchema = z.object({
  /** embedding width D */
  embeddingSize: z.number().int().positive().default(512),
  /** number of classes C */
  numClasses: z.number().int().min(2),
});
