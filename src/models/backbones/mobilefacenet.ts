/**
 * MobileFaceNet (FaceX-Zoo / face.evoLVe `MobileFaceNets.py`; arcface_torch `mobilefacenet.py` as `mbf` presets):
 * Conv3×3 s2 → 3×3 conv with 64 groups → Depth_Wise units (1×1 expand → 3×3 depthwise(stride) → 1×1 linear
 * project, identity residual inside the repeated stages) → Conv1×1 to 512 → GDC head: 7×7 depthwise conv + BN
 * (linear) → Flatten → Linear(no bias) → BN1d. arcface_torch widens the stage channels by `scale` but keeps the
 * expansion widths and the 64 groups of the second layer (its quirk: not depthwise at scale 2). Init: PyTorch
 * defaults (FaceX-Zoo) or Kaiming-normal fan-out (arcface_torch). Layer names follow FaceX-Zoo.
 * @module
 */
import { z } from "zod";
import { flattenLayer } from "../../nn/activation.ts";
import { BatchNorm } from "../../nn/batch_norm.ts";
import type { InitScheme } from "../../nn/init.ts";
import { Linear } from "../../nn/linear.ts";
import { Layer, type ModuleContext } from "../../nn/module.ts";
import { Sequential } from "../../nn/sequential.ts";
import type { Tensor } from "../../core/tensor.ts";
import { add } from "../../ops/mod.ts";
import { backbones } from "../registry.ts";
import { Backbone, backboneBaseSchema } from "./backbone.ts";
import { convBn, halve } from "./_layers.ts";

const positive = z.number().int().min(1);

/** Options of the MobileFaceNet family, with the defaults of one preset. */
function mobileFaceNetSchema(d: {
  channels: [number, number];
  blocks: [number, number, number, number];
  expansions: [number, number, number, number];
  sepChannels: number;
  firstGroups: number;
  init: "torch" | "kaiming";
}) {
  return backboneBaseSchema.extend({
    /** stage channels before and after conv_34 (FaceX-Zoo 64/128; arcface_torch 64·scale/128·scale) */
    channels: z.tuple([positive, positive]).default(d.channels),
    /** units of the four repeated stages (conv_2 or conv_2 residual stage, conv_3, conv_4, conv_5) */
    blocks: z.tuple([positive, positive, positive, positive]).default(d.blocks),
    /** expansion widths: conv_23 + conv_3, conv_34 + conv_4, conv_45, conv_5 */
    expansions: z.tuple([positive, positive, positive, positive]).default(d.expansions),
    /** channels of conv_6_sep and the GDC */
    sepChannels: positive.default(d.sepChannels),
    /** groups of the second 3×3 conv (64 in both libraries) */
    firstGroups: positive.default(d.firstGroups),
    /** weight init: PyTorch defaults (FaceX-Zoo) or Kaiming-normal fan-out (arcface_torch) */
    init: z.enum(["torch", "kaiming"]).default(d.init),
  }).strict();
}

/** Parsed MobileFaceNet options. */
export type MobileFaceNetOptions = z.output<ReturnType<typeof mobileFaceNetSchema>>;

/** FaceX-Zoo `Depth_Wise`: 1×1 expand (PReLU) → 3×3 depthwise (PReLU) → 1×1 project (linear), optional residual. */
class DepthWise extends Layer {
  readonly #body: Sequential;
  readonly #residual: boolean;

  constructor(
    ctx: ModuleContext,
    init: InitScheme,
    shape: { inC: number; outC: number; groups: number; stride: number },
    residual: boolean,
  ) {
    super();
    const { inC, outC, groups, stride } = shape;
    this.#residual = residual;
    this.#body = this.addChild(
      "model",
      new Sequential([
        convBn(ctx, { inChannels: inC, outChannels: groups, kernel: 1, init }, true),
        convBn(ctx, { inChannels: groups, outChannels: groups, kernel: 3, stride, padding: 1, groups, init }, true),
        convBn(ctx, { inChannels: groups, outChannels: outC, kernel: 1, init }, false),
      ]),
    );
  }

  forward(x: Tensor): Tensor {
    const y = this.#body.forward(x);
    return this.#residual ? add(y, x) : y;
  }
}

/** FaceX-Zoo `Residual`: `n` residual Depth_Wise units of `c` channels expanded to `groups`. */
function residualStage(ctx: ModuleContext, init: InitScheme, c: number, n: number, groups: number): Sequential {
  return new Sequential(
    Array.from({ length: n }, () => new DepthWise(ctx, init, { inC: c, outC: c, groups, stride: 1 }, true)),
  );
}

/** The MobileFaceNet network. */
export class MobileFaceNetBackbone extends Backbone {
  /** input side */
  readonly inputSize: number;
  /** embedding width */
  readonly embeddingSize: number;
  readonly #body: Sequential;
  readonly #head: Sequential;

  /** Builds the network from parsed options. */
  constructor(ctx: ModuleContext, o: MobileFaceNetOptions) {
    super();
    const init: InitScheme = o.init === "kaiming" ? { kind: "kaimingNormalFanOut" } : { kind: "torchDefault" };
    this.inputSize = o.inputSize;
    this.embeddingSize = o.embeddingSize;
    const [c1, c2] = o.channels;
    const [e1, e2, e3, e4] = o.expansions;
    const second = o.blocks[0] === 1
      ? convBn(ctx, { inChannels: c1, outChannels: c1, kernel: 3, padding: 1, groups: o.firstGroups, init }, true)
      : residualStage(ctx, init, c1, o.blocks[0], e1);
    this.#body = this.addChild(
      "body",
      new Sequential([
        convBn(ctx, { inChannels: 3, outChannels: c1, kernel: 3, stride: 2, padding: 1, init }, true),
        second,
        new DepthWise(ctx, init, { inC: c1, outC: c1, groups: e1, stride: 2 }, false),
        residualStage(ctx, init, c1, o.blocks[1], e1),
        new DepthWise(ctx, init, { inC: c1, outC: c2, groups: e2, stride: 2 }, false),
        residualStage(ctx, init, c2, o.blocks[2], e2),
        new DepthWise(ctx, init, { inC: c2, outC: c2, groups: e3, stride: 2 }, false),
        residualStage(ctx, init, c2, o.blocks[3], e4),
        convBn(ctx, { inChannels: c2, outChannels: o.sepChannels, kernel: 1, init }, true),
      ]),
    );
    const s = o.sepChannels;
    const map = halve(o.inputSize, 4);
    this.#head = this.addChild(
      "gdc",
      new Sequential([
        convBn(ctx, { inChannels: s, outChannels: s, kernel: map, groups: s, init }, false),
        flattenLayer(),
        new Linear(ctx, {
          inFeatures: s,
          outFeatures: o.embeddingSize,
          bias: false,
          init,
        }),
        new BatchNorm(ctx, { channels: o.embeddingSize }),
      ]),
    );
  }

  /** Embeds `x` [N, S, S, 3]. */
  forward(x: Tensor): Tensor {
    return this.#head.forward(this.#body.forward(x));
  }
}

const FXZ = {
  channels: [64, 128] as [number, number],
  blocks: [1, 4, 6, 2] as [number, number, number, number],
  expansions: [128, 256, 512, 256] as [number, number, number, number],
  sepChannels: 512,
  firstGroups: 64,
  init: "torch" as const,
};

backbones.register({
  name: "mobilefacenet",
  schema: mobileFaceNetSchema(FXZ),
  create: (o, ctx) => new MobileFaceNetBackbone(ctx, o),
  tags: ["mobilefacenet", "evo", "fxz"],
  description: "MobileFaceNet (FaceX-Zoo / face.evoLVe), GDC head",
});
backbones.register({
  name: "mbf",
  schema: mobileFaceNetSchema({ ...FXZ, channels: [128, 256], init: "kaiming" }),
  create: (o, ctx) => new MobileFaceNetBackbone(ctx, o),
  tags: ["mobilefacenet", "aft"],
  description: "arcface_torch mbf: MobileFaceNet at scale 2",
});
backbones.register({
  name: "mbf_large",
  schema: mobileFaceNetSchema({ ...FXZ, channels: [256, 512], blocks: [2, 8, 12, 4], init: "kaiming" }),
  create: (o, ctx) => new MobileFaceNetBackbone(ctx, o),
  tags: ["mobilefacenet", "aft"],
  description: "arcface_torch mbf_large: MobileFaceNet at scale 4, blocks 2/8/12/4",
});
backbones.register({
  name: "mobilefacenet_tiny",
  schema: mobileFaceNetSchema({
    channels: [16, 32],
    blocks: [1, 1, 1, 1],
    expansions: [32, 64, 128, 64],
    sepChannels: 128,
    firstGroups: 16,
    init: "torch",
  }),
  create: (o, ctx) => new MobileFaceNetBackbone(ctx, o),
  tags: ["mobilefacenet", "tiny"],
  description: "MobileFaceNet topology, one unit per stage, channels 16/32, expansions ÷4, for quick runs",
});
