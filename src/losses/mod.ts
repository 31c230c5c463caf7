/**
 * Classification losses over head logits, selected by a zod-validated config.
 * @module
 */
import { z } from "zod";
import type { Tensor } from "../core/tensor.ts";
import { crossEntropy } from "./cross_entropy.ts";
import { focalLoss } from "./focal.ts";

export * from "./cross_entropy.ts";
export * from "./focal.ts";
export * from "./distillation.ts";

/** Loss config: cross-entropy (optionally label-smoothed) or focal. */
export const lossSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("cross_entropy"),
    /** label smoothing ε in [0, 1) */
    smoothing: z.number().min(0).lt(1).default(0),
  }).strict(),
  z.object({
    kind: z.literal("focal"),
    /** focusing parameter γ (face.evoLVe 2) */
    gamma: z.number().min(0).default(2),
    /** per-sample focal factor (default) or face.evoLVe's batch-mean variant */
    mode: z.enum(["sample", "batch"]).default("sample"),
  }).strict(),
]);

/** A validated loss config. */
export type LossConfig = z.output<typeof lossSchema>;

/** A loss function: scalar loss from logits [N, C] and labels i32 [N]. */
export type LossFn = (logits: Tensor, labels: Tensor) => Tensor;

/** The loss function of a validated config. */
export function createLoss(config: LossConfig): LossFn {
  switch (config.kind) {
    case "cross_entropy":
      return (logits, labels) => crossEntropy(logits, labels, config.smoothing);
    case "focal":
      return (logits, labels) => focalLoss(logits, labels, config.gamma, config.mode);
  }
}
