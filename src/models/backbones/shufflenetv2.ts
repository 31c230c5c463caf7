/**
 * ShuffleNet V2 for faces (Ma et al., "ShuffleNet V2: Practical Guidelines for Efficient CNN Architecture Design",
 * ECCV 2018; layer structure as torchvision `models/shufflenetv2.py`). FaceX-Zoo and face.evoLVe have no
 * ShuffleNet, so the face conventions are facebench's: the 3×3 stem conv runs at stride 1 (ImageNet: 2) and keeps
 * the 3×3 stride-2 max pool, so 112 → 56 → 28 → 14 → 7 through stages 2–4; conv5 (1×1 to 1024, 2048 at 2.0×) feeds
 * the BN2d → Dropout(0.2) → Flatten → Linear(C·7·7 → 512) → BN1d output layer of every FaceX-Zoo family (not a
 * GDC head), so the body is compared on the same output layer as the other backbones.
 *
 * A stride-1 unit splits the channels in halves, passes the first through and runs the second through 1×1 conv +
 * BN + ReLU → 3×3 depthwise + BN → 1×1 conv + BN + ReLU; a stride-2 unit feeds the whole input to two branches
 * (3×3 depthwise stride 2 + BN → 1×1 + BN + ReLU, and the three-layer branch with the depthwise conv at stride 2),
 * each giving half the output channels. Both concatenate and shuffle the channels with 2 groups. Init: PyTorch
 * defaults.
 * @module
 */
import { z } from "zod";
import { maxPoolLayer } from "../../nn/activation.ts";
import { Layer, type ModuleContext } from "../../nn/module.ts";
import { Sequential } from "../../nn/sequential.ts";
import type { Tensor } from "../../core/tensor.ts";
import { channelShuffle, concat, relu, slice } from "../../ops/mod.ts";
import { backbones } from "../registry.ts";
import { Backbone, backboneBaseSchema } from "./backbone.ts";
import { convBnLayers, embeddingLayer, halve } from "./_layers.ts";

const positive = z.number().int().min(1);
const even = positive.refine((c) => c % 2 === 0, "an even channel count (two branches of half each)");

/** Options of the ShuffleNet V2 family, with the defaults of one preset. */
function shuffleNetV2Schema(d: {
  stemChannels: number;
  channels: [number, number, number];
  repeats: [number, number, number];
  lastChannels: number;
}) {
  return backboneBaseSchema.extend({
    /** stem conv channels (24 at every width) */
    stemChannels: positive.default(d.stemChannels),
    /** output channels of stages 2, 3 and 4 */
    channels: z.tuple([even, even, even]).default(d.channels),
    /** units of stages 2, 3 and 4, the first of each at stride 2 */
    repeats: z.tuple([positive, positive, positive]).default(d.repeats),
    /** channels of conv5, the 1×1 conv before the output layer */
    lastChannels: positive.default(d.lastChannels),
    /** output-layer dropout */
    dropout: z.number().min(0).lt(1).default(0.2),
  }).strict();
}

/** Parsed ShuffleNet V2 options. */
export type ShuffleNetV2Options = z.output<ReturnType<typeof shuffleNetV2Schema>>;

/** k×k conv (no bias, padding ⌊k/2⌋) → BN [→ ReLU]. */
function convBn(
  ctx: ModuleContext,
  conv: { inChannels: number; outChannels: number; kernel: number; stride?: number; groups?: number },
  activation: boolean,
): Layer[] {
  return convBnLayers(ctx, { ...conv, padding: Math.floor(conv.kernel / 2) }, activation ? relu : undefined);
}

/** The three-layer branch: 1×1 conv + BN + ReLU → 3×3 depthwise(stride) + BN → 1×1 conv + BN + ReLU. */
function mainBranch(ctx: ModuleContext, inC: number, outC: number, stride: number): Sequential {
  return new Sequential([
    ...convBn(ctx, { inChannels: inC, outChannels: outC, kernel: 1 }, true),
    ...convBn(ctx, { inChannels: outC, outChannels: outC, kernel: 3, stride, groups: outC }, false),
    ...convBn(ctx, { inChannels: outC, outChannels: outC, kernel: 1 }, true),
  ]);
}

/** ShuffleNet V2 unit: channel split (stride 1) or two branches (stride 2), concatenation, shuffle in 2 groups. */
class ShuffleUnit extends Layer {
  readonly #shortcut: Sequential | null;
  readonly #main: Sequential;

  constructor(ctx: ModuleContext, inC: number, outC: number, stride: 1 | 2) {
    super();
    const half = outC / 2;
    this.#shortcut = stride === 1 ? null : this.addChild(
      "branch1",
      new Sequential([
        ...convBn(ctx, { inChannels: inC, outChannels: inC, kernel: 3, stride, groups: inC }, false),
        ...convBn(ctx, { inChannels: inC, outChannels: half, kernel: 1 }, true),
      ]),
    );
    this.#main = this.addChild("branch2", mainBranch(ctx, stride === 1 ? half : inC, half, stride));
  }

  forward(x: Tensor): Tensor {
    let both: Tensor;
    if (this.#shortcut) {
      both = concat([this.#shortcut.forward(x), this.#main.forward(x)], 3);
    } else {
      const [n, h, w, c] = x.shape;
      const half = c / 2;
      const kept = slice(x, [0, 0, 0, 0], [n, h, w, half]);
      both = concat([kept, this.#main.forward(slice(x, [0, 0, 0, half], [n, h, w, half]))], 3);
    }
    return channelShuffle(both, 2);
  }
}

/** The ShuffleNet V2 network. */
export class ShuffleNetV2Backbone extends Backbone {
  /** input side */
  readonly inputSize: number;
  /** embedding width */
  readonly embeddingSize: number;
  readonly #body: Sequential;
  readonly #output: Sequential;

  /** Builds the network from parsed options. */
  constructor(ctx: ModuleContext, o: ShuffleNetV2Options) {
    super();
    this.inputSize = o.inputSize;
    this.embeddingSize = o.embeddingSize;
    let c = o.stemChannels;
    const layers: [string, Layer][] = [
      ["conv1", new Sequential(convBn(ctx, { inChannels: 3, outChannels: c, kernel: 3 }, true))],
      ["maxpool", maxPoolLayer(3, 2, 1)],
    ];
    o.channels.forEach((outC, s) => {
      const units: Layer[] = [];
      for (let i = 0; i < o.repeats[s]; i++) {
        units.push(new ShuffleUnit(ctx, c, outC, i === 0 ? 2 : 1));
        c = outC;
      }
      layers.push([`stage${s + 2}`, new Sequential(units)]);
    });
    layers.push([
      "conv5",
      new Sequential(convBn(ctx, { inChannels: c, outChannels: o.lastChannels, kernel: 1 }, true)),
    ]);
    this.#body = this.addChild("body", new Sequential(layers));
    this.#output = this.addChild(
      "output_layer",
      embeddingLayer(ctx, {
        channels: o.lastChannels,
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

/** The four published widths (Ma et al., Table 5): stage 2–4 channels and conv5 channels. */
const WIDTHS: [string, [number, number, number], number][] = [
  ["0_5", [48, 96, 192], 1024],
  ["1_0", [116, 232, 464], 1024],
  ["1_5", [176, 352, 704], 1024],
  ["2_0", [244, 488, 976], 2048],
];

for (const [width, channels, lastChannels] of WIDTHS) {
  backbones.register({
    name: `shufflenetv2_${width}`,
    schema: shuffleNetV2Schema({ stemChannels: 24, channels, repeats: [4, 8, 4], lastChannels }),
    create: (o, ctx) => new ShuffleNetV2Backbone(ctx, o),
    tags: ["shufflenetv2"],
    description: `ShuffleNet V2 ${width.replace("_", ".")}×: stride-1 stem + max pool, BN-Dropout-FC-BN output layer`,
  });
}
backbones.register({
  name: "shufflenetv2_tiny",
  schema: shuffleNetV2Schema({ stemChannels: 8, channels: [16, 32, 64], repeats: [1, 2, 1], lastChannels: 128 }),
  create: (o, ctx) => new ShuffleNetV2Backbone(ctx, o),
  tags: ["shufflenetv2", "tiny"],
  description: "ShuffleNet V2 topology with 16/32/64 stage channels and 1/2/1 units, for quick runs",
});
