/**
 * iResNet backbones (arcface_torch `iresnet.py`): stem Conv3×3-BN-PReLU, blocks BN → Conv3×3 → BN → PReLU →
 * Conv3×3(stride) → BN plus identity or Conv1×1(stride)+BN downsample (every stage's first block, stage 1 too),
 * no activation after the add; output BN2d → Dropout → FC → BN1d with gamma fixed at 1 (not trained).
 * Init as arcface_torch: conv N(0, 0.1), PyTorch default FC; dropout 0 as `train_v2.py` passes it.
 * @module
 */
import { z } from "zod";
import type { Tensor } from "../../core/tensor.ts";
import { BatchNorm } from "../../nn/batch_norm.ts";
import { Conv2d } from "../../nn/conv2d.ts";
import type { InitScheme } from "../../nn/init.ts";
import { Layer, type ModuleContext } from "../../nn/module.ts";
import { PReLU } from "../../nn/prelu.ts";
import { Sequential } from "../../nn/sequential.ts";
import { add } from "../../ops/mod.ts";
import { backbones } from "../registry.ts";
import { Backbone, backboneBaseSchema } from "./backbone.ts";
import { convBn, embeddingLayer, halve, stackStages } from "./_layers.ts";

const CONV_INIT: InitScheme = { kind: "normal", std: 0.1 };
const four = z.tuple([
  z.number().int().min(1),
  z.number().int().min(1),
  z.number().int().min(1),
  z.number().int().min(1),
]);

/** Options of the iResNet family, with the defaults of one preset. */
function iresnetSchema(layers: number[], channels: number[]) {
  return backboneBaseSchema.extend({
    /** blocks per stage; the first block of each stage has stride 2 and a 1×1 downsample */
    layers: four.default(layers as [number, number, number, number]),
    /** channels per stage (the stem has channels[0]) */
    channels: four.default(channels as [number, number, number, number]),
    /** dropout before the FC (arcface_torch `train_v2.py` passes 0) */
    dropout: z.number().min(0).lt(1).default(0),
  }).strict();
}

/** Parsed iResNet options. */
export type IresnetOptions = z.output<ReturnType<typeof iresnetSchema>>;

/** arcface_torch `IBasicBlock`. */
class IBasicBlock extends Layer {
  readonly #residual: Sequential;
  readonly #downsample: Sequential | null;

  constructor(ctx: ModuleContext, inC: number, planes: number, stride: number) {
    super();
    this.#residual = this.addChild(
      "residual",
      new Sequential([
        new BatchNorm(ctx, { channels: inC }),
        new Conv2d(ctx, { inChannels: inC, outChannels: planes, kernel: 3, padding: 1, init: CONV_INIT }),
        new BatchNorm(ctx, { channels: planes }),
        new PReLU(ctx, planes),
        new Conv2d(ctx, { inChannels: planes, outChannels: planes, kernel: 3, stride, padding: 1, init: CONV_INIT }),
        new BatchNorm(ctx, { channels: planes }),
      ]),
    );
    this.#downsample = stride !== 1 || inC !== planes
      ? this.addChild(
        "downsample",
        convBn(ctx, { inChannels: inC, outChannels: planes, kernel: 1, stride, init: CONV_INIT }, false),
      )
      : null;
  }

  forward(x: Tensor): Tensor {
    return add(this.#residual.forward(x), this.#downsample ? this.#downsample.forward(x) : x);
  }
}

/** The iResNet network. */
export class IresnetBackbone extends Backbone {
  /** input side */
  readonly inputSize: number;
  /** embedding width */
  readonly embeddingSize: number;
  readonly #stem: Sequential;
  readonly #body: Sequential;
  readonly #output: Sequential;

  /** Builds the network from parsed options. */
  constructor(ctx: ModuleContext, o: IresnetOptions) {
    super();
    this.inputSize = o.inputSize;
    this.embeddingSize = o.embeddingSize;
    const c = o.channels;
    this.#stem = this.addChild(
      "stem",
      convBn(ctx, { inChannels: 3, outChannels: c[0], kernel: 3, padding: 1, init: CONV_INIT }, true),
    );
    this.#body = this.addChild(
      "body",
      stackStages(c[0], o.layers, (inC, stage, first) => ({
        unit: new IBasicBlock(ctx, inC, c[stage], first ? 2 : 1),
        outChannels: c[stage],
      })),
    );
    this.#output = this.addChild(
      "output_layer",
      embeddingLayer(ctx, {
        channels: c[3],
        spatial: halve(o.inputSize, 4),
        embeddingSize: o.embeddingSize,
        dropout: o.dropout,
        frozenGamma: true,
      }),
    );
  }

  /** Embeds `x` [N, S, S, 3]. */
  forward(x: Tensor): Tensor {
    return this.#output.forward(this.#body.forward(this.#stem.forward(x)));
  }
}

const WIDE = [64, 128, 256, 512];
const LAYOUTS: [string, number[]][] = [
  ["18", [2, 2, 2, 2]],
  ["34", [3, 4, 6, 3]],
  ["50", [3, 4, 14, 3]],
  ["100", [3, 13, 30, 3]],
];

for (const [depth, layers] of LAYOUTS) {
  backbones.register({
    name: `iresnet_${depth}`,
    schema: iresnetSchema(layers, WIDE),
    create: (o, ctx) => new IresnetBackbone(ctx, o),
    tags: ["iresnet", "aft"],
    description: `iResNet-${depth} (arcface_torch r${depth}), blocks ${layers.join("/")}`,
  });
}
backbones.register({
  name: "iresnet_tiny",
  schema: iresnetSchema([1, 1, 1, 1], [8, 16, 32, 64]),
  create: (o, ctx) => new IresnetBackbone(ctx, o),
  tags: ["iresnet", "tiny"],
  description: "iResNet topology, one block per stage, channels 8/16/32/64, for quick runs",
});
