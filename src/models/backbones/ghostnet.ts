/**
 * GhostNet 1.0 for faces (FaceX-Zoo `backbone/GhostNet.py`, after Huawei's `ghostnet_pytorch`): 3×3 stem conv at
 * stride 1 (not ImageNet's stride 2) → BN → ReLU → Ghost bottlenecks → 1×1 ConvBnAct to ⌈960·width⌉₄ → FaceX-Zoo's
 * output layer BN2d → Dropout(0.2) → Flatten → Linear(C·7·7 → 512) → BN1d (the "option E" layer, not ImageNet's
 * pooled 1280-d classifier head). A Ghost module is a 1×1 primary conv to ⌈out/2⌉ channels (BN, optional ReLU) and a
 * cheap 3×3 depthwise conv of that output (BN, optional ReLU), concatenated and cut to `out` channels. A Ghost
 * bottleneck is Ghost module (ReLU) → [3×3/5×5 depthwise stride-2 conv + BN] → [SE] → Ghost module (linear), plus
 * an identity shortcut, or depthwise conv + BN + 1×1 conv + BN when the shape changes. SE: global average pool →
 * 1×1 conv (bias) to `makeDivisible(C/4, 4)` → ReLU → 1×1 conv (bias) → hard sigmoid relu6(x + 3)/6 → channel scale.
 * Channel widths are `makeDivisible(c·width, 4)`. Init: PyTorch defaults (FaceX-Zoo sets none). FaceX-Zoo's
 * `forward` L2-normalises the embedding; here, as for every backbone, the head does.
 * @module
 */
import { z } from "zod";
import { reluLayer } from "../../nn/activation.ts";
import { BatchNorm } from "../../nn/batch_norm.ts";
import { Conv2d } from "../../nn/conv2d.ts";
import type { InitScheme } from "../../nn/init.ts";
import { Layer, type ModuleContext } from "../../nn/module.ts";
import { Sequential } from "../../nn/sequential.ts";
import type { Tensor } from "../../core/tensor.ts";
import { add, concat, globalAvgPool, hardSigmoid, mul, relu, reshape, slice } from "../../ops/mod.ts";
import { backbones } from "../registry.ts";
import { Backbone, backboneBaseSchema } from "./backbone.ts";
import { embeddingLayer, halve } from "./_layers.ts";

const TORCH: InitScheme = { kind: "torchDefault" };

/**
 * TensorFlow's `_make_divisible`: `v` rounded to the nearest multiple of `divisor` (at least `divisor`), one
 * step up when rounding lost more than 10 %.
 */
export function makeDivisible(v: number, divisor: number): number {
  let n = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  if (n < 0.9 * v) n += divisor;
  return n;
}

/** One Ghost bottleneck: [kernel, expansion, out channels, SE ratio (0 = none), stride], before width scaling. */
const blockSchema = z.tuple([
  z.union([z.literal(3), z.literal(5)]),
  z.number().int().min(1),
  z.number().int().min(1),
  z.number().min(0).lt(1),
  z.union([z.literal(1), z.literal(2)]),
]);

/** A Ghost bottleneck's configuration. */
export type GhostBlockConfig = z.output<typeof blockSchema>;

/** Options of the GhostNet family, with the defaults of one preset. */
function ghostNetSchema(d: { width: number; stages: GhostBlockConfig[][] }) {
  return backboneBaseSchema.extend({
    /** width multiplier of every channel count (rounded to multiples of 4) */
    width: z.number().positive().default(d.width),
    /** the bottleneck stages, each a list of [kernel, expansion, out, SE ratio, stride]; four stride-2 units */
    stages: z.array(z.array(blockSchema).min(1)).min(1).default(d.stages)
      .refine((s) => s.flat().filter((b) => b[4] === 2).length === 4, "exactly four stride-2 units (112 → 7)"),
    /** output-layer dropout (FaceX-Zoo 0.2) */
    dropout: z.number().min(0).lt(1).default(0.2),
  }).strict();
}

/** Parsed GhostNet options. */
export type GhostNetOptions = z.output<ReturnType<typeof ghostNetSchema>>;

/** Geometry of a "same"-padded, bias-free conv. */
interface ConvShape {
  inChannels: number;
  outChannels: number;
  kernel: number;
  stride?: number;
  groups?: number;
}

/** Conv (PyTorch default init, no bias, padding ⌊k/2⌋) → BN. */
function convBnLayers(ctx: ModuleContext, conv: ConvShape): Layer[] {
  return [
    new Conv2d(ctx, { ...conv, padding: Math.floor(conv.kernel / 2), init: TORCH }),
    new BatchNorm(ctx, { channels: conv.outChannels }),
  ];
}

/** Conv → BN [→ ReLU]. */
function convBnRelu(ctx: ModuleContext, conv: ConvShape, activation: boolean): Sequential {
  return new Sequential([...convBnLayers(ctx, conv), ...(activation ? [reluLayer()] : [])]);
}

/** Ghost module: primary 1×1 conv to ⌈out/2⌉ channels, cheap 3×3 depthwise conv of it, concatenated, cut to `out`. */
class GhostModule extends Layer {
  readonly #primary: Sequential;
  readonly #cheap: Sequential;
  readonly #out: number;

  constructor(ctx: ModuleContext, inC: number, outC: number, activation: boolean) {
    super();
    const init = Math.ceil(outC / 2);
    this.#out = outC;
    this.#primary = this.addChild(
      "primary_conv",
      convBnRelu(ctx, { inChannels: inC, outChannels: init, kernel: 1 }, activation),
    );
    this.#cheap = this.addChild(
      "cheap_operation",
      convBnRelu(ctx, { inChannels: init, outChannels: init, kernel: 3, groups: init }, activation),
    );
  }

  forward(x: Tensor): Tensor {
    const x1 = this.#primary.forward(x);
    const both = concat([x1, this.#cheap.forward(x1)], 3);
    const [n, h, w, c] = both.shape;
    return c === this.#out ? both : slice(both, [0, 0, 0, 0], [n, h, w, this.#out]);
  }
}

/** FaceX-Zoo's `SqueezeExcite`: pool → 1×1 conv (bias) → ReLU → 1×1 conv (bias) → hard sigmoid → scale. */
class HardSqueezeExcite extends Layer {
  readonly #reduce: Conv2d;
  readonly #expand: Conv2d;

  constructor(ctx: ModuleContext, channels: number, ratio: number) {
    super();
    const reduced = makeDivisible(channels * ratio, 4);
    this.#reduce = this.addChild(
      "conv_reduce",
      new Conv2d(ctx, { inChannels: channels, outChannels: reduced, kernel: 1, bias: true, init: TORCH }),
    );
    this.#expand = this.addChild(
      "conv_expand",
      new Conv2d(ctx, { inChannels: reduced, outChannels: channels, kernel: 1, bias: true, init: TORCH }),
    );
  }

  forward(x: Tensor): Tensor {
    const squeezed = reshape(globalAvgPool(x), [x.shape[0], 1, 1, x.shape[3]]);
    return mul(x, hardSigmoid(this.#expand.forward(relu(this.#reduce.forward(squeezed)))));
  }
}

/** Ghost bottleneck: Ghost (ReLU) → [depthwise stride 2 + BN] → [SE] → Ghost (linear), plus the shortcut. */
class GhostBottleneck extends Layer {
  readonly #body: Sequential;
  readonly #shortcut: Sequential | null;

  constructor(ctx: ModuleContext, inC: number, mid: number, outC: number, block: GhostBlockConfig) {
    super();
    const [kernel, , , se, stride] = block;
    const body: [string, Layer][] = [["ghost1", new GhostModule(ctx, inC, mid, true)]];
    if (stride > 1) {
      body.push([
        "conv_dw",
        convBnRelu(ctx, { inChannels: mid, outChannels: mid, kernel, stride, groups: mid }, false),
      ]);
    }
    if (se > 0) body.push(["se", new HardSqueezeExcite(ctx, mid, se)]);
    body.push(["ghost2", new GhostModule(ctx, mid, outC, false)]);
    this.#body = this.addChild("body", new Sequential(body));
    this.#shortcut = inC === outC && stride === 1 ? null : this.addChild(
      "shortcut",
      new Sequential([
        ...convBnLayers(ctx, { inChannels: inC, outChannels: inC, kernel, stride, groups: inC }),
        ...convBnLayers(ctx, { inChannels: inC, outChannels: outC, kernel: 1 }),
      ]),
    );
  }

  forward(x: Tensor): Tensor {
    return add(this.#body.forward(x), this.#shortcut ? this.#shortcut.forward(x) : x);
  }
}

/** The GhostNet network. */
export class GhostNetBackbone extends Backbone {
  /** input side */
  readonly inputSize: number;
  /** embedding width */
  readonly embeddingSize: number;
  readonly #body: Sequential;
  readonly #output: Sequential;

  /** Builds the network from parsed options. */
  constructor(ctx: ModuleContext, o: GhostNetOptions) {
    super();
    this.inputSize = o.inputSize;
    this.embeddingSize = o.embeddingSize;
    const scaled = (c: number) => makeDivisible(c * o.width, 4);
    let c = scaled(16);
    const stem = convBnRelu(ctx, { inChannels: 3, outChannels: c, kernel: 3 }, true);
    const stages = o.stages.map((stage) =>
      new Sequential(stage.map((block) => {
        const outC = scaled(block[2]);
        const unit = new GhostBottleneck(ctx, c, scaled(block[1]), outC, block);
        c = outC;
        return unit;
      }))
    );
    const last = scaled(o.stages.at(-1)!.at(-1)![1]);
    stages.push(convBnRelu(ctx, { inChannels: c, outChannels: last, kernel: 1 }, true));
    this.#body = this.addChild("body", new Sequential([["stem", stem], ["blocks", new Sequential(stages)]]));
    this.#output = this.addChild(
      "output_layer",
      embeddingLayer(ctx, {
        channels: last,
        spatial: halve(o.inputSize, 4),
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

/** FaceX-Zoo's (= Huawei's GhostNet 1.0) bottleneck stages. */
const FXZ_STAGES: GhostBlockConfig[][] = [
  [[3, 16, 16, 0, 1]],
  [[3, 48, 24, 0, 2]],
  [[3, 72, 24, 0, 1]],
  [[5, 72, 40, 0.25, 2]],
  [[5, 120, 40, 0.25, 1]],
  [[3, 240, 80, 0, 2]],
  [[3, 200, 80, 0, 1], [3, 184, 80, 0, 1], [3, 184, 80, 0, 1], [3, 480, 112, 0.25, 1], [3, 672, 112, 0.25, 1]],
  [[5, 672, 160, 0.25, 2]],
  [[5, 960, 160, 0, 1], [5, 960, 160, 0.25, 1], [5, 960, 160, 0, 1], [5, 960, 160, 0.25, 1]],
];

backbones.register({
  name: "ghostnet",
  schema: ghostNetSchema({ width: 1, stages: FXZ_STAGES }),
  create: (o, ctx) => new GhostNetBackbone(ctx, o),
  tags: ["ghostnet", "fxz"],
  description: "GhostNet 1.0 (FaceX-Zoo): stride-1 stem, hard-sigmoid SE, BN-Dropout-FC-BN output layer",
});
backbones.register({
  name: "ghostnet_tiny",
  schema: ghostNetSchema({
    width: 0.25,
    // One unit per stage; stage 7 keeps its 80 → 112 SE unit (stride-1 projection shortcut).
    stages: FXZ_STAGES.map((stage, i) => [i === 6 ? stage[3] : stage[0]]),
  }),
  create: (o, ctx) => new GhostNetBackbone(ctx, o),
  tags: ["ghostnet", "tiny"],
  description: "GhostNet topology at width 0.25, one unit per stage, for quick runs",
});
