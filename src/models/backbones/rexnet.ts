/**
 * ReXNet for faces as FaceX-Zoo builds it (`backbone/ReXNets.py`, after clovaai's `rexnetv1.py`; Han et al.,
 * "Rethinking Channel Dimensions for Efficient Model Design", CVPR 2021): 3×3 stem conv at stride 1 (ImageNet: 2) →
 * BN → swish → 16 linear bottlenecks → 1×1 conv to ⌊512·width⌋ → BN → swish → FaceX-Zoo's output layer BN2d →
 * Dropout(0.2) → Flatten → Linear(C·7·7 → 512) → BN1d (no pooling, no classifier).
 *
 * A linear bottleneck is [1×1 expand conv ×t + BN + swish] (t = 6, or 1 in the first stage, where it is skipped) →
 * 3×3 depthwise conv(stride) + BN → ReLU6 → 1×1 project conv + BN (linear); when the stride is 1 and the block does
 * not narrow, the input is added to the **first C_in output channels only** (the "partial residual": the other
 * C_out − C_in channels pass unchanged). Stages of 1, 2, 2, 3, 3, 5 blocks (⌈r · depth⌉), strides 1, 2, 2, 2, 1, 2 on
 * their first block. Channels grow linearly: block 0 maps the 32-channel stem to `inputChannels`, then each block
 * adds `finalChannels` / (number of blocks), the running value rounded half to even (Python's `round`) after the
 * width multiplier; for width < 1 the stem and the start are first divided by the width, as in the original.
 * FaceX-Zoo's configuration turns SE off, so this builder has none. Init: PyTorch defaults (FaceX-Zoo sets none).
 * @module
 */
import { z } from "zod";
import type { Tensor } from "../../core/tensor.ts";
import { Fn } from "../../nn/activation.ts";
import { Layer, type ModuleContext } from "../../nn/module.ts";
import { Sequential } from "../../nn/sequential.ts";
import { add, pad, relu6, swish } from "../../ops/mod.ts";
import { backbones } from "../registry.ts";
import { Backbone, backboneBaseSchema } from "./backbone.ts";
import { convBnLayers, embeddingLayer, halve } from "./_layers.ts";

/** Blocks per stage at depth 1. */
const STAGE_BLOCKS = [1, 2, 2, 3, 3, 5];
/** Stride of each stage's first block. */
const STAGE_STRIDES = [1, 2, 2, 2, 1, 2];
/** Expansion of the blocks after the first stage (the first stage's is 1). */
const EXPANSION = 6;

/** Options of the ReXNet family, with the defaults of one preset. */
function rexnetSchema(d: { width: number; depth: number; inputChannels: number; finalChannels: number }) {
  return backboneBaseSchema.extend({
    /** width multiplier of the channel schedule and of the penultimate 512 channels */
    width: z.number().positive().default(d.width),
    /** depth multiplier of the stage lengths 1, 2, 2, 3, 3, 5 (rounded up) */
    depth: z.number().positive().default(d.depth),
    /** output channels of the first block (FaceX-Zoo `input_ch` 16) */
    inputChannels: z.number().positive().default(d.inputChannels),
    /** channels added over all blocks after the first (FaceX-Zoo `final_ch` 180) */
    finalChannels: z.number().positive().default(d.finalChannels),
    /** output-layer dropout (FaceX-Zoo 0.2) */
    dropout: z.number().min(0).lt(1).default(0.2),
  }).strict();
}

/** Parsed ReXNet options. */
export type RexnetOptions = z.output<ReturnType<typeof rexnetSchema>>;

/** Python 3's `round`: to the nearest integer, halves to the even neighbour. */
export function roundHalfEven(v: number): number {
  const floor = Math.floor(v);
  const diff = v - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** One linear bottleneck's geometry. */
export interface RexnetBlockShape {
  inChannels: number;
  outChannels: number;
  expansion: number;
  stride: number;
}

/** The stem width and the blocks of ReXNetV1's linearly growing channel schedule (`ReXNetV1.__init__`). */
export function rexnetSchedule(o: RexnetOptions): { stem: number; blocks: RexnetBlockShape[] } {
  const counts = STAGE_BLOCKS.map((n) => Math.ceil(n * o.depth));
  const total = counts.reduce((a, b) => a + b, 0);
  const stemBase = o.width < 1 ? 32 / o.width : 32;
  let planes = o.width < 1 ? o.inputChannels / o.width : o.inputChannels;
  const stem = roundHalfEven(stemBase * o.width);
  const blocks: RexnetBlockShape[] = [];
  counts.forEach((n, stage) => {
    for (let i = 0; i < n; i++) {
      const index = blocks.length;
      const inChannels = index === 0 ? stem : roundHalfEven(planes * o.width);
      if (index > 0) planes += o.finalChannels / total;
      blocks.push({
        inChannels,
        outChannels: roundHalfEven(planes * o.width),
        expansion: stage === 0 ? 1 : EXPANSION,
        stride: i === 0 ? STAGE_STRIDES[stage] : 1,
      });
    }
  });
  return { stem, blocks };
}

/** A "same"-padded, bias-free k×k conv (PyTorch default init) → BN [→ activation], as a flat layer list. */
function convBnAct(
  ctx: ModuleContext,
  conv: { inChannels: number; outChannels: number; kernel: number; stride?: number; groups?: number },
  activation?: (x: Tensor) => Tensor,
): Layer[] {
  return convBnLayers(ctx, { ...conv, padding: Math.floor(conv.kernel / 2) }, activation);
}

/** ReXNet's linear bottleneck with the partial residual. */
class LinearBottleneck extends Layer {
  readonly #body: Sequential;
  /** zero channels appended to the input before the residual add (C_out − C_in), or null without a residual */
  readonly #residualPad: number | null;

  constructor(ctx: ModuleContext, b: RexnetBlockShape) {
    super();
    const mid = b.inChannels * b.expansion;
    const layers: Layer[] = [];
    if (b.expansion !== 1) {
      layers.push(...convBnAct(ctx, { inChannels: b.inChannels, outChannels: mid, kernel: 1 }, swish));
    }
    layers.push(
      ...convBnAct(ctx, { inChannels: mid, outChannels: mid, kernel: 3, stride: b.stride, groups: mid }),
      new Fn(relu6),
      ...convBnAct(ctx, { inChannels: mid, outChannels: b.outChannels, kernel: 1 }),
    );
    this.#body = this.addChild("out", new Sequential(layers));
    this.#residualPad = b.stride === 1 && b.inChannels <= b.outChannels ? b.outChannels - b.inChannels : null;
  }

  forward(x: Tensor): Tensor {
    const y = this.#body.forward(x);
    if (this.#residualPad === null) return y;
    return add(y, this.#residualPad === 0 ? x : pad(x, [0, 0, 0, 0], [0, 0, 0, this.#residualPad]));
  }
}

/** The ReXNet network. */
export class RexnetBackbone extends Backbone {
  /** input side */
  readonly inputSize: number;
  /** embedding width */
  readonly embeddingSize: number;
  readonly #features: Sequential;
  readonly #output: Sequential;

  /** Builds the network from parsed options. */
  constructor(ctx: ModuleContext, o: RexnetOptions) {
    super();
    this.inputSize = o.inputSize;
    this.embeddingSize = o.embeddingSize;
    const { stem, blocks } = rexnetSchedule(o);
    const last = blocks.at(-1)!.outChannels;
    const penultimate = Math.floor(512 * o.width);
    this.#features = this.addChild(
      "features",
      new Sequential([
        ["stem", new Sequential(convBnAct(ctx, { inChannels: 3, outChannels: stem, kernel: 3 }, swish))],
        ["blocks", new Sequential(blocks.map((b) => new LinearBottleneck(ctx, b)))],
        ["head", new Sequential(convBnAct(ctx, { inChannels: last, outChannels: penultimate, kernel: 1 }, swish))],
      ]),
    );
    this.#output = this.addChild(
      "output_layer",
      embeddingLayer(ctx, {
        channels: penultimate,
        spatial: halve(o.inputSize, blocks.filter((b) => b.stride === 2).length),
        embeddingSize: o.embeddingSize,
        dropout: o.dropout,
      }),
    );
  }

  /** Embeds `x` [N, S, S, 3]. */
  forward(x: Tensor): Tensor {
    return this.#output.forward(this.#features.forward(x));
  }
}

backbones.register({
  name: "rexnet_1_0",
  schema: rexnetSchema({ width: 1, depth: 1, inputChannels: 16, finalChannels: 180 }),
  create: (o, ctx) => new RexnetBackbone(ctx, o),
  tags: ["rexnet", "fxz"],
  description:
    "ReXNet 1.0 (FaceX-Zoo): stride-1 stem, linear bottlenecks with partial residual, SE off, 512 → BN-Dropout-FC-BN",
});
backbones.register({
  name: "rexnet_tiny",
  schema: rexnetSchema({ width: 0.5, depth: 0.2, inputChannels: 8, finalChannels: 48 }),
  create: (o, ctx) => new RexnetBackbone(ctx, o),
  tags: ["rexnet", "tiny"],
  description: "ReXNet topology at width 0.5, one block per stage, channels 8 + 48 growth, for quick runs",
});
