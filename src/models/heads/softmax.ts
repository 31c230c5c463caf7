/**
 * The plain softmax head (face.evoLVe `Softmax`): logits = x·Wᵀ + b, W [C, D] Xavier-uniform, b zero; no
 * normalisation, no margin. Paths `weight`, `bias` (the bias takes no weight decay).
 * @module
 */
import type { Tensor } from "../../core/tensor.ts";
import { initTensor } from "../../nn/init.ts";
import type { ModuleContext } from "../../nn/module.ts";
import { linear, zeros } from "../../ops/mod.ts";
import { heads } from "../registry.ts";
import { Head, headBaseSchema, type HeadOutput } from "./head.ts";

const softmaxSchema = headBaseSchema.strict();

/** The softmax head. */
export class SoftmaxHead extends Head {
  /** class weights [C, D] */
  readonly weight: Tensor;
  /** class biases [C] */
  readonly bias: Tensor;

  /** Creates Xavier-uniform weights and zero biases. */
  constructor(ctx: ModuleContext, o: { embeddingSize: number; numClasses: number }) {
    super();
    const fans = { fanIn: o.embeddingSize, fanOut: o.numClasses };
    this.weight = this.addParameter(
      "weight",
      initTensor(ctx, [o.numClasses, o.embeddingSize], { kind: "xavierUniform" }, fans),
    );
    this.bias = this.addParameter("bias", zeros(ctx.backend, [o.numClasses]), { decay: false });
  }

  /** x·Wᵀ + b. */
  forward(embeddings: Tensor, _labels: Tensor): HeadOutput {
    return { logits: linear(embeddings, this.weight, this.bias) };
  }
}

heads.register({
  name: "softmax",
  schema: softmaxSchema,
  create: (o, ctx) => new SoftmaxHead(ctx, o),
  tags: ["softmax", "evo"],
  description: "Plain softmax: linear layer with bias, Xavier-uniform weights (face.evoLVe)",
});
