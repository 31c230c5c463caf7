/**
 * Dual Path Networks for faces (Chen et al., "Dual Path Networks", NeurIPS 2017; block structure as the PyTorch port
 * of the authors' MXNet models, Cadene `pretrainedmodels/models/dpn.py` = timm `models/dpn.py`, without the "b"
 * variant). A dual-path block sees one tensor whose first `width` channels are the residual path and whose remaining
 * channels are the densely connected path. Its bottleneck is BN → ReLU → 1×1 conv to r → BN → ReLU → 3×3 conv
 * (`groups` groups, the block's stride) → BN → ReLU → 1×1 conv to `width + increment`: the first `width` outputs are
 * added to the residual path, the last `increment` are appended to the dense path. The first block of a stage
 * replaces the input by a pre-activated 1×1 projection (stride as the block) to `width + 2·increment` channels, so a
 * stage starts with a dense path of 3·increment channels and each further block adds `increment`. Bottleneck width
 * r = kR·2^stage. Every BN uses MXNet's eps 1e-3; the body ends in BN → ReLU of the concatenated paths.
 *
 * Neither face.evoLVe nor FaceX-Zoo has a DPN (face-recognition.md §1.5, §1.6), so the face adaptation is
 * facebench's, the one its ResNeXt uses: the ImageNet stem (k×k stride-2 conv → BN → ReLU → 3×3 stride-2 max pool)
 * becomes the IR stem Conv3×3(3 → stem channels, stride 1) → BN → PReLU, and the first stage starts with stride 2 as
 * the other three, so a 112 crop runs the four stages at 56/28/14/7 as ImageNet's 224 input does; then BN2d →
 * Dropout(0.4) → Flatten → Linear(C·7·7 → 512) → BN1d replaces the global pool and classifier. Stem channels stay
 * DPN's (10 for DPN-68, 64 for DPN-92), so the body's parameters are the ImageNet model's. Init: PyTorch defaults
 * (neither port sets one).
 * @module
 */
import { z } from "zod";
import type { Tensor } from "../../core/tensor.ts";
import { reluLayer } from "../../nn/activation.ts";
import { BatchNorm } from "../../nn/batch_norm.ts";
import { Layer, type ModuleContext } from "../../nn/module.ts";
import { Sequential } from "../../nn/sequential.ts";
import { add, concat, slice } from "../../ops/mod.ts";
import { backbones } from "../registry.ts";
import { Backbone, backboneBaseSchema } from "./backbone.ts";
import { bnReluConvLayers, convBn, embeddingLayer, halve } from "./_layers.ts";

/** MXNet's batch-norm eps, kept by the PyTorch ports. */
const MXNET_BN = { eps: 1e-3 };
const count = z.number().int().min(1);
const four = z.tuple([count, count, count, count]);

/** Defaults of one DPN preset. */
interface DpnDefaults {
  stemChannels: number;
  widths: [number, number, number, number];
  kR: number;
  groups: number;
  blocks: [number, number, number, number];
  increments: [number, number, number, number];
}

/** Options of the DPN family, with the defaults of one preset. */
function dpnSchema(d: DpnDefaults) {
  return backboneBaseSchema.extend({
    /** output channels of the stem conv (DPN's `num_init_features`) */
    stemChannels: count.default(d.stemChannels),
    /** residual-path width of each stage (DPN's `bw`) */
    widths: four.default(d.widths),
    /** bottleneck width of the first stage (`k_R`); it doubles every stage */
    kR: count.default(d.kR),
    /** groups of the 3×3 conv (`G`) */
    groups: count.default(d.groups),
    /** dual-path blocks per stage (`k_sec`); every stage starts with stride 2 */
    blocks: four.default(d.blocks),
    /** dense-path channels each block adds, per stage (`inc_sec`) */
    increments: four.default(d.increments),
    /** output-layer dropout */
    dropout: z.number().min(0).lt(1).default(0.4),
  }).strict().refine(
    (o) => [0, 1, 2, 3].every((s) => (o.kR * 2 ** s) % o.groups === 0),
    { message: "kR · 2^stage must be a multiple of groups in every stage", path: ["groups"] },
  );
}

/** Parsed DPN options. */
export type DpnOptions = z.output<ReturnType<typeof dpnSchema>>;

/** Geometry of one dual-path block. */
interface DualPathShape {
  inChannels: number;
  /** bottleneck width r */
  bottleneck: number;
  /** residual-path width */
  width: number;
  /** dense-path channels added */
  increment: number;
  groups: number;
  stride: number;
  /** first block of a stage: project the input to both paths */
  projection: boolean;
}

/** BN → ReLU → bias-free conv with DPN's BN eps and "same" padding. */
function preActConv(
  ctx: ModuleContext,
  conv: { inChannels: number; outChannels: number; kernel: number; stride?: number; groups?: number },
): Layer[] {
  return bnReluConvLayers(ctx, { ...conv, padding: Math.floor(conv.kernel / 2) }, MXNET_BN);
}

/** Dual-path block on [residual | dense] channels: bottleneck outputs added to one path, appended to the other. */
class DualPathBlock extends Layer {
  readonly #projection: Sequential | null;
  readonly #body: Sequential;
  readonly #width: number;

  constructor(ctx: ModuleContext, b: DualPathShape) {
    super();
    this.#width = b.width;
    this.#projection = b.projection
      ? this.addChild(
        "projection",
        new Sequential(preActConv(ctx, {
          inChannels: b.inChannels,
          outChannels: b.width + 2 * b.increment,
          kernel: 1,
          stride: b.stride,
        })),
      )
      : null;
    const r = b.bottleneck;
    this.#body = this.addChild(
      "body",
      new Sequential([
        ...preActConv(ctx, { inChannels: b.inChannels, outChannels: r, kernel: 1 }),
        ...preActConv(ctx, { inChannels: r, outChannels: r, kernel: 3, stride: b.stride, groups: b.groups }),
        ...preActConv(ctx, { inChannels: r, outChannels: b.width + b.increment, kernel: 1 }),
      ]),
    );
  }

  forward(x: Tensor): Tensor {
    const paths = this.#projection ? this.#projection.forward(x) : x;
    const y = this.#body.forward(x);
    const [n, h, w, c] = paths.shape;
    const width = this.#width;
    const residual = add(slice(paths, [0, 0, 0, 0], [n, h, w, width]), slice(y, [0, 0, 0, 0], [n, h, w, width]));
    const dense = slice(paths, [0, 0, 0, width], [n, h, w, c - width]);
    const fresh = slice(y, [0, 0, 0, width], [n, h, w, y.shape[3] - width]);
    return concat([residual, dense, fresh], 3);
  }
}

/** The DPN network. */
export class DpnBackbone extends Backbone {
  /** input side */
  readonly inputSize: number;
  /** embedding width */
  readonly embeddingSize: number;
  readonly #input: Sequential;
  readonly #features: Sequential;
  readonly #output: Sequential;

  /** Builds the network from parsed options. */
  constructor(ctx: ModuleContext, o: DpnOptions) {
    super();
    this.inputSize = o.inputSize;
    this.embeddingSize = o.embeddingSize;
    this.#input = this.addChild(
      "input_layer",
      convBn(ctx, { inChannels: 3, outChannels: o.stemChannels, kernel: 3, padding: 1 }, true),
    );
    const units: Layer[] = [];
    let c = o.stemChannels;
    o.blocks.forEach((n, stage) => {
      const width = o.widths[stage];
      const increment = o.increments[stage];
      for (let i = 0; i < n; i++) {
        const first = i === 0;
        const block = { width, increment, groups: o.groups, bottleneck: o.kR * 2 ** stage };
        units.push(new DualPathBlock(ctx, { ...block, inChannels: c, stride: first ? 2 : 1, projection: first }));
        c = first ? width + 3 * increment : c + increment;
      }
    });
    units.push(new BatchNorm(ctx, { ...MXNET_BN, channels: c }), reluLayer());
    this.#features = this.addChild("features", new Sequential(units));
    this.#output = this.addChild(
      "output_layer",
      embeddingLayer(ctx, {
        channels: c,
        spatial: halve(o.inputSize, 4),
        embeddingSize: o.embeddingSize,
        dropout: o.dropout,
      }),
    );
  }

  /** Embeds `x` [N, S, S, 3]. */
  forward(x: Tensor): Tensor {
    return this.#output.forward(this.#features.forward(this.#input.forward(x)));
  }
}

backbones.register({
  name: "dpn_68",
  schema: dpnSchema({
    stemChannels: 10,
    widths: [64, 128, 256, 512],
    kR: 128,
    groups: 32,
    blocks: [3, 4, 12, 3],
    increments: [16, 32, 32, 64],
  }),
  create: (o, ctx) => new DpnBackbone(ctx, o),
  tags: ["dpn"],
  description: "DPN-68 (k_R 128, G 32): dual-path blocks, IR-style face stem and BN-Dropout-FC-BN output layer",
});
backbones.register({
  name: "dpn_92",
  schema: dpnSchema({
    stemChannels: 64,
    widths: [256, 512, 1024, 2048],
    kR: 96,
    groups: 32,
    blocks: [3, 4, 20, 3],
    increments: [16, 32, 24, 128],
  }),
  create: (o, ctx) => new DpnBackbone(ctx, o),
  tags: ["dpn"],
  description: "DPN-92 (k_R 96, G 32): dual-path blocks, IR-style face stem and BN-Dropout-FC-BN output layer",
});
backbones.register({
  name: "dpn_tiny",
  schema: dpnSchema({
    stemChannels: 8,
    widths: [8, 16, 24, 32],
    kR: 8,
    groups: 4,
    blocks: [1, 1, 2, 1],
    increments: [4, 4, 8, 8],
  }),
  create: (o, ctx) => new DpnBackbone(ctx, o),
  tags: ["dpn", "tiny"],
  description: "DPN topology with 4 groups, k_R 8 and one block per stage (two in stage 3), for quick runs",
});
