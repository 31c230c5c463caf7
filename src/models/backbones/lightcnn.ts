/**
 * Light CNN (Wu et al., "A Light CNN for Deep Face Representation with Noisy Labels", TIFS 2018), as FaceX-Zoo's
 * `backbone/LightCNN.py` states it. Every conv is a Max-Feature-Map unit: a biased conv to 2·C channels whose two
 * channel halves are reduced by an element-wise maximum to C (no BN, no other activation). Layout: MFM 5×5 stem →
 * pool → per stage s: `blocks[s]` residual blocks (two 3×3 MFM convs + identity) → a "group" (1×1 MFM, then 3×3 MFM to
 * the next width) → pool after stages 1, 2 and 4; channels 48 → 96 → 192 → 128 → 128, four pools take 112 to 7×7.
 * Light CNN-29 has blocks (1, 2, 3, 4); Light CNN-9 is the same layout without residual blocks.
 *
 * Face version as FaceX-Zoo: colour 112×112 input (FaceX-Zoo's stem takes 3 channels, BGR there, RGB here like every
 * facebench backbone; the original takes 128×128 grey).
 * `pooling`: the original v1 networks use 2×2 max pooling in ceil mode; FaceX-Zoo's `network_29layers_v2` (the only
 * LightCNN its factory builds) sums a 2×2 max pool and a 2×2 average pool. `output`: "face" is FaceX-Zoo's v2 output
 * layer BN2d → Dropout → Flatten → FC(C·7·7 → 512) → BN1d; "mfm" is the v1 feature layer, Flatten → MFM FC, followed
 * in training by the dropout the original applies before its classifier. The original MFM feature is 256-d; the
 * project's embedding width (512, FaceX-Zoo's `feat_dim`) is used instead, `embeddingSize: 256` restores it.
 * Init: PyTorch defaults (neither source sets any).
 * @module
 */
import { z } from "zod";
import type { Tensor } from "../../core/tensor.ts";
import { flattenLayer, Fn } from "../../nn/activation.ts";
import { Conv2d } from "../../nn/conv2d.ts";
import { Dropout, dropoutStream } from "../../nn/dropout.ts";
import { Linear } from "../../nn/linear.ts";
import { Layer, type ModuleContext } from "../../nn/module.ts";
import { Sequential } from "../../nn/sequential.ts";
import { add, avgPool2d, maximum, maxPool2d, slice } from "../../ops/mod.ts";
import { backbones } from "../registry.ts";
import { Backbone, backboneBaseSchema } from "./backbone.ts";
import { embeddingLayer, halve } from "./_layers.ts";

const width = z.number().int().min(1);
const depth = z.number().int().min(0);

/** Options of the Light CNN family, with the defaults of one preset. */
function lightCnnSchema(d: {
  blocks: [number, number, number, number];
  channels: [number, number, number, number, number];
  pooling: "max" | "maxAvg";
  output: "face" | "mfm";
  dropout: number;
}) {
  return backboneBaseSchema.extend({
    /** residual blocks before each of the four groups (Light CNN-29: 1, 2, 3, 4; Light CNN-9: none) */
    blocks: z.tuple([depth, depth, depth, depth]).default(d.blocks),
    /** stem width, then the output width of each group (original: 48, 96, 192, 128, 128) */
    channels: z.tuple([width, width, width, width, width]).default(d.channels),
    /** 2×2 pooling: "max" (ceil mode, v1) or "maxAvg" (max pool + average pool, FaceX-Zoo's 29v2) */
    pooling: z.enum(["max", "maxAvg"]).default(d.pooling),
    /** feature layer: "face" (BN-Dropout-FC-BN, FaceX-Zoo) or "mfm" (Flatten → MFM FC → Dropout, v1) */
    output: z.enum(["face", "mfm"]).default(d.output),
    /** dropout of the feature layer (FaceX-Zoo 0.2; the original's `F.dropout` default 0.5) */
    dropout: z.number().min(0).lt(1).default(d.dropout),
  }).strict();
}

/** Parsed Light CNN options. */
export type LightCnnOptions = z.output<ReturnType<typeof lightCnnSchema>>;

/** Max-Feature-Map: a conv or FC to 2·`outputs` features, reduced to `outputs` by the maximum of the two halves. */
class Mfm extends Layer {
  readonly #filter: Layer;
  readonly #outputs: number;

  constructor(filter: Layer, outputs: number) {
    super();
    this.#filter = this.addChild("filter", filter);
    this.#outputs = outputs;
  }

  forward(x: Tensor): Tensor {
    const y = this.#filter.forward(x);
    const last = y.shape.length - 1;
    const size = y.shape.map((s, axis) => axis === last ? this.#outputs : s);
    const begin = (offset: number) => y.shape.map((_, axis) => axis === last ? offset : 0);
    return maximum(slice(y, begin(0), size), slice(y, begin(this.#outputs), size));
  }
}

/** MFM over a biased `kernel`×`kernel` conv ("same" padding, stride 1). */
function mfmConv(ctx: ModuleContext, inChannels: number, outChannels: number, kernel: number): Mfm {
  const conv = new Conv2d(ctx, {
    inChannels,
    outChannels: 2 * outChannels,
    kernel,
    padding: Math.floor(kernel / 2),
    bias: true,
  });
  return new Mfm(conv, outChannels);
}

/** Residual block: two 3×3 MFM convs plus the identity. */
class MfmResidual extends Layer {
  readonly #body: Sequential;

  constructor(ctx: ModuleContext, channels: number) {
    super();
    this.#body = this.addChild(
      "body",
      new Sequential([mfmConv(ctx, channels, channels, 3), mfmConv(ctx, channels, channels, 3)]),
    );
  }

  forward(x: Tensor): Tensor {
    return add(this.#body.forward(x), x);
  }
}

/** The 2×2, stride-2 pooling of one variant. */
function poolLayer(pooling: LightCnnOptions["pooling"]): Fn {
  return pooling === "max"
    ? new Fn((x) => maxPool2d(x, { kernel: 2, ceilMode: true }))
    : new Fn((x) => add(maxPool2d(x, { kernel: 2 }), avgPool2d(x, { kernel: 2 })));
}

/** The Light CNN network. */
export class LightCnnBackbone extends Backbone {
  /** input side */
  readonly inputSize: number;
  /** embedding width */
  readonly embeddingSize: number;
  readonly #features: Sequential;
  readonly #output: Sequential;

  /** Builds the network from parsed options. */
  constructor(ctx: ModuleContext, o: LightCnnOptions) {
    super();
    this.inputSize = o.inputSize;
    this.embeddingSize = o.embeddingSize;
    const c = o.channels;
    const layers: Layer[] = [mfmConv(ctx, 3, c[0], 5), poolLayer(o.pooling)];
    o.blocks.forEach((n, stage) => {
      for (let i = 0; i < n; i++) layers.push(new MfmResidual(ctx, c[stage]));
      layers.push(mfmConv(ctx, c[stage], c[stage], 1), mfmConv(ctx, c[stage], c[stage + 1], 3));
      if (stage !== 2) layers.push(poolLayer(o.pooling));
    });
    this.#features = this.addChild("features", new Sequential(layers));
    const spatial = halve(o.inputSize, 4);
    this.#output = this.addChild(
      "output_layer",
      o.output === "face"
        ? embeddingLayer(ctx, {
          channels: c[4],
          spatial,
          embeddingSize: o.embeddingSize,
          dropout: o.dropout,
        })
        : new Sequential([
          flattenLayer(),
          new Mfm(
            new Linear(ctx, { inFeatures: c[4] * spatial * spatial, outFeatures: 2 * o.embeddingSize }),
            o.embeddingSize,
          ),
          new Dropout(o.dropout, dropoutStream(ctx)),
        ]),
    );
  }

  /** Embeds `x` [N, S, S, 3]. */
  forward(x: Tensor): Tensor {
    return this.#output.forward(this.#features.forward(x));
  }
}

const CHANNELS: [number, number, number, number, number] = [48, 96, 192, 128, 128];
const V1 = { channels: CHANNELS, pooling: "max", output: "mfm", dropout: 0.5 } as const;

backbones.register({
  name: "lightcnn_9",
  schema: lightCnnSchema({ ...V1, blocks: [0, 0, 0, 0] }),
  create: (o, ctx) => new LightCnnBackbone(ctx, o),
  tags: ["lightcnn"],
  description: "Light CNN-9: MFM convs, ceil-mode max pools, MFM-FC feature layer (512-d)",
});
backbones.register({
  name: "lightcnn_29",
  schema: lightCnnSchema({ ...V1, blocks: [1, 2, 3, 4] }),
  create: (o, ctx) => new LightCnnBackbone(ctx, o),
  tags: ["lightcnn"],
  description: "Light CNN-29 (v1): MFM residual blocks, ceil-mode max pools, MFM-FC feature layer (512-d)",
});
backbones.register({
  name: "lightcnn_29v2",
  schema: lightCnnSchema({ channels: CHANNELS, blocks: [1, 2, 3, 4], pooling: "maxAvg", output: "face", dropout: 0.2 }),
  create: (o, ctx) => new LightCnnBackbone(ctx, o),
  tags: ["lightcnn", "fxz"],
  description: "Light CNN-29 v2 (FaceX-Zoo): max + average pooling, BN-Dropout-FC-BN output layer",
});
backbones.register({
  name: "lightcnn_tiny",
  schema: lightCnnSchema({
    channels: [8, 16, 16, 16, 16],
    blocks: [1, 1, 1, 1],
    pooling: "maxAvg",
    output: "face",
    dropout: 0.2,
  }),
  create: (o, ctx) => new LightCnnBackbone(ctx, o),
  tags: ["lightcnn", "tiny"],
  description: "Light CNN-29 v2 topology with one residual block per stage and 8-16 channels, for quick runs",
});
