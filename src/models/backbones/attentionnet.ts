/**
 * Residual Attention Network (Wang et al., CVPR 2017) for faces, as FaceX-Zoo builds it (`backbone/AttentionNets.py`,
 * after tengshaofeng's ResidualAttentionNetwork-pytorch): 7×7 stride-2 stem conv → BN → ReLU (no max pool: 112 → 56),
 * then per stage a stride-2 pre-activation bottleneck (the first at stride 1) and the stage's attention modules
 * (Attention-56: 1, 1, 1; Attention-92: 1, 2, 3), then three bottlenecks to 2048×7×7 (the first at stride 2), and
 * FaceX-Zoo's output layer Flatten → Linear(2048·7·7 → 512, no bias) → BN1d (no BN2d, no dropout).
 *
 * Pre-activation bottleneck: a = ReLU(BN(x)); out = 1×1 conv to C/4 → BN → ReLU → 3×3 conv (stride) → BN → ReLU →
 * 1×1 conv to C, plus x, or a 1×1 strided conv of `a` when the shape changes. FaceX-Zoo creates that projection conv in
 * every unit, used or not; here it exists only where it is used (see the README for the count).
 *
 * Attention module with L max-pool levels (stage 1: 3, stage 2: 2, stage 3: 1): x = unit(x); trunk = unit(unit(x));
 * the soft-mask branch max-pools (3×3, stride 2, pad 1) and applies a unit at each level, with a skip unit on every
 * level but the deepest (which has two units), then climbs back: bilinear up-sampling (align_corners, as
 * `nn.UpsamplingBilinear2d`) to the next level's map, plus that level's map and its skip output, then a unit; the last
 * up-sampling goes to the trunk's size and adds the trunk. Mask = BN → ReLU → 1×1 → BN → ReLU → 1×1 → sigmoid;
 * output unit((1 + mask) · trunk). FaceX-Zoo fixes the up-sampling sizes for a 112 input (56/28/14 in stage 1);
 * here every up-sampling targets the size of the map it is added to, which is the same at 112 and works at any size.
 * Init: PyTorch defaults (FaceX-Zoo sets none).
 * @module
 */
import { z } from "zod";
import type { Tensor } from "../../core/tensor.ts";
import { reluLayer } from "../../nn/activation.ts";
import { BatchNorm } from "../../nn/batch_norm.ts";
import { Conv2d } from "../../nn/conv2d.ts";
import type { InitScheme } from "../../nn/init.ts";
import { Layer, type ModuleContext } from "../../nn/module.ts";
import { Sequential } from "../../nn/sequential.ts";
import { add, maxPool2d, mul, relu, sigmoid, upsampleBilinear2d } from "../../ops/mod.ts";
import { backbones } from "../registry.ts";
import { Backbone, backboneBaseSchema } from "./backbone.ts";
import { bnReluConvLayers, flatFcBnLayer, halve } from "./_layers.ts";

const TORCH: InitScheme = { kind: "torchDefault" };

/** Options of the AttentionNet family, with the defaults of one preset. */
function attentionNetSchema(d: { stemChannels: number; channels: number[]; modules: number[] }) {
  return backboneBaseSchema.extend({
    /** stem conv width (FaceX-Zoo 64) */
    stemChannels: z.number().int().min(1).default(d.stemChannels),
    /** widths of the three attention stages and the final stage (bottleneck width = C/4) */
    channels: z.array(z.number().int().min(4).multipleOf(4)).length(4).default(d.channels),
    /** attention modules per stage (Attention-56: 1, 1, 1; Attention-92: 1, 2, 3) */
    modules: z.array(z.number().int().min(0)).length(3).default(d.modules),
  }).strict();
}

/** Parsed AttentionNet options. */
export type AttentionNetOptions = z.output<ReturnType<typeof attentionNetSchema>>;

/** FaceX-Zoo's `ResidualBlock`: pre-activation bottleneck with a 1×1 projection of the activated input when needed. */
class PreActBottleneck extends Layer {
  readonly #bn: BatchNorm;
  readonly #body: Sequential;
  readonly #shortcut: Conv2d | null;

  constructor(ctx: ModuleContext, inC: number, outC: number, stride = 1) {
    super();
    const mid = outC / 4;
    this.#bn = this.addChild("bn1", new BatchNorm(ctx, { channels: inC }));
    this.#body = this.addChild(
      "body",
      new Sequential([
        new Conv2d(ctx, { inChannels: inC, outChannels: mid, kernel: 1, init: TORCH }),
        ...bnReluConvLayers(ctx, { inChannels: mid, outChannels: mid, kernel: 3, stride, padding: 1, init: TORCH }),
        ...bnReluConvLayers(ctx, { inChannels: mid, outChannels: outC, kernel: 1, init: TORCH }),
      ]),
    );
    this.#shortcut = inC === outC && stride === 1 ? null : this.addChild(
      "shortcut",
      new Conv2d(ctx, { inChannels: inC, outChannels: outC, kernel: 1, stride, init: TORCH }),
    );
  }

  forward(x: Tensor): Tensor {
    const activated = relu(this.#bn.forward(x));
    return add(this.#body.forward(activated), this.#shortcut ? this.#shortcut.forward(activated) : x);
  }
}

/** The soft-mask branch's 3×3 stride-2 max pool. */
function pool(x: Tensor): Tensor {
  return maxPool2d(x, { kernel: 3, stride: 2, padding: 1 });
}

/** `nn.UpsamplingBilinear2d` of `x` to the spatial size of `like`. */
function upsampleTo(x: Tensor, like: Tensor): Tensor {
  return upsampleBilinear2d(x, { size: [like.shape[1], like.shape[2]], alignCorners: true });
}

/** FaceX-Zoo's `AttentionModule_stage{1,2,3}`: trunk branch times (1 + soft mask) with `levels` pooling levels. */
class AttentionModule extends Layer {
  readonly #first: PreActBottleneck;
  readonly #trunk: Sequential;
  readonly #down: { unit: PreActBottleneck; skip: PreActBottleneck }[];
  readonly #bottom: Sequential;
  readonly #up: PreActBottleneck[];
  readonly #mask: Sequential;
  readonly #last: PreActBottleneck;

  constructor(ctx: ModuleContext, c: number, levels: number) {
    super();
    const unit = () => new PreActBottleneck(ctx, c, c);
    this.#first = this.addChild("first", unit());
    this.#trunk = this.addChild("trunk", new Sequential([unit(), unit()]));
    this.#down = Array.from({ length: levels - 1 }, (_, i) => ({
      unit: this.addChild(`down${i + 1}`, unit()),
      skip: this.addChild(`skip${i + 1}`, unit()),
    }));
    this.#bottom = this.addChild("bottom", new Sequential([unit(), unit()]));
    this.#up = Array.from({ length: levels - 1 }, (_, i) => this.addChild(`up${levels - 1 - i}`, unit()));
    this.#mask = this.addChild(
      "mask",
      new Sequential([
        ...bnReluConvLayers(ctx, { inChannels: c, outChannels: c, kernel: 1, init: TORCH }),
        ...bnReluConvLayers(ctx, { inChannels: c, outChannels: c, kernel: 1, init: TORCH }),
      ]),
    );
    this.#last = this.addChild("last", unit());
  }

  forward(input: Tensor): Tensor {
    const x = this.#first.forward(input);
    const trunk = this.#trunk.forward(x);
    const maps: Tensor[] = [];
    const skips: Tensor[] = [];
    let y = x;
    for (const { unit, skip } of this.#down) {
      y = unit.forward(pool(y));
      maps.push(y);
      skips.push(skip.forward(y));
    }
    y = this.#bottom.forward(pool(y));
    this.#up.forEach((unit, k) => {
      const level = maps.length - 1 - k;
      y = unit.forward(add(add(upsampleTo(y, maps[level]), maps[level]), skips[level]));
    });
    const mask = sigmoid(this.#mask.forward(add(upsampleTo(y, trunk), trunk)));
    return this.#last.forward(add(trunk, mul(mask, trunk)));
  }
}

/** The Residual Attention Network. */
export class AttentionNetBackbone extends Backbone {
  /** input side */
  readonly inputSize: number;
  /** embedding width */
  readonly embeddingSize: number;
  readonly #body: Sequential;
  readonly #output: Sequential;

  /** Builds the network from parsed options. */
  constructor(ctx: ModuleContext, o: AttentionNetOptions) {
    super();
    this.inputSize = o.inputSize;
    this.embeddingSize = o.embeddingSize;
    const stem = new Sequential([
      new Conv2d(ctx, { inChannels: 3, outChannels: o.stemChannels, kernel: 7, stride: 2, padding: 3, init: TORCH }),
      new BatchNorm(ctx, { channels: o.stemChannels }),
      reluLayer(),
    ]);
    const units: Layer[] = [];
    let c = o.stemChannels;
    o.modules.forEach((count, stage) => {
      const outC = o.channels[stage];
      units.push(new PreActBottleneck(ctx, c, outC, stage === 0 ? 1 : 2));
      for (let i = 0; i < count; i++) units.push(new AttentionModule(ctx, outC, 3 - stage));
      c = outC;
    });
    const last = o.channels[3];
    units.push(
      new PreActBottleneck(ctx, c, last, 2),
      new PreActBottleneck(ctx, last, last),
      new PreActBottleneck(ctx, last, last),
    );
    this.#body = this.addChild("body", new Sequential([["stem", stem], ["blocks", new Sequential(units)]]));
    this.#output = this.addChild(
      "output_layer",
      flatFcBnLayer(ctx, { channels: last, spatial: halve(o.inputSize, 4), embeddingSize: o.embeddingSize }),
    );
  }

  /** Embeds `x` [N, S, S, 3]. */
  forward(x: Tensor): Tensor {
    return this.#output.forward(this.#body.forward(x));
  }
}

const FXZ = { stemChannels: 64, channels: [256, 512, 1024, 2048] };

backbones.register({
  name: "attentionnet_56",
  schema: attentionNetSchema({ ...FXZ, modules: [1, 1, 1] }),
  create: (o, ctx) => new AttentionNetBackbone(ctx, o),
  tags: ["attentionnet", "fxz"],
  description: "Residual Attention Network 56 (FaceX-Zoo): 7×7 s2 stem, one attention module per stage, FC-BN output",
});
backbones.register({
  name: "attentionnet_92",
  schema: attentionNetSchema({ ...FXZ, modules: [1, 2, 3] }),
  create: (o, ctx) => new AttentionNetBackbone(ctx, o),
  tags: ["attentionnet", "fxz"],
  description: "Residual Attention Network 92 (FaceX-Zoo): 1, 2, 3 attention modules per stage, FC-BN output",
});
backbones.register({
  name: "attentionnet_tiny",
  // One stage-1 module (its mask branch pools 16 → 8 → 4 → 2 at 32×32 and climbs back through both skip levels); the
  // stage-2/3 modules are the same class with fewer levels (covered by the golden). Kept this small because wider
  // variants meet ReLU kinks in the parity step: with 6/12/12/16/16 channels one pre-activation of 24,576 sits at
  // 1.1e-8 after WASM's Winograd 3×3 convolution and at −6.1e-7 after the direct one (max |x| 6.6, so the two agree to
  // 1e-7 relative), the ReLU gradient mask flips for that element, and the BN gradients downstream move by 1e-3; with
  // the Winograd forward switched off WASM matches the float64 reference to 1.5e-5, as WebGPU does. Rounding, not a
  // kernel error, but past the parity tolerance; this variant has no such element (1.3e-5).
  schema: attentionNetSchema({ stemChannels: 4, channels: [4, 8, 8, 8], modules: [1, 0, 0] }),
  create: (o, ctx) => new AttentionNetBackbone(ctx, o),
  tags: ["attentionnet", "tiny"],
  description: "AttentionNet with one stage-1 attention module and 4–8 channels, for quick runs",
});
