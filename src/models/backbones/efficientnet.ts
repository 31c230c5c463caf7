/**
 * EfficientNet for faces as FaceX-Zoo builds it (`backbone/EfficientNets.py`, a port of lukemelas'
 * EfficientNet-PyTorch; Tan & Le, "EfficientNet", ICML 2019): 3×3 stem conv at stride 1 (ImageNet: 2) → BN →
 * swish → MBConv blocks → 1×1 conv to ⌈1280·width⌉₈ → BN → swish → FaceX-Zoo's output layer BN2d → Dropout(0.2) →
 * Flatten → Linear(C·7·7 → 512) → BN1d (no global pooling, no 1000-way classifier). An MBConv block is 1×1 expand
 * conv + BN + swish (skipped at expansion 1) → k×k depthwise conv(stride) + BN + swish → SE (pool → 1×1 conv with
 * bias to ⌊in·0.25⌋ of the block's *input* width → swish → 1×1 conv with bias → sigmoid → scale) → 1×1 project
 * conv + BN (linear), plus the identity when stride is 1 and the width is kept; on that residual branch FaceX-Zoo
 * applies drop-connect (per-sample stochastic depth, training only) at rate 0.2 · block index / block count.
 *
 * FaceX-Zoo details kept here: every body BN uses TensorFlow's eps 1e-3 and momentum 0.01 (the output layer keeps
 * PyTorch's defaults); convs pad TensorFlow-"same" statically for a declared input side, and FaceX-Zoo still
 * halves that side after the stem although its stride is now 1, so each stride-2 conv pads for half its true input
 * (at 112 the last one, declared 7 but fed 14, pads 2 on both sides instead of 1 before and 2 after). Widths are
 * `roundFilters(c · width)` (multiples of 8), repeats ⌈depth · r⌉. FaceX-Zoo also registers the ImageNet
 * classifier `_fc` Linear(1280 → 1000) that its forward never calls; it is left out here. Init: PyTorch defaults.
 * @module
 */
import { z } from "zod";
import { Fn } from "../../nn/activation.ts";
import type { Rng } from "../../core/rng.ts";
import type { Tensor } from "../../core/tensor.ts";
import { dropoutStream } from "../../nn/dropout.ts";
import { Layer, type ModuleContext } from "../../nn/module.ts";
import { SqueezeExcite } from "../../nn/se.ts";
import { Sequential } from "../../nn/sequential.ts";
import { add, dropPath, pad, swish } from "../../ops/mod.ts";
import { backbones } from "../registry.ts";
import { Backbone, backboneBaseSchema } from "./backbone.ts";
import { convBnLayers, embeddingLayer } from "./_layers.ts";

/** TensorFlow's batch-norm settings that FaceX-Zoo keeps in the body (PyTorch momentum = 1 − 0.99). */
const TF_BN = { eps: 1e-3, momentum: 0.01 };

/**
 * EfficientNet's `round_filters`: `c · width` rounded to the nearest multiple of 8 (at least 8), one step up when
 * rounding lost more than 10 %.
 */
export function roundFilters(c: number, width: number): number {
  const scaled = c * width;
  const n = Math.max(8, Math.floor((scaled + 4) / 8) * 8);
  return n < 0.9 * scaled ? n + 8 : n;
}

/** One MBConv stage: [repeats, kernel, stride, expansion, out channels, SE ratio (0 = none)], before scaling. */
const stageSchema = z.tuple([
  z.number().int().min(1),
  z.union([z.literal(3), z.literal(5)]),
  z.union([z.literal(1), z.literal(2)]),
  z.number().int().min(1),
  z.number().int().min(1),
  z.number().min(0).max(1),
]);

/** An MBConv stage's configuration. */
export type MBConvStageConfig = z.output<typeof stageSchema>;

/** EfficientNet-B0's stages (Tan & Le, Table 1; FaceX-Zoo's `blocks_args`). */
const B0_STAGES: MBConvStageConfig[] = [
  [1, 3, 1, 1, 16, 0.25],
  [2, 3, 2, 6, 24, 0.25],
  [2, 5, 2, 6, 40, 0.25],
  [3, 3, 2, 6, 80, 0.25],
  [3, 5, 1, 6, 112, 0.25],
  [4, 5, 2, 6, 192, 0.25],
  [1, 3, 1, 6, 320, 0.25],
];

/** Options of the EfficientNet family, with the defaults of one preset. */
function efficientNetSchema(d: { width: number; depth: number }) {
  return backboneBaseSchema.extend({
    /** width coefficient of every channel count (rounded to multiples of 8) */
    width: z.number().positive().default(d.width),
    /** depth coefficient of every stage's repeats (rounded up) */
    depth: z.number().positive().default(d.depth),
    /** the MBConv stages, each [repeats, kernel, stride, expansion, out, SE ratio]; four stride-2 stages */
    stages: z.array(stageSchema).min(1).default(B0_STAGES)
      .refine((s) => s.filter((stage) => stage[2] === 2).length === 4, "exactly four stride-2 stages (112 → 7)"),
    /** stem channels before width scaling */
    stemChannels: z.number().int().min(1).default(32),
    /** channels of the 1×1 conv before the output layer, before width scaling */
    headChannels: z.number().int().min(1).default(1280),
    /** output-layer dropout (FaceX-Zoo 0.2) */
    dropout: z.number().min(0).lt(1).default(0.2),
    /** drop-connect rate of the last block; block i of n uses rate · i / n (FaceX-Zoo 0.2) */
    dropConnect: z.number().min(0).lt(1).default(0.2),
  }).strict();
}

/** Parsed EfficientNet options. */
export type EfficientNetOptions = z.output<ReturnType<typeof efficientNetSchema>>;

/**
 * Spatial bookkeeping of FaceX-Zoo's static "same" padding: the side each conv is declared for (which sets its
 * padding) and the side it really receives (which sets its output).
 */
interface Sides {
  declared: number;
  actual: number;
}

/**
 * A k×k conv (no bias) → BN (TensorFlow eps/momentum) [→ swish] with FaceX-Zoo's static TensorFlow-"same" padding
 * for the declared side: (⌈d/s⌉ − 1)·s + k − d zeros in all, the smaller half before. Symmetric padding goes to the
 * conv; an uneven split is a `pad` op in front. Advances `sides` past the stride.
 */
function sameConvBn(
  ctx: ModuleContext,
  sides: Sides,
  conv: { inChannels: number; outChannels: number; kernel: number; stride?: number; groups?: number },
  activation: boolean,
): Layer[] {
  const stride = conv.stride ?? 1;
  const total = Math.max((Math.ceil(sides.declared / stride) - 1) * stride + conv.kernel - sides.declared, 0);
  const before = Math.floor(total / 2);
  const after = total - before;
  const layers = convBnLayers(
    ctx,
    { ...conv, padding: before === after ? before : 0 },
    activation ? swish : undefined,
    TF_BN,
  );
  if (before !== after) layers.unshift(new Fn((x) => pad(x, [0, before, before, 0], [0, after, after, 0])));
  sides.actual = Math.floor((sides.actual + total - conv.kernel) / stride) + 1;
  sides.declared = Math.ceil(sides.declared / stride);
  return layers;
}

/** Geometry of one MBConv block (widths already scaled). */
interface MBConvShape {
  inChannels: number;
  outChannels: number;
  kernel: number;
  stride: number;
  expansion: number;
  se: number;
  /** drop-connect rate of this block's residual branch */
  dropRate: number;
}

/** MBConv: [1×1 expand] → k×k depthwise → [SE] → 1×1 project, plus the identity with drop-connect. */
class MBConv extends Layer {
  readonly #body: Sequential;
  readonly #residual: boolean;
  readonly #dropRate: number;
  readonly #rng: Rng;

  constructor(ctx: ModuleContext, sides: Sides, b: MBConvShape) {
    super();
    const mid = b.inChannels * b.expansion;
    const layers: Layer[] = [];
    if (b.expansion !== 1) {
      layers.push(...sameConvBn(ctx, sides, { inChannels: b.inChannels, outChannels: mid, kernel: 1 }, true));
    }
    layers.push(...sameConvBn(
      ctx,
      sides,
      { inChannels: mid, outChannels: mid, kernel: b.kernel, stride: b.stride, groups: mid },
      true,
    ));
    if (b.se > 0) {
      const hidden = Math.max(1, Math.floor(b.inChannels * b.se));
      layers.push(new SqueezeExcite(ctx, { channels: mid, hidden, bias: true, activation: swish }));
    }
    layers.push(...sameConvBn(ctx, sides, { inChannels: mid, outChannels: b.outChannels, kernel: 1 }, false));
    this.#body = this.addChild("body", new Sequential(layers));
    this.#residual = b.stride === 1 && b.inChannels === b.outChannels;
    this.#dropRate = b.dropRate;
    this.#rng = dropoutStream(ctx);
  }

  forward(x: Tensor): Tensor {
    const y = this.#body.forward(x);
    if (!this.#residual) return y;
    const dropped = this.training && this.#dropRate > 0;
    return add(dropped ? dropPath(y, this.#dropRate, this.#rng) : y, x);
  }
}

/** The EfficientNet network. */
export class EfficientNetBackbone extends Backbone {
  /** input side */
  readonly inputSize: number;
  /** embedding width */
  readonly embeddingSize: number;
  readonly #body: Sequential;
  readonly #output: Sequential;

  /** Builds the network from parsed options. */
  constructor(ctx: ModuleContext, o: EfficientNetOptions) {
    super();
    this.inputSize = o.inputSize;
    this.embeddingSize = o.embeddingSize;
    const sides: Sides = { declared: o.inputSize, actual: o.inputSize };
    let c = roundFilters(o.stemChannels, o.width);
    const stem = new Sequential(sameConvBn(ctx, sides, { inChannels: 3, outChannels: c, kernel: 3 }, true));
    sides.declared = Math.ceil(sides.declared / 2); // FaceX-Zoo's leftover ImageNet-stem bookkeeping
    const repeats = o.stages.map(([r]) => Math.ceil(o.depth * r));
    const count = repeats.reduce((a, b) => a + b, 0);
    const blocks: Layer[] = [];
    o.stages.forEach(([, kernel, stride, expansion, out, se], s) => {
      const outChannels = roundFilters(out, o.width);
      for (let i = 0; i < repeats[s]; i++) {
        const dropRate = o.dropConnect * blocks.length / count;
        const shape = { inChannels: c, outChannels, kernel, stride: i === 0 ? stride : 1, expansion, se, dropRate };
        blocks.push(new MBConv(ctx, sides, shape));
        c = outChannels;
      }
    });
    const head = roundFilters(o.headChannels, o.width);
    this.#body = this.addChild(
      "body",
      new Sequential([
        ["stem", stem],
        ["blocks", new Sequential(blocks)],
        ["head", new Sequential(sameConvBn(ctx, sides, { inChannels: c, outChannels: head, kernel: 1 }, true))],
      ]),
    );
    this.#output = this.addChild(
      "output_layer",
      embeddingLayer(ctx, {
        channels: head,
        spatial: sides.actual,
        embeddingSize: o.embeddingSize,
        dropout: o.dropout,
      }),
    );
  }

  /** Embeds `x` [N, S, S, 3]. */
  forward(x: Tensor): Tensor {
    return this.#output.forward(this.#body.forward(x));
  }
}

backbones.register({
  name: "efficientnet_b0",
  schema: efficientNetSchema({ width: 1, depth: 1 }),
  create: (o, ctx) => new EfficientNetBackbone(ctx, o),
  tags: ["efficientnet", "fxz"],
  description: "EfficientNet-B0 (FaceX-Zoo): stride-1 stem, MBConv + SE, swish, drop-connect, BN-Dropout-FC-BN",
});
backbones.register({
  name: "efficientnet_b1",
  schema: efficientNetSchema({ width: 1, depth: 1.1 }),
  create: (o, ctx) => new EfficientNetBackbone(ctx, o),
  tags: ["efficientnet", "fxz"],
  description: "EfficientNet-B1 (FaceX-Zoo, depth 1.1 at 112): B0 with repeats ⌈1.1·r⌉",
});
backbones.register({
  name: "efficientnet_tiny",
  schema: efficientNetSchema({ width: 0.25, depth: 0.5 }),
  create: (o, ctx) => new EfficientNetBackbone(ctx, o),
  tags: ["efficientnet", "tiny"],
  description: "EfficientNet-B0 topology at width 0.25 and depth 0.5, for quick runs",
});
