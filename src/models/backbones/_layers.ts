/**
 * Blocks shared by several backbone families: conv-BN(-activation) chains, the BN-Dropout-FC-BN embedding layer and
 * the spatial-size rule of stride-2 convolutions.
 * @module
 */
import type { Tensor } from "../../core/tensor.ts";
import { Dropout, dropoutStream } from "../../nn/dropout.ts";
import { BatchNorm, type BatchNormOptions } from "../../nn/batch_norm.ts";
import { Conv2d, type Conv2dOptions } from "../../nn/conv2d.ts";
import { flattenLayer, Fn, reluLayer } from "../../nn/activation.ts";
import type { InitScheme } from "../../nn/init.ts";
import { Linear } from "../../nn/linear.ts";
import type { Layer, ModuleContext } from "../../nn/module.ts";
import { PReLU } from "../../nn/prelu.ts";
import { Sequential } from "../../nn/sequential.ts";

/** Spatial size after `times` convolutions/pools with "same" padding and stride 2: ⌈s / 2⌉ each. */
export function halve(size: number, times: number): number {
  let s = size;
  for (let i = 0; i < times; i++) s = Math.ceil(s / 2);
  return s;
}

/** Conv → BN (→ PReLU when `activation`): FaceX-Zoo's Conv_block / Linear_block. */
export function convBn(ctx: ModuleContext, conv: Conv2dOptions, activation: boolean): Sequential {
  const layers: Layer[] = [new Conv2d(ctx, conv), new BatchNorm(ctx, { channels: conv.outChannels })];
  if (activation) layers.push(new PReLU(ctx, conv.outChannels));
  return new Sequential(layers);
}

/**
 * Conv → BN (→ `activation`) as a flat layer list, to splice into a block's chain; `bn` sets the BN's eps and
 * momentum (EfficientNet's TensorFlow values).
 */
export function convBnLayers(
  ctx: ModuleContext,
  conv: Conv2dOptions,
  activation?: (x: Tensor) => Tensor,
  bn: Omit<BatchNormOptions, "channels"> = {},
): Layer[] {
  const layers: Layer[] = [new Conv2d(ctx, conv), new BatchNorm(ctx, { ...bn, channels: conv.outChannels })];
  if (activation) layers.push(new Fn(activation));
  return layers;
}

/**
 * BN → ReLU → conv as a flat layer list: the pre-activation unit of DenseNet and DPN; `bn` sets the BN's eps and
 * momentum (DPN's MXNet eps 1e-3).
 */
export function bnReluConvLayers(
  ctx: ModuleContext,
  conv: Conv2dOptions,
  bn: Omit<BatchNormOptions, "channels"> = {},
): Layer[] {
  return [new BatchNorm(ctx, { ...bn, channels: conv.inChannels }), reluLayer(), new Conv2d(ctx, conv)];
}

const TORCH_DEFAULT: InitScheme = { kind: "torchDefault" };

/** Options of {@link embeddingLayer}. */
export interface EmbeddingLayerOptions {
  /** channels of the last feature map */
  channels: number;
  /** side of the last feature map */
  spatial: number;
  /** embedding width */
  embeddingSize: number;
  /** dropout probability before the FC */
  dropout: number;
  /** FC weight init (default: PyTorch's `nn.Linear` init) */
  fcInit?: InitScheme;
  /** FC bias init (default: PyTorch's `nn.Linear` init) */
  fcBiasInit?: InitScheme;
  /** keep the final BN1d gamma at 1, untrained (arcface_torch) */
  frozenGamma?: boolean;
  /** start with BN2d(C) (default true; FaceX-Zoo's TF-NAS has none) */
  inputBatchNorm?: boolean;
}

/**
 * The "option E" output layer: BN2d(C) → Dropout → Flatten (NHWC order) → Linear(C·S·S → E) → BN1d(E), the BN2d
 * left out when `inputBatchNorm` is false.
 */
export function embeddingLayer(ctx: ModuleContext, o: EmbeddingLayerOptions): Sequential {
  return new Sequential([
    ...(o.inputBatchNorm === false ? [] : [new BatchNorm(ctx, { channels: o.channels })]),
    new Dropout(o.dropout, dropoutStream(ctx)),
    flattenLayer(),
    new Linear(ctx, {
      inFeatures: o.channels * o.spatial * o.spatial,
      outFeatures: o.embeddingSize,
      init: o.fcInit ?? TORCH_DEFAULT,
      biasInit: o.fcBiasInit ?? TORCH_DEFAULT,
    }),
    new BatchNorm(ctx, { channels: o.embeddingSize, frozenGamma: o.frozenGamma }),
  ]);
}

/** Options of {@link flatFcBnLayer}. */
export interface FlatFcBnLayerOptions {
  /** channels of the last feature map */
  channels: number;
  /** side of the last feature map */
  spatial: number;
  /** embedding width */
  embeddingSize: number;
  /** a layer before the Flatten (FaceX-Zoo's Swin: LayerNorm); default none */
  norm?: Layer;
  /** FC bias (default false) */
  bias?: boolean;
  /** FC weight init (default PyTorch's) */
  init?: InitScheme;
  /** FC bias init (default PyTorch's) */
  biasInit?: InitScheme;
}

/**
 * FaceX-Zoo's output layer without BN2d and dropout (HRNet, AttentionNet; Swin with its LayerNorm as `norm` and a
 * biased FC): [norm →] Flatten (NHWC order) → Linear(C·S·S → E, no bias, PyTorch init by default) → BN1d(E).
 */
export function flatFcBnLayer(ctx: ModuleContext, o: FlatFcBnLayerOptions): Sequential {
  return new Sequential([
    ...(o.norm ? [o.norm] : []),
    flattenLayer(),
    new Linear(ctx, {
      inFeatures: o.channels * o.spatial * o.spatial,
      outFeatures: o.embeddingSize,
      bias: o.bias ?? false,
      init: o.init ?? TORCH_DEFAULT,
      biasInit: o.biasInit ?? TORCH_DEFAULT,
    }),
    new BatchNorm(ctx, { channels: o.embeddingSize }),
  ]);
}

/**
 * Linear init of the timm-style transformers (arcface_torch's ViT, FaceX-Zoo's Swin `_init_weights`): weight
 * N(0, 0.02²) (timm's `trunc_normal_` cuts at ±2 absolute, 100 standard deviations, so it never binds), bias 0.
 */
export const TRANSFORMER_LINEAR_INIT = {
  init: { kind: "normal", std: 0.02 },
  biasInit: { kind: "constant", value: 0 },
} as const satisfies { init: InitScheme; biasInit: InitScheme };

/** A transformer's token MLP on [rows, D]: `fc1` (D → hidden) → `act` → `fc2` (hidden → D), both biased. */
export function tokenMlp(
  ctx: ModuleContext,
  dim: number,
  hidden: number,
  activation: (x: Tensor) => Tensor,
): Sequential {
  return new Sequential([
    ["fc1", new Linear(ctx, { inFeatures: dim, outFeatures: hidden, ...TRANSFORMER_LINEAR_INIT })],
    ["act", new Fn(activation)],
    ["fc2", new Linear(ctx, { inFeatures: hidden, outFeatures: dim, ...TRANSFORMER_LINEAR_INIT })],
  ]);
}

/**
 * The residual body shared by the ResNet-style families: stage `s` stacks `counts[s]` units, the first of each stage
 * built with `first = true` (where the family downsamples). `make` returns the unit and its output channels.
 */
export function stackStages(
  inChannels: number,
  counts: readonly number[],
  make: (inChannels: number, stage: number, first: boolean) => { unit: Layer; outChannels: number },
): Sequential {
  const units: Layer[] = [];
  let c = inChannels;
  counts.forEach((n, stage) => {
    for (let i = 0; i < n; i++) {
      const { unit, outChannels } = make(c, stage, i === 0);
      units.push(unit);
      c = outChannels;
    }
  });
  return new Sequential(units);
}
