/**
 * ResNeSt for faces as FaceX-Zoo builds it (`backbone/resnest/resnest.py`, `resnet.py`, `splat.py`, after Hang Zhang's
 * ResNeSt; Zhang et al., "ResNeSt: Split-Attention Networks", 2020): Conv3×3(3 → 64, stride 1) → BN → PReLU (the face
 * stem; FaceX-Zoo comments out ResNeSt's deep stem and max-pool, keeping only the 64 input planes it implies) → four
 * stages of split-attention bottlenecks (3, 4, 6, 3 for ResNeSt-50), each starting at stride 2 (112 → 7) → BN2d(2048)
 * → Dropout(0.4) → Flatten → Linear(2048·7·7 → 512) → BN1d → **L2 normalisation**: unlike every other facebench
 * backbone, this one returns unit-length embeddings, because FaceX-Zoo's `ResNeSt.forward` ends in `l2_norm`.
 *
 * Bottleneck: Conv1×1 → BN → ReLU → split-attention conv (stride 1) → [AvgPool3×3(stride, pad 1, zero padding
 * counted) where the block has stride 2: ResNeSt's "avd", placed after the split attention] → Conv1×1 (→ 4·planes)
 * → BN, plus the identity or ResNet-D's AvgPool(stride, ceil mode, padding not counted) → Conv1×1 → BN shortcut
 * ("avg_down"), then ReLU. Width ⌊planes · bottleneckWidth / 64⌋ · cardinality. Split attention (radix R,
 * cardinality K) on C channels: k×k conv to R·C channels in K·R groups → BN → ReLU; the R channel blocks summed →
 * global average pool → 1×1 conv (bias, K groups) to max(C·R/4, 32) → BN → ReLU → 1×1 conv (bias, K groups) to
 * R·C → softmax over the R blocks within each of the K cardinal groups ("rSoftMax") → output Σ_r attention_r · block_r.
 * Init: PyTorch defaults (FaceX-Zoo comments out ResNeSt's own init).
 * @module
 */
import { z } from "zod";
import type { Tensor } from "../../core/tensor.ts";
import { Fn, reluLayer } from "../../nn/activation.ts";
import { BatchNorm } from "../../nn/batch_norm.ts";
import { Conv2d } from "../../nn/conv2d.ts";
import { Layer, type ModuleContext } from "../../nn/module.ts";
import { Sequential } from "../../nn/sequential.ts";
import {
  add,
  avgPool2d,
  globalAvgPool,
  l2Normalize,
  mul,
  relu,
  reshape,
  slice,
  softmax,
  transpose,
} from "../../ops/mod.ts";
import { backbones } from "../registry.ts";
import { Backbone, backboneBaseSchema } from "./backbone.ts";
import { convBn, embeddingLayer, halve, stackStages } from "./_layers.ts";
import { fourPerStage, projectionShortcut } from "./_resnet_blocks.ts";

const EXPANSION = 4;
/** ResNeSt's attention width: max(C·R / REDUCTION, MIN_ATTENTION). */
const REDUCTION = 4;
const MIN_ATTENTION = 32;
const TORCH = { kind: "torchDefault" } as const;

/** Defaults of one ResNeSt preset. */
interface ResnestDefaults {
  layers: [number, number, number, number];
  planes: [number, number, number, number];
}

/** Options of the ResNeSt family, with the defaults of one preset. */
function resnestSchema(d: ResnestDefaults) {
  return backboneBaseSchema.extend({
    /** bottlenecks per stage; every stage starts with stride 2 */
    layers: fourPerStage.default(d.layers),
    /** planes per stage (outputs are 4× wider); the stem has planes[0] channels */
    planes: fourPerStage.default(d.planes),
    /** splits per cardinal group, R (ResNeSt-50: 2) */
    radix: z.number().int().min(2).default(2),
    /** cardinal groups, K (ResNeSt-50: 1) */
    cardinality: z.number().int().min(1).default(1),
    /** channels per group at planes = 64 (ResNeSt-50: 64) */
    bottleneckWidth: z.number().int().min(1).default(64),
    /** output-layer dropout (FaceX-Zoo 0.4) */
    dropout: z.number().min(0).lt(1).default(0.4),
  }).strict().refine(
    (o) => o.planes.every((p) => Math.floor(p * o.bottleneckWidth / 64) >= 1),
    { message: "planes · bottleneckWidth / 64 must be at least 1 in every stage", path: ["bottleneckWidth"] },
  ).refine(
    (o) => o.planes.every((p) => Math.floor(p * o.bottleneckWidth / 64) % o.radix === 0),
    {
      message: "⌊planes · bottleneckWidth / 64⌋ must be a multiple of radix (the split conv's groups)",
      path: ["radix"],
    },
  );
}

/** Parsed ResNeSt options. */
export type ResnestOptions = z.output<ReturnType<typeof resnestSchema>>;

/** Geometry of a split-attention conv. */
interface SplitAttentionShape {
  /** input and output channels C */
  channels: number;
  radix: number;
  cardinality: number;
}

/** ResNeSt's `SplAtConv2d` (3×3, stride 1, padding 1, no conv bias, with BN). */
class SplitAttentionConv extends Layer {
  readonly #conv: Sequential;
  readonly #attention: Sequential;
  readonly #radix: number;
  readonly #cardinality: number;

  constructor(ctx: ModuleContext, s: SplitAttentionShape) {
    super();
    const { channels: c, radix, cardinality } = s;
    const hidden = Math.max(Math.floor(c * radix / REDUCTION), MIN_ATTENTION);
    this.#radix = radix;
    this.#cardinality = cardinality;
    this.#conv = this.addChild(
      "conv",
      new Sequential([
        new Conv2d(ctx, {
          inChannels: c,
          outChannels: c * radix,
          kernel: 3,
          padding: 1,
          groups: cardinality * radix,
          init: TORCH,
        }),
        new BatchNorm(ctx, { channels: c * radix }),
        reluLayer(),
      ]),
    );
    const fc = (inChannels: number, outChannels: number) =>
      new Conv2d(ctx, { inChannels, outChannels, kernel: 1, groups: cardinality, bias: true, init: TORCH });
    this.#attention = this.addChild(
      "attention",
      new Sequential([fc(c, hidden), new BatchNorm(ctx, { channels: hidden }), reluLayer(), fc(hidden, c * radix)]),
    );
  }

  forward(x: Tensor): Tensor {
    const y = this.#conv.forward(x);
    const [n, h, w, rc] = y.shape;
    const c = rc / this.#radix;
    const splits = Array.from({ length: this.#radix }, (_, r) => slice(y, [0, 0, 0, r * c], [n, h, w, c]));
    const gap = reshape(globalAvgPool(splits.reduce((a, b) => add(a, b))), [n, 1, 1, c]);
    const weights = this.#radixSoftmax(this.#attention.forward(gap));
    return splits.map((split, r) => mul(split, slice(weights, [0, 0, 0, r * c], [n, 1, 1, c])))
      .reduce((a, b) => add(a, b));
  }

  /**
   * rSoftMax: logits [N, 1, 1, R·C] in the grouped 1×1 conv's order (K groups of R·C/K) → softmax over R within each
   * group → [N, 1, 1, R·C] ordered radix-major (R blocks of C, each K groups of C/K), the order of the splits.
   */
  #radixSoftmax(logits: Tensor): Tensor {
    const n = logits.shape[0];
    const k = this.#cardinality, r = this.#radix;
    const perGroup = logits.shape[3] / (k * r);
    const grouped = transpose(reshape(logits, [n, k, r, perGroup]), [0, 1, 3, 2]); // [N, K, C/K, R]
    const radixMajor = transpose(softmax(grouped), [0, 3, 1, 2]); // [N, R, K, C/K]
    return reshape(radixMajor, [n, 1, 1, logits.shape[3]]);
  }
}

/** Geometry of one split-attention bottleneck. */
interface ResnestBlockShape {
  inChannels: number;
  /** width of the split-attention part */
  width: number;
  outChannels: number;
  stride: number;
  radix: number;
  cardinality: number;
}

/** ResNeSt's `Bottleneck` with avd (pool after the split attention) and the avg-down shortcut. */
class ResnestBottleneck extends Layer {
  readonly #residual: Sequential;
  readonly #downsample: Sequential | null;

  constructor(ctx: ModuleContext, b: ResnestBlockShape) {
    super();
    const { width: w, stride } = b;
    const layers: Layer[] = [
      new Conv2d(ctx, { inChannels: b.inChannels, outChannels: w, kernel: 1, init: TORCH }),
      new BatchNorm(ctx, { channels: w }),
      reluLayer(),
      new SplitAttentionConv(ctx, { channels: w, radix: b.radix, cardinality: b.cardinality }),
    ];
    if (stride > 1) layers.push(new Fn((x) => avgPool2d(x, { kernel: 3, stride, padding: 1 })));
    layers.push(
      new Conv2d(ctx, { inChannels: w, outChannels: b.outChannels, kernel: 1, init: TORCH }),
      new BatchNorm(ctx, { channels: b.outChannels }),
    );
    this.#residual = this.addChild("residual", new Sequential(layers));
    this.#downsample = stride !== 1 || b.inChannels !== b.outChannels
      ? this.addChild(
        "downsample",
        projectionShortcut(ctx, {
          inChannels: b.inChannels,
          outChannels: b.outChannels,
          stride,
          init: TORCH,
          downsample: "avgpool",
        }),
      )
      : null;
  }

  forward(x: Tensor): Tensor {
    return relu(add(this.#residual.forward(x), this.#downsample ? this.#downsample.forward(x) : x));
  }
}

/** The ResNeSt network; its embedding is L2-normalised. */
export class ResnestBackbone extends Backbone {
  /** input side */
  readonly inputSize: number;
  /** embedding width */
  readonly embeddingSize: number;
  readonly #input: Sequential;
  readonly #body: Sequential;
  readonly #output: Sequential;

  /** Builds the network from parsed options. */
  constructor(ctx: ModuleContext, o: ResnestOptions) {
    super();
    this.inputSize = o.inputSize;
    this.embeddingSize = o.embeddingSize;
    const p = o.planes;
    this.#input = this.addChild(
      "input_layer",
      convBn(ctx, { inChannels: 3, outChannels: p[0], kernel: 3, padding: 1, init: TORCH }, true),
    );
    this.#body = this.addChild(
      "body",
      stackStages(p[0], o.layers, (inChannels, stage, first) => ({
        unit: new ResnestBottleneck(ctx, {
          inChannels,
          width: Math.floor(p[stage] * o.bottleneckWidth / 64) * o.cardinality,
          outChannels: p[stage] * EXPANSION,
          stride: first ? 2 : 1,
          radix: o.radix,
          cardinality: o.cardinality,
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

  /** Embeds `x` [N, S, S, 3] as unit-length rows (FaceX-Zoo's `l2_norm`). */
  forward(x: Tensor): Tensor {
    return l2Normalize(this.#output.forward(this.#body.forward(this.#input.forward(x))));
  }
}

backbones.register({
  name: "resnest_50",
  schema: resnestSchema({ layers: [3, 4, 6, 3], planes: [64, 128, 256, 512] }),
  create: (o, ctx) => new ResnestBackbone(ctx, o),
  tags: ["resnest", "fxz"],
  description:
    "ResNeSt-50 (FaceX-Zoo): split attention radix 2, avd + avg-down, 3×3 s1 face stem, BN-Dropout-FC-BN, L2-normalised embedding",
});
backbones.register({
  name: "resnest_tiny",
  schema: resnestSchema({ layers: [1, 1, 1, 1], planes: [8, 16, 32, 64] }),
  create: (o, ctx) => new ResnestBackbone(ctx, o),
  tags: ["resnest", "tiny"],
  description: "ResNeSt topology, one split-attention bottleneck per stage, planes 8–64, L2-normalised, for quick runs",
});
