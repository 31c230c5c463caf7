/**
 * RepVGG as FaceX-Zoo (`backbone/RepVGG.py`, after Ding et al. 2021, "RepVGG: Making VGG-style ConvNets Great
 * Again"): a plain stack of blocks, each the sum of a 3×3 conv + BN, a 1×1 conv + BN and (where input and output
 * shapes agree) an identity BN, followed by ReLU. Stage 0 is one block 3 → min(64, 64·w₀) at stride 1 (FaceX-Zoo's
 * face change from the ImageNet stride 2); stages 1–4 have widths 64·w₀, 128·w₁, 256·w₂, 512·w₃, each starting with a
 * stride-2 block, so 112 → 7. Optional grouped convs on the even-numbered blocks 2, 4, …, 26 (counted from stage 1's
 * first block; the g2/g4 variants). Output layer BN2d → Flatten → Linear(with bias) → BN1d, no dropout. Init:
 * PyTorch defaults. Layer names follow FaceX-Zoo (`stage1.0.rbr_dense.conv.weight`).
 *
 * {@link reparameterizeRepVgg} folds every block into one 3×3 conv with bias (FaceX-Zoo's `switch_to_deploy`): the
 * deploy form, equal to the training form in eval mode up to rounding.
 * @module
 */
import { z } from "zod";
import type { Backend } from "../../core/backend.ts";
import type { Tensor } from "../../core/tensor.ts";
import { scope } from "../../core/scope.ts";
import { noGrad } from "../../core/tape.ts";
import { BatchNorm } from "../../nn/batch_norm.ts";
import { Conv2d } from "../../nn/conv2d.ts";
import { Layer, type ModuleContext } from "../../nn/module.ts";
import { Sequential } from "../../nn/sequential.ts";
import { copyInto } from "../../ops/copy.ts";
import { add, mul, pad, relu, tensor } from "../../ops/mod.ts";
import { backbones } from "../registry.ts";
import { Backbone, backboneBaseSchema } from "./backbone.ts";
import { embeddingLayer, halve } from "./_layers.ts";

const positive = z.number().int().min(1);
type Four = [number, number, number, number];

/** Options of the RepVGG family, with the defaults of one preset. */
function repVggSchema(d: { blocks: Four; widths: Four; groups?: number }) {
  return backboneBaseSchema.extend({
    /** blocks of stages 1–4 */
    blocks: z.tuple([positive, positive, positive, positive]).default(d.blocks),
    /** width multipliers of stages 1–4 (channels 64·w₀, 128·w₁, 256·w₂, 512·w₃) */
    widths: z.tuple([z.number().positive(), z.number().positive(), z.number().positive(), z.number().positive()])
      .default(d.widths),
    /** groups of the convs of blocks 2, 4, …, 26 (FaceX-Zoo g2/g4 maps; 1 = dense) */
    groups: positive.default(d.groups ?? 1),
    /** build the re-parameterised form: one 3×3 conv with bias per block */
    deploy: z.boolean().default(false),
  }).strict();
}

/** Parsed RepVGG options. */
export type RepVggOptions = z.output<ReturnType<typeof repVggSchema>>;

/** Geometry of one RepVGG block. */
interface BlockShape {
  inC: number;
  outC: number;
  stride: number;
  groups: number;
}

/** Conv (no bias) → BN, registered as FaceX-Zoo's `conv` / `bn` pair. */
function convBnPair(ctx: ModuleContext, s: BlockShape, kernel: 1 | 3): Sequential {
  return new Sequential([
    [
      "conv",
      new Conv2d(ctx, {
        inChannels: s.inC,
        outChannels: s.outC,
        kernel,
        stride: s.stride,
        padding: kernel === 3 ? 1 : 0,
        groups: s.groups,
      }),
    ],
    ["bn", new BatchNorm(ctx, { channels: s.outC })],
  ]);
}

/** FaceX-Zoo `RepVGGBlock`, training form: ReLU(BN(conv3×3 x) + BN(conv1×1 x) + BN(x)), the last where shapes allow. */
export class RepVggBlock extends Layer {
  /** the block's geometry */
  readonly shape: Readonly<BlockShape>;
  /** 3×3 conv + BN */
  readonly dense: Sequential;
  /** 1×1 conv + BN */
  readonly pointwise: Sequential;
  /** identity BN (stride 1 and in = out only) */
  readonly identity: BatchNorm | null;

  /** Creates the branches (the identity first, in FaceX-Zoo's registration order). */
  constructor(ctx: ModuleContext, shape: BlockShape) {
    super();
    this.shape = shape;
    this.identity = shape.inC === shape.outC && shape.stride === 1
      ? this.addChild("rbr_identity", new BatchNorm(ctx, { channels: shape.inC }))
      : null;
    this.dense = this.addChild("rbr_dense", convBnPair(ctx, shape, 3));
    this.pointwise = this.addChild("rbr_1x1", convBnPair(ctx, shape, 1));
  }

  /** Sums the branches of `x` [N, H, W, in] and applies ReLU. */
  forward(x: Tensor): Tensor {
    const y = add(this.dense.forward(x), this.pointwise.forward(x));
    return relu(this.identity ? add(y, this.identity.forward(x)) : y);
  }

  /**
   * The single 3×3 kernel (HWIO) and bias this block equals in eval mode: each branch's BN folded into its kernel
   * (kernel · γ/√(var + ε), bias β − mean · γ/√(var + ε)), the 1×1 kernel zero-padded to 3×3 and the identity as a
   * 3×3 kernel with a 1 at the centre from input channel o mod (in/groups) to output channel o; the three summed.
   * Intermediates are freed; the caller owns the two results.
   */
  equivalentKernelBias(): { kernel: Tensor; bias: Tensor } {
    return noGrad(() =>
      scope(() => {
        const dense = this.dense.layers[0] as Conv2d;
        const pointwise = (this.pointwise.layers[0] as Conv2d).weight;
        const branches = [
          fold(this.dense.layers[1] as BatchNorm, dense.weight),
          fold(this.pointwise.layers[1] as BatchNorm, pad(pointwise, [1, 1, 0, 0], [1, 1, 0, 0])),
        ];
        if (this.identity) branches.push(fold(this.identity, this.#identityKernel(dense.weight.backend)));
        return branches.reduce((a, b) => ({ kernel: add(a.kernel, b.kernel), bias: add(a.bias, b.bias) }));
      })
    );
  }

  /** The identity as a grouped 3×3 HWIO kernel [3, 3, in/groups, out]. */
  #identityKernel(backend: Backend): Tensor {
    const { outC, groups } = this.shape;
    const perGroup = outC / groups;
    const values = new Float32Array(9 * perGroup * outC);
    const centre = 4 * perGroup * outC;
    for (let o = 0; o < outC; o++) values[centre + (o % perGroup) * outC + o] = 1;
    return tensor(backend, values, [3, 3, perGroup, outC]);
  }
}

/** Folds `bn` (eval mode) into an HWIO `kernel` with no bias of its own: the scale multiplies the output axis. */
function fold(bn: BatchNorm, kernel: Tensor): { kernel: Tensor; bias: Tensor } {
  const { scale, shift } = bn.inferenceAffine();
  return { kernel: mul(kernel, scale), bias: shift };
}

/** FaceX-Zoo `RepVGGBlock` in deploy form (`rbr_reparam`): ReLU(conv3×3 x + bias). */
export class RepVggDeployBlock extends Layer {
  /** the re-parameterised 3×3 conv with bias */
  readonly conv: Conv2d;

  /** Creates the conv (initialised as PyTorch's; {@link reparameterizeRepVgg} loads the folded values). */
  constructor(ctx: ModuleContext, s: BlockShape) {
    super();
    this.conv = this.addChild(
      "rbr_reparam",
      new Conv2d(ctx, {
        inChannels: s.inC,
        outChannels: s.outC,
        kernel: 3,
        stride: s.stride,
        padding: 1,
        groups: s.groups,
        bias: true,
      }),
    );
  }

  /** Convolves `x` [N, H, W, in] and applies ReLU. */
  forward(x: Tensor): Tensor {
    return relu(this.conv.forward(x));
  }
}

/** The block layers with grouped convs in FaceX-Zoo's g2/g4 maps: 2, 4, …, 26 (stage 1's first block is 1). */
function blockGroups(layerIndex: number, groups: number): number {
  return layerIndex % 2 === 0 && layerIndex <= 26 ? groups : 1;
}

/** The RepVGG network, training or deploy form. */
export class RepVggBackbone extends Backbone {
  /** input side */
  readonly inputSize: number;
  /** embedding width */
  readonly embeddingSize: number;
  /** the options it was built from */
  readonly options: Readonly<RepVggOptions>;
  readonly #stages: Layer[];
  readonly #head: Sequential;

  /** Builds the network from parsed options. */
  constructor(ctx: ModuleContext, o: RepVggOptions) {
    super();
    this.options = o;
    this.inputSize = o.inputSize;
    this.embeddingSize = o.embeddingSize;
    const block = (s: BlockShape): Layer => o.deploy ? new RepVggDeployBlock(ctx, s) : new RepVggBlock(ctx, s);
    let c = Math.min(64, Math.trunc(64 * o.widths[0]));
    this.#stages = [this.addChild("stage0", block({ inC: 3, outC: c, stride: 1, groups: 1 }))];
    let layerIndex = 1;
    [64, 128, 256, 512].forEach((base, s) => {
      const width = Math.trunc(base * o.widths[s]);
      const units = Array.from({ length: o.blocks[s] }, (_, i) => {
        const unit = block({
          inC: c,
          outC: width,
          stride: i === 0 ? 2 : 1,
          groups: blockGroups(layerIndex++, o.groups),
        });
        c = width;
        return unit;
      });
      this.#stages.push(this.addChild(`stage${s + 1}`, new Sequential(units)));
    });
    this.#head = this.addChild(
      "output_layer",
      embeddingLayer(ctx, { channels: c, spatial: halve(o.inputSize, 4), embeddingSize: o.embeddingSize, dropout: 0 }),
    );
  }

  /** Embeds `x` [N, S, S, 3]. */
  forward(x: Tensor): Tensor {
    return this.#head.forward(this.#stages.reduce((y, stage) => stage.forward(y), x));
  }

  /** The deploy form ({@link reparameterizeRepVgg}), or this model when it is already in deploy form. */
  override inferenceForm(ctx: ModuleContext): RepVggBackbone {
    return this.options.deploy ? this : reparameterizeRepVgg(this, ctx);
  }

  /** The blocks in order (stage 0, then stages 1–4). */
  blocks(): Layer[] {
    return this.#stages.flatMap((l) => l instanceof Sequential ? [...l.layers] : [l]);
  }
}

/**
 * Re-parameterises a training-form RepVGG into its deploy form, built with `ctx` (whose backend must be the one
 * `model` lives on): each block's three branches folded into one 3×3 conv with bias
 * ({@link RepVggBlock.equivalentKernelBias}), the output layer copied. The result is in eval mode; it equals `model`
 * in eval mode (BN running statistics) up to float rounding. `model` is left unchanged.
 */
export function reparameterizeRepVgg(model: RepVggBackbone, ctx: ModuleContext): RepVggBackbone {
  if (model.options.deploy) throw new Error("reparameterizeRepVgg: the model is already in deploy form");
  if (model.parameters()[0].tensor.backend !== ctx.backend) {
    throw new Error("reparameterizeRepVgg: ctx.backend must be the backend the model lives on");
  }
  const deployed = new RepVggBackbone({ ...ctx, initialize: false }, { ...model.options, deploy: true }).eval();
  deployed.load(model.state(), { strict: false }); // the output layer: the paths both forms share
  const targets = deployed.blocks() as RepVggDeployBlock[];
  (model.blocks() as RepVggBlock[]).forEach((block, i) => {
    const { kernel, bias } = block.equivalentKernelBias();
    copyInto(targets[i].conv.weight, kernel);
    copyInto(targets[i].conv.bias!, bias);
    kernel.dispose();
    bias.dispose();
  });
  return deployed;
}

const A_BLOCKS: Four = [2, 4, 14, 1];
const B_BLOCKS: Four = [4, 6, 16, 1];

/** The presets: FaceX-Zoo's A0, B0, B1 and a tiny one. */
const PRESETS: { name: string; d: Parameters<typeof repVggSchema>[0]; tags: string[]; description: string }[] = [
  {
    name: "repvgg_a0",
    d: { blocks: A_BLOCKS, widths: [0.75, 0.75, 0.75, 2.5] },
    tags: ["repvgg", "fxz"],
    description: "RepVGG-A0 (FaceX-Zoo): blocks 2/4/14/1, widths ×0.75/0.75/0.75/2.5",
  },
  {
    name: "repvgg_b0",
    d: { blocks: B_BLOCKS, widths: [1, 1, 1, 2.5] },
    tags: ["repvgg", "fxz"],
    description: "RepVGG-B0 (FaceX-Zoo): blocks 4/6/16/1, widths ×1/1/1/2.5",
  },
  {
    name: "repvgg_b1",
    d: { blocks: B_BLOCKS, widths: [2, 2, 2, 4] },
    tags: ["repvgg", "fxz"],
    description: "RepVGG-B1 (FaceX-Zoo): blocks 4/6/16/1, widths ×2/2/2/4",
  },
  {
    name: "repvgg_tiny",
    d: { blocks: [1, 2, 1, 1], widths: [0.125, 0.125, 0.125, 0.125] },
    tags: ["repvgg", "tiny"],
    description: "RepVGG topology, blocks 1/2/1/1, widths ×0.125 (8/16/32/64 channels), for quick runs",
  },
];
for (const { name, d, tags, description } of PRESETS) {
  backbones.register({
    name,
    schema: repVggSchema(d),
    create: (o, ctx) => new RepVggBackbone(ctx, o),
    tags,
    description,
  });
}
