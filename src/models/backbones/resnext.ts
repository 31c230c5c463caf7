/**
 * ResNeXt and SE-ResNeXt for faces. Neither face.evoLVe nor FaceX-Zoo has a face ResNeXt (face-recognition.md §1.5,
 * §1.6), so the body is Xie et al. 2017's ResNeXt (torchvision `resnext50_32x4d` / `resnext101_32x8d` structure:
 * bottleneck Conv1×1 → Conv3×3 with `cardinality` groups → Conv1×1, width ⌊planes·baseWidth/64⌋·cardinality,
 * expansion 4, ReLU after the add) with SE-ResNeXt's squeeze-excitation (Hu et al. 2018: after the last BN of each
 * branch, reduction 16, biased 1×1 convs), placed between the face stem and output layer of the IR family the way
 * FaceX-Zoo builds its face ResNeSt (`backbone/resnest/resnet.py`): Conv3×3(3 → 64, stride 1) → BN → PReLU, no
 * max-pool, all four stages starting with stride 2 (112 → 7), then BN2d(2048) → Dropout(0.4, FaceX-Zoo's ResNeSt
 * default) → Flatten → Linear(2048·7·7 → 512) → BN1d. Init as torchvision: Kaiming-normal (fan-out) convs, PyTorch
 * default FC. `downsample: "avgpool"` and `deepStem` are the "Bag of Tricks" tweaks (`_resnet_blocks.ts`).
 * @module
 */
import { z } from "zod";
import type { Tensor } from "../../core/tensor.ts";
import type { InitScheme } from "../../nn/init.ts";
import type { ModuleContext } from "../../nn/module.ts";
import { PReLU } from "../../nn/prelu.ts";
import { Sequential } from "../../nn/sequential.ts";
import { backbones } from "../registry.ts";
import { Backbone, backboneBaseSchema } from "./backbone.ts";
import { embeddingLayer, halve, stackStages } from "./_layers.ts";
import { Bottleneck, fourPerStage, stemLayers, tweakFields } from "./_resnet_blocks.ts";

const KAIMING: InitScheme = { kind: "kaimingNormalFanOut" };
const EXPANSION = 4;

/** Width of a stage's grouped 3×3: ⌊planes·baseWidth/64⌋·cardinality (torchvision's rule). */
export function groupedWidth(planes: number, baseWidth: number, cardinality: number): number {
  return Math.floor(planes * baseWidth / 64) * cardinality;
}

/** Defaults of one ResNeXt preset. */
interface ResnextDefaults {
  layers: number[];
  planes: number[];
  cardinality: number;
  baseWidth: number;
  se: boolean;
  seReduction: number;
}

/** Options of the ResNeXt family, with the defaults of one preset. */
function resnextSchema(d: ResnextDefaults) {
  return backboneBaseSchema.extend({
    /** bottleneck blocks per stage; every stage starts with stride 2 */
    layers: fourPerStage.default(d.layers as [number, number, number, number]),
    /** planes per stage (outputs are 4× wider); the stem has planes[0] channels */
    planes: fourPerStage.default(d.planes as [number, number, number, number]),
    /** groups of the 3×3 conv */
    cardinality: z.number().int().min(1).default(d.cardinality),
    /** channels per group at planes = 64 */
    baseWidth: z.number().int().min(1).default(d.baseWidth),
    /** squeeze-excitation after every branch (SE-ResNeXt) */
    se: z.boolean().default(d.se),
    /** SE channel reduction */
    seReduction: z.number().int().min(1).default(d.seReduction),
    /** output-layer dropout */
    dropout: z.number().min(0).lt(1).default(0.4),
    /** start every branch's last BN gamma at 0 */
    zeroInitResidual: z.boolean().default(false),
    ...tweakFields,
  }).strict().refine(
    (o) => o.planes.every((p) => groupedWidth(p, o.baseWidth, o.cardinality) > 0),
    { message: "planes · baseWidth / 64 must be at least 1 in every stage", path: ["baseWidth"] },
  );
}

/** Parsed ResNeXt options. */
export type ResnextOptions = z.output<ReturnType<typeof resnextSchema>>;

/** The ResNeXt / SE-ResNeXt network. */
export class ResnextBackbone extends Backbone {
  /** input side */
  readonly inputSize: number;
  /** embedding width */
  readonly embeddingSize: number;
  readonly #input: Sequential;
  readonly #body: Sequential;
  readonly #output: Sequential;

  /** Builds the network from parsed options. */
  constructor(ctx: ModuleContext, o: ResnextOptions) {
    super();
    this.inputSize = o.inputSize;
    this.embeddingSize = o.embeddingSize;
    const p = o.planes;
    this.#input = this.addChild(
      "input_layer",
      new Sequential(stemLayers(ctx, {
        outChannels: p[0],
        kernel: 3,
        stride: 1,
        init: KAIMING,
        deep: o.deepStem,
        activation: (channels) => new PReLU(ctx, channels),
      })),
    );
    this.#body = this.addChild(
      "body",
      stackStages(p[0], o.layers, (inC, stage, first) => ({
        unit: new Bottleneck(ctx, {
          inChannels: inC,
          width: groupedWidth(p[stage], o.baseWidth, o.cardinality),
          outChannels: p[stage] * EXPANSION,
          stride: first ? 2 : 1,
          groups: o.cardinality,
          zeroInitResidual: o.zeroInitResidual,
          seReduction: o.se ? o.seReduction : null,
          init: KAIMING,
          downsample: o.downsample,
        }),
        outChannels: p[stage] * EXPANSION,
      })),
    );
    this.#output = this.addChild(
      "output_layer",
      embeddingLayer(ctx, {
        channels: p[3] * EXPANSION,
        spatial: halve(o.inputSize, 4),
        embeddingSize: o.embeddingSize,
        dropout: o.dropout,
      }),
    );
  }

  /** Embeds `x` [N, S, S, 3]. */
  forward(x: Tensor): Tensor {
    return this.#output.forward(this.#body.forward(this.#input.forward(x)));
  }
}

const WIDE = [64, 128, 256, 512];
const LAYOUTS: [string, number[]][] = [["50", [3, 4, 6, 3]], ["101", [3, 4, 23, 3]]];

for (const se of [false, true]) {
  for (const [depth, layers] of LAYOUTS) {
    const name = `${se ? "se_" : ""}resnext_${depth}`;
    backbones.register({
      name,
      schema: resnextSchema({ layers, planes: WIDE, cardinality: 32, baseWidth: 4, se, seReduction: 16 }),
      create: (o, ctx) => new ResnextBackbone(ctx, o),
      tags: se ? ["resnext", "se"] : ["resnext"],
      description: `${se ? "SE-" : ""}ResNeXt-${depth} 32×4d, blocks ${
        layers.join("/")
      }, IR-style face stem and output`,
    });
  }
}
backbones.register({
  name: "resnext_tiny",
  schema: resnextSchema({
    layers: [1, 1, 1, 1],
    planes: [8, 16, 32, 64],
    cardinality: 4,
    baseWidth: 16,
    se: false,
    seReduction: 4,
  }),
  create: (o, ctx) => new ResnextBackbone(ctx, o),
  tags: ["resnext", "tiny"],
  description: "ResNeXt topology, one bottleneck per stage, 4 groups of 2–16 channels (SE optional), for quick runs",
});
