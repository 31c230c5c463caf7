/**
 * Vision Transformer as arcface_torch's face ViTs (`backbones/vit.py`, presets in `backbones/__init__.py`; after
 * Dosovitskiy et al. 2021): a k×k stride-k patch convolution (k = 9: 112×112 → 12×12 = 144 tokens, no class token)
 * plus a learned position embedding; pre-norm blocks x + DropPath(Attention(LN(x))), x + DropPath(MLP(LN(x))) with
 * a 4× ReLU6 MLP, qkv without bias and drop-path rates rising linearly over depth; a final LayerNorm; optional random
 * patch masking in training (a fraction of tokens is dropped before the blocks and refilled by a learned mask
 * token after the final norm); head Flatten(P·D) → Linear(→ D, no bias) → BN1d(eps 2e-5) → Linear(→ 512, no bias) →
 * BN1d(eps 2e-5). Init as arcface_torch: Linear weights N(0, 0.02²) (timm's `trunc_normal_` cuts at ±2 absolute, 100
 * standard deviations, so it never binds), Linear biases 0, LayerNorm 1 / 0, position embedding and mask token
 * N(0, 0.02²), the patch convolution PyTorch's default. Parameter names follow arcface_torch's state_dict.
 * @module
 */
import { z } from "zod";
import { Rng } from "../../core/rng.ts";
import type { Tensor } from "../../core/tensor.ts";
import { MultiHeadSelfAttention } from "../../nn/attention.ts";
import { BatchNorm } from "../../nn/batch_norm.ts";
import { Conv2d } from "../../nn/conv2d.ts";
import { Dropout, dropoutStream, linearDropPathRates } from "../../nn/dropout.ts";
import { type InitScheme, initTensor } from "../../nn/init.ts";
import { LayerNorm } from "../../nn/layer_norm.ts";
import { Linear } from "../../nn/linear.ts";
import { Layer, type ModuleContext } from "../../nn/module.ts";
import { Sequential } from "../../nn/sequential.ts";
import { add, concat, flatten, gatherRows, relu6, reshape, tensor } from "../../ops/mod.ts";
import { backbones } from "../registry.ts";
import { tokenMlp, TRANSFORMER_LINEAR_INIT } from "./_layers.ts";
import { Backbone, backboneBaseSchema } from "./backbone.ts";

const positive = z.number().int().min(1);
const rate = z.number().min(0).lt(1);

/** Options of the ViT family, with the defaults of one preset. */
function vitSchema(d: { dim: number; depth: number; heads: number; dropPath: number; maskRatio: number }) {
  return backboneBaseSchema.extend({
    /** side of the square patches (arcface_torch 9) */
    patchSize: positive.default(9),
    /** token width D */
    dim: positive.default(d.dim),
    /** number of transformer blocks */
    depth: positive.default(d.depth),
    /** attention heads (D must be a multiple) */
    heads: positive.default(d.heads),
    /** MLP hidden width ÷ D */
    mlpRatio: positive.default(4),
    /** drop-path rate of the last block (block i of n: rate · i / (n − 1)) */
    dropPath: rate.default(d.dropPath),
    /** fraction of tokens masked in training (arcface_torch `mask_ratio`) */
    maskRatio: rate.default(d.maskRatio),
  }).strict().refine((o) => o.dim % o.heads === 0, { message: "dim must be a multiple of heads", path: ["dim"] })
    .refine((o) => o.inputSize >= o.patchSize, {
      message: "inputSize must be at least patchSize",
      path: ["inputSize"],
    });
}

/** Parsed ViT options. */
export type VitOptions = z.output<ReturnType<typeof vitSchema>>;

const TOKEN_INIT: InitScheme = { kind: "normal", std: 0.02 };

/** One pre-norm transformer block on tokens [N, T, D]. */
class VitBlock extends Layer {
  readonly #norm1: LayerNorm;
  readonly #attn: MultiHeadSelfAttention;
  readonly #dropPath: Dropout;
  readonly #norm2: LayerNorm;
  readonly #mlp: Sequential;

  constructor(ctx: ModuleContext, o: VitOptions, dropRate: number) {
    super();
    const hidden = o.dim * o.mlpRatio;
    this.#norm1 = this.addChild("norm1", new LayerNorm(ctx, { features: o.dim }));
    this.#attn = this.addChild(
      "attn",
      new MultiHeadSelfAttention(ctx, { dim: o.dim, heads: o.heads, ...TRANSFORMER_LINEAR_INIT }),
    );
    this.#dropPath = this.addChild("drop_path", new Dropout(dropRate, dropoutStream(ctx), "sample"));
    this.#norm2 = this.addChild("norm2", new LayerNorm(ctx, { features: o.dim }));
    this.#mlp = this.addChild("mlp", tokenMlp(ctx, o.dim, hidden, relu6));
  }

  forward(x: Tensor): Tensor {
    const [n, t, d] = x.shape;
    const mixed = add(x, this.#dropPath.forward(this.#attn.forward(this.#norm1.forward(x))));
    const mlp = reshape(this.#mlp.forward(reshape(this.#norm2.forward(mixed), [n * t, d])), [n, t, d]);
    return add(mixed, this.#dropPath.forward(mlp));
  }
}

/**
 * Row indices of one training step's patch masking (arcface_torch `random_masking`): each sample keeps the `keep`
 * tokens of lowest uniform noise (in noise order); `gather` picks them from the [N·P, D] tokens, `restore` maps every
 * position of the [N·keep + 1, D] rows (kept tokens, then the mask token) back to [N·P, D].
 */
export function patchMaskIndices(
  rng: Rng,
  samples: number,
  patches: number,
  keep: number,
): { gather: number[]; restore: number[] } {
  const gather: number[] = [];
  const restore: number[] = [];
  for (let s = 0; s < samples; s++) {
    const noise = Array.from({ length: patches }, () => rng.uniform(0, 1));
    const order = Array.from({ length: patches }, (_, j) => j).sort((a, b) => noise[a] - noise[b] || a - b);
    const rank = new Array<number>(patches);
    order.forEach((j, r) => rank[j] = r);
    for (let r = 0; r < keep; r++) gather.push(s * patches + order[r]);
    for (let j = 0; j < patches; j++) restore.push(rank[j] < keep ? s * keep + rank[j] : samples * keep);
  }
  return { gather, restore };
}

/** The ViT network. */
export class VitBackbone extends Backbone {
  /** input side */
  readonly inputSize: number;
  /** embedding width */
  readonly embeddingSize: number;
  /** tokens per image ((inputSize / patchSize)², rounded down as the strided patch convolution does) */
  readonly patches: number;
  readonly #posEmbed: Tensor;
  readonly #maskToken: Tensor;
  readonly #patchEmbed: Sequential;
  readonly #blocks: Sequential;
  readonly #norm: LayerNorm;
  readonly #feature: Sequential;
  readonly #maskRatio: number;
  readonly #maskRng: Rng;

  /** Builds the network from parsed options. */
  constructor(ctx: ModuleContext, o: VitOptions) {
    super();
    this.inputSize = o.inputSize;
    this.embeddingSize = o.embeddingSize;
    const grid = Math.floor(o.inputSize / o.patchSize);
    this.patches = grid * grid;
    const d = o.dim;
    const tokenShape = [1, this.patches, d];
    this.#posEmbed = this.addParameter("pos_embed", initTensor(ctx, tokenShape, TOKEN_INIT, { fanIn: d, fanOut: d }), {
      decay: false,
    });
    this.#maskToken = this.addParameter("mask_token", initTensor(ctx, [1, 1, d], TOKEN_INIT, { fanIn: d, fanOut: d }), {
      decay: false,
    });
    const proj = new Conv2d(ctx, {
      inChannels: 3,
      outChannels: d,
      kernel: o.patchSize,
      stride: o.patchSize,
      bias: true,
    });
    this.#patchEmbed = this.addChild("patch_embed", new Sequential([["proj", proj]]));
    const rates = linearDropPathRates(o.dropPath, o.depth);
    this.#blocks = this.addChild("blocks", new Sequential(rates.map((r) => new VitBlock(ctx, o, r))));
    this.#norm = this.addChild("norm", new LayerNorm(ctx, { features: d }));
    const bn = { eps: 2e-5 };
    this.#feature = this.addChild(
      "feature",
      new Sequential([
        new Linear(ctx, { inFeatures: this.patches * d, outFeatures: d, bias: false, ...TRANSFORMER_LINEAR_INIT }),
        new BatchNorm(ctx, { channels: d, ...bn }),
        new Linear(ctx, { inFeatures: d, outFeatures: o.embeddingSize, bias: false, ...TRANSFORMER_LINEAR_INIT }),
        new BatchNorm(ctx, { channels: o.embeddingSize, ...bn }),
      ]),
    );
    this.#maskRatio = o.maskRatio;
    this.#maskRng = new Rng(ctx.rng.seed, "patch-mask");
  }

  /** Embeds `x` [N, S, S, 3]. */
  forward(x: Tensor): Tensor {
    const n = x.shape[0];
    const d = this.#posEmbed.shape[2];
    const p = this.patches;
    const tokens = add(reshape(this.#patchEmbed.forward(x), [n, p, d]), this.#posEmbed);
    const keep = Math.floor(p * (1 - this.#maskRatio));
    if (!this.training || keep === p) {
      return this.#feature.forward(flatten(this.#norm.forward(this.#blocks.forward(tokens))));
    }
    const { gather, restore } = patchMaskIndices(this.#maskRng, n, p, keep);
    const index = (values: number[]) => tensor(x.backend, values, [values.length], "i32");
    const kept = reshape(gatherRows(reshape(tokens, [n * p, d]), index(gather)), [n, keep, d]);
    const encoded = reshape(this.#norm.forward(this.#blocks.forward(kept)), [n * keep, d]);
    const rows = concat([encoded, reshape(this.#maskToken, [1, d])], 0);
    return this.#feature.forward(reshape(gatherRows(rows, index(restore)), [n, p * d]));
  }
}

/** Registers one ViT preset. */
function registerVit(name: string, defaults: Parameters<typeof vitSchema>[0], tags: string[], description: string) {
  backbones.register({
    name,
    schema: vitSchema(defaults),
    create: (o, ctx) => new VitBackbone(ctx, o),
    tags,
    description,
  });
}

// arcface_torch `get_model`: every ViT preset has 8 heads, drop-path 0.1 and mask ratio 0.1
for (const [name, dim, depth] of [["vit_t", 256, 12], ["vit_s", 512, 12], ["vit_b", 512, 24]] as const) {
  const description = `arcface_torch ${name}: ViT D ${dim}, ${depth} blocks, 8 heads, patch 9, drop-path 0.1, mask 0.1`;
  registerVit(name, { dim, depth, heads: 8, dropPath: 0.1, maskRatio: 0.1 }, ["vit", "aft"], description);
}
registerVit(
  "vit_tiny",
  { dim: 32, depth: 2, heads: 2, dropPath: 0.1, maskRatio: 0.1 },
  ["vit", "tiny"],
  "ViT topology with D 32, 2 blocks, 2 heads (masking and drop-path on), for quick runs",
);
