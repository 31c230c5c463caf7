/**
 * Blocks of the ResNet-style families: torchvision's basic block and bottleneck (with ResNeXt's grouped 3×3 and an
 * optional squeeze-excitation), and the "model tweaks" of He et al. 2019, "Bag of Tricks for Image Classification
 * with Convolutional Neural Networks" (§4): the ResNet-D projection shortcut (2×2 stride-2 average pooling, then a
 * stride-1 1×1 conv) and the ResNet-C deep stem (three 3×3 convs in place of one stem conv). Defaults build the
 * original blocks.
 * @module
 */
import { z } from "zod";
import type { Tensor } from "../../core/tensor.ts";
import { Fn, reluLayer } from "../../nn/activation.ts";
import { BatchNorm } from "../../nn/batch_norm.ts";
import { Conv2d } from "../../nn/conv2d.ts";
import type { InitScheme } from "../../nn/init.ts";
import { Layer, type ModuleContext } from "../../nn/module.ts";
import { SqueezeExcite } from "../../nn/se.ts";
import { Sequential } from "../../nn/sequential.ts";
import { add, avgPool2d, relu } from "../../ops/mod.ts";
import { convBn } from "./_layers.ts";

/** Four positive integers, one per stage of a four-stage body (units or planes per stage). */
export const fourPerStage = z.tuple([
  z.number().int().min(1),
  z.number().int().min(1),
  z.number().int().min(1),
  z.number().int().min(1),
]);

/** Zod fields of the two tweaks, shared by the schemas of the ResNet-style families. */
export const tweakFields = {
  /**
   * projection shortcut of a stride-2 unit: "conv" = 1×1 conv with stride 2 (the original), "avgpool" = ResNet-D,
   * 2×2 average pooling with stride 2 (ceil mode, padding not counted) before a stride-1 1×1 conv
   */
  downsample: z.enum(["conv", "avgpool"]).default("conv"),
  /** ResNet-C deep stem: three 3×3 convs (widths stem/2, stem/2, stem) in place of the stem conv */
  deepStem: z.boolean().default(false),
};

/** How a projection shortcut sub-samples. */
export type DownsampleKind = z.output<typeof tweakFields.downsample>;

/** Geometry of a projection shortcut. */
export interface ProjectionOptions {
  inChannels: number;
  outChannels: number;
  stride: number;
  init: InitScheme;
  downsample: DownsampleKind;
}

/**
 * Projection shortcut → BN: Conv1×1(stride) → BN, or with ResNet-D (stride > 1) AvgPool2×2(stride) → Conv1×1 → BN.
 * gluon-cv / timm pool with `ceil_mode=True, count_include_pad=False`, which only matters for odd map sizes.
 */
export function projectionShortcut(ctx: ModuleContext, o: ProjectionOptions): Sequential {
  const conv = { inChannels: o.inChannels, outChannels: o.outChannels, kernel: 1, init: o.init };
  if (o.downsample === "conv" || o.stride === 1) return convBn(ctx, { ...conv, stride: o.stride }, false);
  const pool = { kernel: o.stride, stride: o.stride, ceilMode: true, countIncludePad: false };
  return new Sequential([
    new Fn((x) => avgPool2d(x, pool)),
    new Conv2d(ctx, conv),
    new BatchNorm(ctx, { channels: o.outChannels }),
  ]);
}

/** Options of {@link stemLayers}. */
export interface StemOptions {
  /** output channels of the stem */
  outChannels: number;
  /** kernel of the single stem conv (7 for ImageNet ResNet, 3 for the face stems) */
  kernel: number;
  /** stride of the (first) stem conv */
  stride: number;
  init: InitScheme;
  /** three 3×3 convs instead of one */
  deep: boolean;
  /** the activation after each BN (ReLU, or PReLU of the face stems) */
  activation: (channels: number) => Layer;
}

/**
 * The stem's conv → BN → activation: one `kernel`×`kernel` conv, or the deep stem Conv3×3(stride, 3 → out/2) → BN →
 * act → Conv3×3(out/2 → out/2) → BN → act → Conv3×3(out/2 → out) → BN → act.
 */
export function stemLayers(ctx: ModuleContext, o: StemOptions): Layer[] {
  const widths = o.deep ? [3, o.outChannels / 2, o.outChannels / 2, o.outChannels] : [3, o.outChannels];
  if (!Number.isInteger(widths[1])) throw new RangeError(`deep stem: ${o.outChannels} stem channels are not even`);
  const kernel = o.deep ? 3 : o.kernel;
  return widths.slice(1).flatMap((c, i) => [
    new Conv2d(ctx, {
      inChannels: widths[i],
      outChannels: c,
      kernel,
      stride: i === 0 ? o.stride : 1,
      padding: Math.floor(kernel / 2),
      init: o.init,
    }),
    new BatchNorm(ctx, { channels: c }),
    o.activation(c),
  ]);
}

/** Options of {@link Bottleneck}. */
export interface BottleneckOptions {
  inChannels: number;
  /** width of the 1×1 → 3×3 part (planes, or ResNeXt's ⌊planes·baseWidth/64⌋·cardinality) */
  width: number;
  /** output channels (planes × 4) */
  outChannels: number;
  /** stride of the 3×3 conv */
  stride: number;
  /** channel groups of the 3×3 conv (ResNeXt's cardinality; 1 for ResNet) */
  groups: number;
  /** start the branch's last BN gamma at 0 */
  zeroInitResidual: boolean;
  /** SE channel reduction after the branch's last BN, or null for none */
  seReduction: number | null;
  init: InitScheme;
  downsample: DownsampleKind;
}

/**
 * torchvision's `Bottleneck`: Conv1×1 → BN → ReLU → Conv3×3(stride, groups) → BN → ReLU → Conv1×1 → BN (→ SE as in
 * Hu et al.'s SE-ResNeXt, 1×1 convs with bias), plus the identity or a projection shortcut, then ReLU.
 */
export class Bottleneck extends Layer {
  readonly #residual: Sequential;
  readonly #downsample: Sequential | null;

  /** Builds the unit (children `residual`, then `downsample` when the shape changes). */
  constructor(ctx: ModuleContext, o: BottleneckOptions) {
    super();
    const { width: w, outChannels: out, init } = o;
    const layers: Layer[] = [
      new Conv2d(ctx, { inChannels: o.inChannels, outChannels: w, kernel: 1, init }),
      new BatchNorm(ctx, { channels: w }),
      reluLayer(),
      new Conv2d(ctx, {
        inChannels: w,
        outChannels: w,
        kernel: 3,
        stride: o.stride,
        padding: 1,
        groups: o.groups,
        init,
      }),
      new BatchNorm(ctx, { channels: w }),
      reluLayer(),
      new Conv2d(ctx, { inChannels: w, outChannels: out, kernel: 1, init }),
      new BatchNorm(ctx, { channels: out, gamma: o.zeroInitResidual ? 0 : 1 }),
    ];
    if (o.seReduction !== null) {
      layers.push(new SqueezeExcite(ctx, { channels: out, reduction: o.seReduction, bias: true, init }));
    }
    this.#residual = this.addChild("residual", new Sequential(layers));
    this.#downsample = o.stride !== 1 || o.inChannels !== out
      ? this.addChild(
        "downsample",
        projectionShortcut(ctx, {
          inChannels: o.inChannels,
          outChannels: out,
          stride: o.stride,
          init,
          downsample: o.downsample,
        }),
      )
      : null;
  }

  /** relu(branch(x) + shortcut(x)). */
  forward(x: Tensor): Tensor {
    return relu(add(this.#residual.forward(x), this.#downsample ? this.#downsample.forward(x) : x));
  }
}

/** Options of {@link BasicBlock}. */
export interface BasicBlockOptions {
  inChannels: number;
  outChannels: number;
  /** stride of the first 3×3 conv */
  stride: number;
  init: InitScheme;
}

/**
 * torchvision's `BasicBlock` (ResNet-18/34; HRNet's branch unit): Conv3×3(stride) → BN → ReLU → Conv3×3 → BN, plus the
 * identity or a Conv1×1(stride) → BN projection when the shape changes, then ReLU.
 */
export class BasicBlock extends Layer {
  readonly #residual: Sequential;
  readonly #downsample: Sequential | null;

  /** Builds the unit (children `residual`, then `downsample` when the shape changes). */
  constructor(ctx: ModuleContext, o: BasicBlockOptions) {
    super();
    const { outChannels: out, init } = o;
    this.#residual = this.addChild(
      "residual",
      new Sequential([
        new Conv2d(ctx, { inChannels: o.inChannels, outChannels: out, kernel: 3, stride: o.stride, padding: 1, init }),
        new BatchNorm(ctx, { channels: out }),
        reluLayer(),
        new Conv2d(ctx, { inChannels: out, outChannels: out, kernel: 3, padding: 1, init }),
        new BatchNorm(ctx, { channels: out }),
      ]),
    );
    this.#downsample = o.stride !== 1 || o.inChannels !== out
      ? this.addChild(
        "downsample",
        convBn(ctx, { inChannels: o.inChannels, outChannels: out, kernel: 1, stride: o.stride, init }, false),
      )
      : null;
  }

  /** relu(branch(x) + shortcut(x)). */
  forward(x: Tensor): Tensor {
    return relu(add(this.#residual.forward(x), this.#downsample ? this.#downsample.forward(x) : x));
  }
}
