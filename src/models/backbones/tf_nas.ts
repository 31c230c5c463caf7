/**
 * TF-NAS-A for faces as FaceX-Zoo builds it (`backbone/TF_NAS.py`, after Hu et al., "TF-NAS: Rethinking Three
 * Search Freedoms of Latency-Constrained Differentiable Neural Architecture Search", ECCV 2020): Conv3×3(3 → 32,
 * stride 1, the ImageNet stride 2 dropped) → BN → ReLU → the searched MBInverted blocks → `feature_mix_layer`
 * Conv1×1(320 → 1280) → BN (no activation) → FaceX-Zoo's output layer Dropout(0.2) → Flatten → Linear(1280·7·7 →
 * 512) → BN1d: no BN2d in front, unlike the other face backbones. An MBInverted block is [1×1 expand conv → BN →
 * act, only when its searched mid width exceeds the input width; otherwise mid = input width] → k×k depthwise
 * conv(stride) → BN → act → [SE: global pool → 1×1 conv with bias → act → 1×1 conv with bias → sigmoid → channel
 * scale] → 1×1 project conv → BN, plus the identity when the stride is 1 and the width is kept. The activation is
 * each block's own (ReLU in the stem and first three blocks, swish after), also inside its SE. Channel widths are the
 * searched absolute numbers (no width multiplier). Init as FaceX-Zoo's `_initialization`: conv and FC weights
 * PyTorch defaults, every bias 0, BN 1/0.
 * @module
 */
import { z } from "zod";
import type { Tensor } from "../../core/tensor.ts";
import type { InitScheme } from "../../nn/init.ts";
import { Layer, type ModuleContext } from "../../nn/module.ts";
import { SqueezeExcite } from "../../nn/se.ts";
import { Sequential } from "../../nn/sequential.ts";
import { add, relu, swish } from "../../ops/mod.ts";
import { backbones } from "../registry.ts";
import { Backbone, backboneBaseSchema } from "./backbone.ts";
import { convBnLayers, embeddingLayer } from "./_layers.ts";

const ZERO: InitScheme = { kind: "constant", value: 0 };
const ACTIVATIONS = { relu, swish };

/** One MBInverted block: [mid channels, SE channels (0 = none), out channels, kernel, stride, activation]. */
const blockSchema = z.tuple([
  z.number().int().min(1),
  z.number().int().min(0),
  z.number().int().min(1),
  z.union([z.literal(3), z.literal(5)]),
  z.union([z.literal(1), z.literal(2)]),
  z.enum(["relu", "swish"]),
]);

/** An MBInverted block's configuration. */
export type MBInvertedConfig = z.output<typeof blockSchema>;

/** Options of the TF-NAS family, with the defaults of one preset. */
function tfNasSchema(d: { stemChannels: number; stages: MBInvertedConfig[][]; headChannels: number }) {
  return backboneBaseSchema.extend({
    /** output channels of the stem conv */
    stemChannels: z.number().int().min(1).default(d.stemChannels),
    /** the searched blocks by stage, each [mid, SE, out, kernel, stride, activation]; four stride-2 blocks */
    stages: z.array(z.array(blockSchema).min(1)).min(1).default(d.stages)
      .refine((s) => s.flat().filter((b) => b[4] === 2).length === 4, "exactly four stride-2 blocks (112 → 7)"),
    /** channels of the 1×1 feature-mix conv before the output layer */
    headChannels: z.number().int().min(1).default(d.headChannels),
    /** output-layer dropout (FaceX-Zoo 0.2) */
    dropout: z.number().min(0).lt(1).default(0.2),
  }).strict();
}

/** Parsed TF-NAS options. */
export type TfNasOptions = z.output<ReturnType<typeof tfNasSchema>>;

/** MBInverted block: [1×1 expand] → k×k depthwise → [SE] → 1×1 project, plus the identity when shapes allow. */
class MBInvertedBlock extends Layer {
  readonly #body: Sequential;
  readonly #residual: boolean;

  constructor(ctx: ModuleContext, inChannels: number, block: MBInvertedConfig) {
    super();
    const [searchedMid, se, outChannels, kernel, stride, activation] = block;
    const act = ACTIVATIONS[activation];
    const expand = searchedMid > inChannels;
    const mid = expand ? searchedMid : inChannels;
    const layers: Layer[] = expand ? convBnLayers(ctx, { inChannels, outChannels: mid, kernel: 1 }, act) : [];
    layers.push(...convBnLayers(
      ctx,
      { inChannels: mid, outChannels: mid, kernel, stride, padding: Math.floor(kernel / 2), groups: mid },
      act,
    ));
    if (se > 0) {
      layers.push(new SqueezeExcite(ctx, { channels: mid, hidden: se, bias: true, biasInit: ZERO, activation: act }));
    }
    layers.push(...convBnLayers(ctx, { inChannels: mid, outChannels, kernel: 1 }));
    this.#body = this.addChild("body", new Sequential(layers));
    this.#residual = stride === 1 && inChannels === outChannels;
  }

  forward(x: Tensor): Tensor {
    const y = this.#body.forward(x);
    return this.#residual ? add(y, x) : y;
  }
}

/** The TF-NAS network. */
export class TfNasBackbone extends Backbone {
  /** input side */
  readonly inputSize: number;
  /** embedding width */
  readonly embeddingSize: number;
  readonly #body: Sequential;
  readonly #output: Sequential;

  /** Builds the network from parsed options. */
  constructor(ctx: ModuleContext, o: TfNasOptions) {
    super();
    this.inputSize = o.inputSize;
    this.embeddingSize = o.embeddingSize;
    const stem = convBnLayers(ctx, { inChannels: 3, outChannels: o.stemChannels, kernel: 3, padding: 1 }, relu);
    let c = o.stemChannels;
    let side = o.inputSize;
    const stages = o.stages.map((stage) =>
      new Sequential(stage.map((block) => {
        const unit = new MBInvertedBlock(ctx, c, block);
        c = block[2];
        side = Math.ceil(side / block[4]);
        return unit;
      }))
    );
    const mix = convBnLayers(ctx, { inChannels: c, outChannels: o.headChannels, kernel: 1 });
    this.#body = this.addChild(
      "body",
      new Sequential([
        ["stem", new Sequential(stem)],
        ["stages", new Sequential(stages)],
        ["feature_mix_layer", new Sequential(mix)],
      ]),
    );
    this.#output = this.addChild(
      "output_layer",
      embeddingLayer(ctx, {
        channels: o.headChannels,
        spatial: side,
        embeddingSize: o.embeddingSize,
        dropout: o.dropout,
        fcBiasInit: ZERO,
        inputBatchNorm: false,
      }),
    );
  }

  /** Embeds `x` [N, S, S, 3]. */
  forward(x: Tensor): Tensor {
    return this.#output.forward(this.#body.forward(x));
  }
}

/** FaceX-Zoo's TF-NAS-A blocks: `second_stem` and stages 1–6 (mid, SE, out, kernel, stride, activation). */
const TF_NAS_A: MBInvertedConfig[][] = [
  [[32, 8, 16, 3, 1, "relu"]],
  [
    [83, 32, 24, 3, 2, "relu"],
    [128, 0, 24, 5, 1, "relu"],
  ],
  [
    [138, 48, 40, 3, 2, "swish"],
    [297, 0, 40, 3, 1, "swish"],
    [170, 80, 40, 5, 1, "swish"],
  ],
  [
    [248, 80, 80, 5, 2, "swish"],
    [500, 0, 80, 3, 1, "swish"],
    [424, 0, 80, 3, 1, "swish"],
    [477, 0, 80, 3, 1, "swish"],
  ],
  [
    [504, 160, 112, 3, 1, "swish"],
    [796, 0, 112, 3, 1, "swish"],
    [723, 224, 112, 3, 1, "swish"],
    [555, 224, 112, 3, 1, "swish"],
  ],
  [
    [813, 0, 192, 3, 2, "swish"],
    [1370, 0, 192, 3, 1, "swish"],
    [1138, 384, 192, 3, 1, "swish"],
    [1359, 384, 192, 3, 1, "swish"],
  ],
  [[1203, 384, 320, 5, 1, "swish"]],
];

backbones.register({
  name: "tf_nas_a",
  schema: tfNasSchema({ stemChannels: 32, stages: TF_NAS_A, headChannels: 1280 }),
  create: (o, ctx) => new TfNasBackbone(ctx, o),
  tags: ["tf_nas", "fxz"],
  description: "TF-NAS-A (FaceX-Zoo): stride-1 stem, searched MBInverted blocks with SE, Dropout-FC-BN output",
});
backbones.register({
  name: "tf_nas_tiny",
  schema: tfNasSchema({
    stemChannels: 8,
    // One block per stage: no expansion (mid = in) with ReLU SE, stride-2 ReLU SE, swish with and without SE,
    // a stride-1 residual block and two 5×5 kernels.
    stages: [
      [[8, 2, 8, 3, 1, "relu"]],
      [[16, 4, 8, 3, 2, "relu"]],
      [[24, 0, 12, 3, 2, "swish"]],
      [[32, 8, 16, 5, 2, "swish"]],
      [[48, 0, 16, 3, 1, "swish"]],
      [[64, 16, 24, 3, 2, "swish"]],
      [[72, 0, 32, 5, 1, "swish"]],
    ],
    headChannels: 64,
  }),
  create: (o, ctx) => new TfNasBackbone(ctx, o),
  tags: ["tf_nas", "tiny"],
  description: "TF-NAS topology, one narrow block per stage, for quick runs",
});
