/**
 * DenseNet-BC for faces (Huang et al., "Densely Connected Convolutional Networks", CVPR 2017; layer structure as
 * torchvision `models/densenet.py`). Neither face.evoLVe nor FaceX-Zoo ships a DenseNet, so the face adaptation is
 * facebench's own: the ImageNet stem Conv7×7 stride 2 (no bias) → BN → ReLU is kept, its 3×3 stride-2 max pool is
 * removed, so a 112 crop enters dense block 1 at 56×56 (the resolution ImageNet's 224 input reaches there) and the three
 * transitions take it to 28, 14 and 7: total stride 16 and a 7×7 final map, as the face backbones have. A dense layer
 * is BN → ReLU → 1×1 conv to 4·k → BN → ReLU → 3×3 conv to k (growth rate k), its output concatenated to its input;
 * a transition is BN → ReLU → 1×1 conv to ⌊C/2⌋ (compression 0.5) → 2×2 average pool. torchvision's closing BN
 * (`norm5`) and ReLU stay; the output layer BN2d → Dropout → Flatten → FC(C·7·7 → 512) → BN1d replaces the global
 * pool and classifier. Init as torchvision: convs Kaiming-normal (fan-in, ReLU gain); the FC PyTorch default.
 * @module
 */
import { z } from "zod";
import type { Tensor } from "../../core/tensor.ts";
import { Fn, reluLayer } from "../../nn/activation.ts";
import { BatchNorm } from "../../nn/batch_norm.ts";
import { Conv2d } from "../../nn/conv2d.ts";
import type { InitScheme } from "../../nn/init.ts";
import { Layer, type ModuleContext } from "../../nn/module.ts";
import { Sequential } from "../../nn/sequential.ts";
import { avgPool2d, concat } from "../../ops/mod.ts";
import { backbones } from "../registry.ts";
import { Backbone, backboneBaseSchema } from "./backbone.ts";
import { bnReluConvLayers, embeddingLayer, halve } from "./_layers.ts";

/** Bottleneck width of a dense layer, in multiples of the growth rate (DenseNet-BC: 4). */
const BOTTLENECK = 4;
const count = z.number().int().min(1);

/** Options of the DenseNet family, with the defaults of one preset. */
function denseNetSchema(d: { blocks: [number, number, number, number]; growthRate: number; stemChannels: number }) {
  return backboneBaseSchema.extend({
    /** dense layers in each of the four blocks (a transition follows each of the first three) */
    blocks: z.tuple([count, count, count, count]).default(d.blocks),
    /** growth rate k: channels each dense layer adds */
    growthRate: count.default(d.growthRate),
    /** output channels of the stem convolution (torchvision `num_init_features`) */
    stemChannels: count.default(d.stemChannels),
    /** output-layer dropout (face.evoLVe's output layer: PyTorch's default `Dropout()`, 0.5) */
    dropout: z.number().min(0).lt(1).default(0.5),
  }).strict();
}

/** Parsed DenseNet options. */
export type DenseNetOptions = z.output<ReturnType<typeof denseNetSchema>>;

/** torchvision's `kaiming_normal_` default: N(0, 2 / fan-in). */
function heNormal(inChannels: number, kernel: number): InitScheme {
  return { kind: "normal", std: Math.sqrt(2 / (inChannels * kernel * kernel)) };
}

/** BN → ReLU → bias-free conv (stride 1, "same" padding): the pre-activation unit of dense layers and transitions. */
function bnReluConv(ctx: ModuleContext, inChannels: number, outChannels: number, kernel: number): Layer[] {
  const padding = Math.floor(kernel / 2);
  return bnReluConvLayers(ctx, { inChannels, outChannels, kernel, padding, init: heNormal(inChannels, kernel) });
}

/** Dense layer: BN-ReLU-1×1(4k)-BN-ReLU-3×3(k), output concatenated after the input's channels. */
class DenseLayer extends Layer {
  readonly #body: Sequential;

  constructor(ctx: ModuleContext, inChannels: number, growthRate: number) {
    super();
    const width = BOTTLENECK * growthRate;
    this.#body = this.addChild(
      "body",
      new Sequential([...bnReluConv(ctx, inChannels, width, 1), ...bnReluConv(ctx, width, growthRate, 3)]),
    );
  }

  forward(x: Tensor): Tensor {
    return concat([x, this.#body.forward(x)], 3);
  }
}

/** Transition: BN-ReLU-1×1 conv to `outChannels`, then 2×2 average pooling (stride 2). */
function transition(ctx: ModuleContext, inChannels: number, outChannels: number): Sequential {
  return new Sequential([
    ...bnReluConv(ctx, inChannels, outChannels, 1),
    new Fn((x) => avgPool2d(x, { kernel: 2 })),
  ]);
}

/** The DenseNet network. */
export class DenseNetBackbone extends Backbone {
  /** input side */
  readonly inputSize: number;
  /** embedding width */
  readonly embeddingSize: number;
  readonly #features: Sequential;
  readonly #output: Sequential;

  /** Builds the network from parsed options. */
  constructor(ctx: ModuleContext, o: DenseNetOptions) {
    super();
    this.inputSize = o.inputSize;
    this.embeddingSize = o.embeddingSize;
    let c = o.stemChannels;
    const layers: Layer[] = [
      new Conv2d(ctx, { inChannels: 3, outChannels: c, kernel: 7, stride: 2, padding: 3, init: heNormal(3, 7) }),
      new BatchNorm(ctx, { channels: c }),
      reluLayer(),
    ];
    o.blocks.forEach((n, block) => {
      for (let i = 0; i < n; i++) {
        layers.push(new DenseLayer(ctx, c, o.growthRate));
        c += o.growthRate;
      }
      if (block < o.blocks.length - 1) {
        layers.push(transition(ctx, c, Math.floor(c / 2)));
        c = Math.floor(c / 2);
      }
    });
    layers.push(new BatchNorm(ctx, { channels: c }), reluLayer());
    this.#features = this.addChild("features", new Sequential(layers));
    this.#output = this.addChild(
      "output_layer",
      embeddingLayer(ctx, {
        channels: c,
        spatial: halve(o.inputSize, 4),
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

const PRESETS: [string, [number, number, number, number]][] = [["121", [6, 12, 24, 16]], ["169", [6, 12, 32, 32]]];

for (const [depth, blocks] of PRESETS) {
  backbones.register({
    name: `densenet_${depth}`,
    schema: denseNetSchema({ blocks, growthRate: 32, stemChannels: 64 }),
    create: (o, ctx) => new DenseNetBackbone(ctx, o),
    tags: ["densenet"],
    description: `DenseNet-BC-${depth} (k 32): stride-2 stem without max pool, BN-Dropout-FC-BN output layer`,
  });
}
backbones.register({
  name: "densenet_tiny",
  schema: denseNetSchema({ blocks: [1, 2, 2, 1], growthRate: 8, stemChannels: 16 }),
  create: (o, ctx) => new DenseNetBackbone(ctx, o),
  tags: ["densenet", "tiny"],
  description: "DenseNet-BC topology with growth rate 8 and 1-2 layers per block, for quick runs",
});
