/**
 * IR and IR-SE backbones (face.evoLVe `model_irse.py` = FaceX-Zoo `ResNets.py`): stem Conv3×3-BN-PReLU, then
 * "improved residual" units BN → Conv3×3 → PReLU → Conv3×3(stride) → BN (→ SE), shortcut = strided sub-sampling
 * or Conv1×1(stride)+BN, no activation after the add; output layer BN-Dropout-FC-BN. Init as face.evoLVe:
 * Xavier-uniform conv and FC weights, zero FC bias. Paths follow face.evoLVe (`input_layer`, `body`, `output_layer`).
 * Options `downsample: "avgpool"` (ResNet-D, on the 1×1 projection shortcuts of stride-2 units; the sub-sampling
 * shortcut of same-width units stays) and `deepStem` (three stride-1 3×3 convs with BN-PReLU, 3 → 32 → 32 → 64) add
 * the "Bag of Tricks" tweaks (see `_resnet_blocks.ts`).
 * @module
 */
import { z } from "zod";
import type { Tensor } from "../../core/tensor.ts";
import { maxPoolLayer } from "../../nn/activation.ts";
import { BatchNorm } from "../../nn/batch_norm.ts";
import { Conv2d } from "../../nn/conv2d.ts";
import type { InitScheme } from "../../nn/init.ts";
import { Layer, type ModuleContext } from "../../nn/module.ts";
import { PReLU } from "../../nn/prelu.ts";
import { SqueezeExcite } from "../../nn/se.ts";
import { Sequential } from "../../nn/sequential.ts";
import { add } from "../../ops/mod.ts";
import { backbones } from "../registry.ts";
import { Backbone, backboneBaseSchema } from "./backbone.ts";
import { embeddingLayer, halve, stackStages } from "./_layers.ts";
import { projectionShortcut, stemLayers, tweakFields } from "./_resnet_blocks.ts";

const XAVIER: InitScheme = { kind: "xavierUniform" };
const four = z.tuple([
  z.number().int().min(1),
  z.number().int().min(1),
  z.number().int().min(1),
  z.number().int().min(1),
]);

/** Options of the IR family, with the defaults of one preset. */
function irSchema(units: number[], channels: number[], se: boolean, seReduction: number) {
  return backboneBaseSchema.extend({
    /** units per stage; the first unit of each stage has stride 2 */
    units: four.default(units as [number, number, number, number]),
    /** channels per stage (the stem has channels[0]) */
    channels: four.default(channels as [number, number, number, number]),
    /** append a squeeze-excitation block to every residual branch (IR-SE) */
    se: z.boolean().default(se),
    /** SE channel reduction */
    seReduction: z.number().int().min(1).default(seReduction),
    /** output-layer dropout: face.evoLVe 0.5 (PyTorch's default `Dropout()`), FaceX-Zoo 0.4 */
    dropout: z.number().min(0).lt(1).default(0.5),
    ...tweakFields,
  }).strict();
}

/** Parsed IR options. */
export type IrOptions = z.output<ReturnType<typeof irSchema>>;

/** One IR / IR-SE unit. */
class IrUnit extends Layer {
  readonly #shortcut: Layer;
  readonly #residual: Sequential;

  constructor(ctx: ModuleContext, inC: number, depth: number, stride: number, o: IrOptions) {
    super();
    this.#shortcut = this.addChild(
      "shortcut_layer",
      inC === depth ? maxPoolLayer(1, stride) : projectionShortcut(ctx, {
        inChannels: inC,
        outChannels: depth,
        stride,
        init: XAVIER,
        downsample: o.downsample,
      }),
    );
    const layers: Layer[] = [
      new BatchNorm(ctx, { channels: inC }),
      new Conv2d(ctx, { inChannels: inC, outChannels: depth, kernel: 3, padding: 1, init: XAVIER }),
      new PReLU(ctx, depth),
      new Conv2d(ctx, { inChannels: depth, outChannels: depth, kernel: 3, stride, padding: 1, init: XAVIER }),
      new BatchNorm(ctx, { channels: depth }),
    ];
    if (o.se) layers.push(new SqueezeExcite(ctx, { channels: depth, reduction: o.seReduction, init: XAVIER }));
    this.#residual = this.addChild("res_layer", new Sequential(layers));
  }

  forward(x: Tensor): Tensor {
    return add(this.#residual.forward(x), this.#shortcut.forward(x));
  }
}

/** The IR / IR-SE network. */
export class IrBackbone extends Backbone {
  /** input side */
  readonly inputSize: number;
  /** embedding width */
  readonly embeddingSize: number;
  readonly #input: Sequential;
  readonly #body: Sequential;
  readonly #output: Sequential;

  /** Builds the network from parsed options. */
  constructor(ctx: ModuleContext, o: IrOptions) {
    super();
    this.inputSize = o.inputSize;
    this.embeddingSize = o.embeddingSize;
    const c = o.channels;
    this.#input = this.addChild(
      "input_layer",
      new Sequential(stemLayers(ctx, {
        outChannels: c[0],
        kernel: 3,
        stride: 1,
        init: XAVIER,
        deep: o.deepStem,
        activation: (channels) => new PReLU(ctx, channels),
      })),
    );
    this.#body = this.addChild(
      "body",
      stackStages(c[0], o.units, (inC, stage, first) => ({
        unit: new IrUnit(ctx, inC, c[stage], first ? 2 : 1, o),
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
        fcInit: XAVIER,
        fcBiasInit: { kind: "constant", value: 0 },
      }),
    );
  }

  /** Embeds `x` [N, S, S, 3]. */
  forward(x: Tensor): Tensor {
    return this.#output.forward(this.#body.forward(this.#input.forward(x)));
  }
}

const WIDE = [64, 128, 256, 512];
const LAYOUTS: [string, number[]][] = [["50", [3, 4, 14, 3]], ["100", [3, 13, 30, 3]], ["152", [3, 8, 36, 3]]];

for (const se of [false, true]) {
  const family = se ? "ir_se" : "ir";
  const label = se ? "IR-SE" : "IR";
  for (const [depth, units] of LAYOUTS) {
    backbones.register({
      name: `${family}_${depth}`,
      schema: irSchema(units, WIDE, se, 16),
      create: (o, ctx) => new IrBackbone(ctx, o),
      tags: [family, "evo", "fxz"],
      description: `${label}-${depth} (face.evoLVe / FaceX-Zoo), units ${units.join("/")}`,
    });
  }
  backbones.register({
    name: `${family}_tiny`,
    schema: irSchema([1, 1, 1, 1], [8, 16, 32, 64], se, 4),
    create: (o, ctx) => new IrBackbone(ctx, o),
    tags: [family, "tiny"],
    description: `${label} topology, one unit per stage, channels 8/16/32/64 (SE reduction 4), for quick runs`,
  });
}
