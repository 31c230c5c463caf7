/**
 * Plain ResNet backbones (face.evoLVe `model_resnet.py`): torchvision-style stem Conv7×7 s2 → BN → ReLU →
 * MaxPool3×3 s2, bottleneck blocks (1×1 → 3×3(stride) → 1×1, expansion 4, ReLU after the add), output
 * BN2d → Dropout(0.5) → FC → BN1d. The last map is 4×4 at 112 input (computed from the geometry: at 224 it is
 * 7×7, although face.evoLVe sizes its FC for 8×8 there and so cannot run 224). Init as face.evoLVe:
 * Kaiming-normal (fan-out) convs, PyTorch default FC; zero-init of each branch's last BN gamma is an option,
 * off by default as in face.evoLVe's code. Options `downsample: "avgpool"` (ResNet-D) and `deepStem` (ResNet-C, three
 * 3×3 convs 3 → 32 → 32 → 64 with stride 2 on the first) add the "Bag of Tricks" tweaks (see `_resnet_blocks.ts`).
 * @module
 */
import { z } from "zod";
import type { Tensor } from "../../core/tensor.ts";
import { maxPoolLayer, reluLayer } from "../../nn/activation.ts";
import type { InitScheme } from "../../nn/init.ts";
import type { ModuleContext } from "../../nn/module.ts";
import { Sequential } from "../../nn/sequential.ts";
import { backbones } from "../registry.ts";
import { Backbone, backboneBaseSchema } from "./backbone.ts";
import { embeddingLayer, halve, stackStages } from "./_layers.ts";
import { Bottleneck, stemLayers, tweakFields } from "./_resnet_blocks.ts";

const KAIMING: InitScheme = { kind: "kaimingNormalFanOut" };
const EXPANSION = 4;
const four = z.tuple([
  z.number().int().min(1),
  z.number().int().min(1),
  z.number().int().min(1),
  z.number().int().min(1),
]);

/** Options of the ResNet family, with the defaults of one preset. */
function resnetSchema(layers: number[], planes: number[]) {
  return backboneBaseSchema.extend({
    /** bottleneck blocks per stage; stages 2–4 start with stride 2 */
    layers: four.default(layers as [number, number, number, number]),
    /** bottleneck widths per stage (outputs are 4× wider); the stem has planes[0] channels */
    planes: four.default(planes as [number, number, number, number]),
    /** output-layer dropout (face.evoLVe: PyTorch's default `Dropout()`, 0.5) */
    dropout: z.number().min(0).lt(1).default(0.5),
    /** start every residual branch's last BN gamma at 0 */
    zeroInitResidual: z.boolean().default(false),
    ...tweakFields,
  }).strict();
}

/** Parsed ResNet options. */
export type ResnetOptions = z.output<ReturnType<typeof resnetSchema>>;

/** The ResNet network. */
export class ResnetBackbone extends Backbone {
  /** input side */
  readonly inputSize: number;
  /** embedding width */
  readonly embeddingSize: number;
  readonly #stem: Sequential;
  readonly #body: Sequential;
  readonly #output: Sequential;

  /** Builds the network from parsed options. */
  constructor(ctx: ModuleContext, o: ResnetOptions) {
    super();
    this.inputSize = o.inputSize;
    this.embeddingSize = o.embeddingSize;
    const p = o.planes;
    this.#stem = this.addChild(
      "stem",
      new Sequential([
        ...stemLayers(ctx, {
          outChannels: p[0],
          kernel: 7,
          stride: 2,
          init: KAIMING,
          deep: o.deepStem,
          activation: reluLayer,
        }),
        maxPoolLayer(3, 2, 1),
      ]),
    );
    this.#body = this.addChild(
      "body",
      stackStages(p[0], o.layers, (inC, stage, first) => ({
        unit: new Bottleneck(ctx, {
          inChannels: inC,
          width: p[stage],
          outChannels: p[stage] * EXPANSION,
          stride: first && stage > 0 ? 2 : 1,
          groups: 1,
          zeroInitResidual: o.zeroInitResidual,
          seReduction: null,
          init: KAIMING,
          downsample: o.downsample,
        }),
        outChannels: p[stage] * EXPANSION,
      })),
    );
    this.#output = this.addChild(
      "output_layer",
      embeddingLayer(ctx, {
        channels: p[p.length - 1] * EXPANSION,
        spatial: halve(o.inputSize, 5),
        embeddingSize: o.embeddingSize,
        dropout: o.dropout,
      }),
    );
  }

  /** Embeds `x` [N, S, S, 3]. */
  forward(x: Tensor): Tensor {
    return this.#output.forward(this.#body.forward(this.#stem.forward(x)));
  }
}

const WIDE = [64, 128, 256, 512];
const LAYOUTS: [string, number[]][] = [["50", [3, 4, 6, 3]], ["101", [3, 4, 23, 3]], ["152", [3, 8, 36, 3]]];

for (const [depth, layers] of LAYOUTS) {
  backbones.register({
    name: `resnet_${depth}`,
    schema: resnetSchema(layers, WIDE),
    create: (o, ctx) => new ResnetBackbone(ctx, o),
    tags: ["resnet", "evo"],
    description: `ResNet-${depth} (face.evoLVe), bottleneck blocks ${layers.join("/")}`,
  });
}
backbones.register({
  name: "resnet_tiny",
  schema: resnetSchema([1, 1, 1, 1], [8, 16, 32, 64]),
  create: (o, ctx) => new ResnetBackbone(ctx, o),
  tags: ["resnet", "tiny"],
  description: "ResNet topology, one bottleneck per stage, widths 8/16/32/64 (outputs ×4), for quick runs",
});
