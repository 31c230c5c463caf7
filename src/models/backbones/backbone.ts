/**
 * What every backbone is: a layer mapping an aligned NHWC face crop [N, S, S, 3] to an embedding [N, 512]
 * (not L2-normalised, except ResNeSt's, which keeps FaceX-Zoo's `l2_norm`), plus the shared option fields of every
 * family.
 * @module
 */
import { z } from "zod";
import { Layer, type ModuleContext } from "../../nn/module.ts";

/** A backbone: `forward(x [N, inputSize, inputSize, 3]) → [N, embeddingSize]`. */
export abstract class Backbone extends Layer {
  /** side of the square input crop */
  abstract readonly inputSize: number;
  /** embedding width (512 for every preset) */
  abstract readonly embeddingSize: number;

  /**
   * The form to run or export for inference, built with `ctx` (the backend this model lives on): a family with a
   * structural re-parameterisation returns a new, folded model equal to this one in eval mode (RepVGG); the default
   * is this model itself.
   */
  inferenceForm(_ctx: ModuleContext): Backbone {
    return this;
  }
}

/** Option fields shared by every backbone family. */
export const backboneBaseSchema = z.object({
  /** side of the input crop; any multiple of 16 works (the anchors use 112, IR/ResNet also 224) */
  inputSize: z.number().int().min(16).multipleOf(16).default(112),
  /** embedding width */
  embeddingSize: z.number().int().positive().default(512),
});
