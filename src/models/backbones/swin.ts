/**
 * Swin Transformer as FaceX-Zoo's face backbone (`backbone/Swin_Transformer.py`, after Liu et al. 2021, "Swin
 * Transformer: Hierarchical Vision Transformer using Shifted Windows"): a k×k stride-k patch convolution (k = 4) and a
 * LayerNorm make a token map of side S/k; four stages of pre-norm blocks x + DropPath(W-MSA(LN(x))), x +
 * DropPath(MLP(LN(x))) (4× GELU MLP) attend within non-overlapping w×w windows, every second block on the map rolled
 * by ⌊w/2⌋ first (and back after), with an attention mask of −100 between tokens that came from different regions
 * of the rolled map, and a learned relative position bias ((2w − 1)² × heads table, gathered by the relative offset of
 * each token pair) added to the logits; a stage whose side is at most w uses one window of its whole side and no
 * shift. Between stages, patch merging concatenates each 2×2 neighbourhood (FaceX-Zoo order (0,0), (1,0), (0,1),
 * (1,1)) → LayerNorm(4C) → Linear(4C → 2C, no bias). Output layer as FaceX-Zoo: LayerNorm → Flatten (tokens
 * row-major, channels last) → Linear(with bias → E) → BN1d(E). Drop-path rates rise linearly over all blocks from 0
 * to the preset's rate (`torch.linspace`). Init as FaceX-Zoo's `_init_weights`: Linear weights N(0, 0.02²) (timm's
 * `trunc_normal_` bounds ±2 never bind), Linear biases 0, LayerNorm 1/0, the bias table N(0, 0.02²), the patch conv
 * and BN1d PyTorch's defaults. Parameter and buffer names follow FaceX-Zoo's state_dict (the relative position index
 * and the shifted blocks' masks are buffers there too); the bias table takes no weight decay
 * (`no_weight_decay_keywords`).
 * @module
 */
import { z } from "zod";
import type { Tensor } from "../../core/tensor.ts";
import { type AttentionWeights, multiHeadSelfAttention } from "../../nn/attention.ts";
import { Conv2d } from "../../nn/conv2d.ts";
import { Dropout, dropoutStream, linearDropPathRates } from "../../nn/dropout.ts";
import { initTensor } from "../../nn/init.ts";
import { LayerNorm } from "../../nn/layer_norm.ts";
import { Linear } from "../../nn/linear.ts";
import { Layer, Module, type ModuleContext } from "../../nn/module.ts";
import { Sequential } from "../../nn/sequential.ts";
import { add, concat, gatherRows, gelu, reshape, slice, tensor, transpose } from "../../ops/mod.ts";
import { backbones } from "../registry.ts";
import { flatFcBnLayer, tokenMlp, TRANSFORMER_LINEAR_INIT } from "./_layers.ts";
import { Backbone, backboneBaseSchema } from "./backbone.ts";

const positive = z.number().int().min(1);

/** Options of the Swin family, with the defaults of one preset. */
function swinSchema(d: {
  inputSize: number;
  patchSize: number;
  dim: number;
  depths: number[];
  heads: number[];
  window: number;
  dropPath: number;
}) {
  return backboneBaseSchema.extend({
    inputSize: backboneBaseSchema.shape.inputSize.removeDefault().default(d.inputSize),
    /** side of the square patches (FaceX-Zoo 4) */
    patchSize: positive.default(d.patchSize),
    /** token width C of the first stage (stage i has C·2ⁱ) */
    dim: positive.default(d.dim),
    /** blocks per stage */
    depths: z.array(positive).min(1).default(d.depths),
    /** attention heads per stage (each stage's width must be a multiple) */
    heads: z.array(positive).min(1).default(d.heads),
    /** window side w (a stage of side ≤ w uses one window of its side) */
    window: positive.default(d.window),
    /** MLP hidden width ÷ C */
    mlpRatio: positive.default(4),
    /** drop-path rate of the last block (block i of n: rate · i / (n − 1)) */
    dropPath: z.number().min(0).lt(1).default(d.dropPath),
  }).strict()
    .refine((o) => o.heads.length === o.depths.length, { message: "one head count per stage", path: ["heads"] })
    .refine((o) => o.heads.every((h, i) => (o.dim * 2 ** i) % h === 0), {
      message: "each stage's width dim·2^i must be a multiple of its heads",
      path: ["heads"],
    })
    .refine((o) => stageSides(o).every((side) => side >= 1 && Number.isInteger(side)), {
      message: "⌊inputSize / patchSize⌋ must halve evenly before every stage after the first",
      path: ["inputSize"],
    })
    .refine((o) => stageSides(o).every((side) => side % Math.min(o.window, side) === 0), {
      message: "every stage's side must be a multiple of the window (or at most the window)",
      path: ["window"],
    });
}

/** Parsed Swin options. */
export type SwinOptions = z.output<ReturnType<typeof swinSchema>>;

/** Token-map side of each stage: ⌊S / k⌋ halved per stage (fractional when the geometry does not halve evenly). */
function stageSides(o: { inputSize: number; patchSize: number; depths: readonly number[] }): number[] {
  const first = Math.floor(o.inputSize / o.patchSize);
  return o.depths.map((_, i) => first / 2 ** i);
}

/** Window geometry of one block: window side and cyclic shift (0 for plain windows), FaceX-Zoo's rule. */
export interface WindowGeometry {
  /** side of the token map */
  side: number;
  /** window side: the configured window, or the whole side when that is not larger */
  window: number;
  /** roll of the map before partitioning (⌊window / 2⌋ on odd blocks of a stage wider than the window) */
  shift: number;
}

/** The geometry of block `index` of a stage of side `side` with configured window `window`. */
export function windowGeometry(side: number, window: number, index: number): WindowGeometry {
  if (side <= window) return { side, window: side, shift: 0 };
  return { side, window, shift: index % 2 === 1 ? Math.floor(window / 2) : 0 };
}

/**
 * Relative position index of a w×w window (FaceX-Zoo `relative_position_index`, row-major over token pairs): token
 * pair (i, j) at offsets (Δh, Δw) = (hᵢ − hⱼ, wᵢ − wⱼ) reads row (Δh + w − 1)·(2w − 1) + Δw + w − 1 of the bias table.
 */
export function relativePositionIndex(window: number): number[] {
  const tokens = window * window;
  const index: number[] = [];
  for (let i = 0; i < tokens; i++) {
    for (let j = 0; j < tokens; j++) {
      const dh = Math.floor(i / window) - Math.floor(j / window);
      const dw = (i % window) - (j % window);
      index.push((dh + window - 1) * (2 * window - 1) + dw + window - 1);
    }
  }
  return index;
}

/**
 * The shifted-window attention mask [windows, w², w²] (FaceX-Zoo `attn_mask`): the rolled map splits into 3×3
 * regions along each axis (before side − w, up to side − shift, the rest); a token pair from different regions gets
 * −100, else 0. Windows and tokens are in partition order (row-major).
 */
export function shiftedWindowMask({ side, window, shift }: WindowGeometry): number[] {
  const region = (p: number) => p < side - window ? 0 : p < side - shift ? 1 : 2;
  const perSide = side / window;
  const mask: number[] = [];
  for (let wy = 0; wy < perSide; wy++) {
    for (let wx = 0; wx < perSide; wx++) {
      const labels = Array.from({ length: window * window }, (_, t) => {
        const [y, x] = [wy * window + Math.floor(t / window), wx * window + (t % window)];
        return 3 * region(y) + region(x);
      });
      for (const a of labels) for (const b of labels) mask.push(a === b ? 0 : -100);
    }
  }
  return mask;
}

/** Rolls `x` [N, H, W, C] by `shift` along H and W (torch.roll: element p moves to p + shift, cyclically). */
function roll2d(x: Tensor, shift: number): Tensor {
  let out = x;
  for (const axis of [1, 2]) {
    const n = out.shape[axis];
    const cut = ((-shift % n) + n) % n;
    if (cut === 0) continue;
    const begin = out.shape.map(() => 0);
    const head = slice(
      out,
      begin.map((b, i) => i === axis ? cut : b),
      out.shape.map((s, i) => i === axis ? n - cut : s),
    );
    const tail = slice(out, begin, out.shape.map((s, i) => i === axis ? cut : s));
    out = concat([head, tail], axis);
  }
  return out;
}

/** [N, H, W, C] → windows [N·(H/w)·(W/w), w², C], windows row-major per image, tokens row-major per window. */
function partitionWindows(x: Tensor, w: number): Tensor {
  const [n, h, wd, c] = x.shape;
  const blocks = transpose(reshape(x, [n, h / w, w, wd / w, w, c]), [0, 1, 3, 2, 4, 5]);
  return reshape(blocks, [n * (h / w) * (wd / w), w * w, c]);
}

/** Inverse of {@link partitionWindows}: windows [N·(H/w)·(W/w), w², C] → [N, H, W, C]. */
function mergeWindows(windows: Tensor, w: number, side: number): Tensor {
  const c = windows.shape[2];
  const perSide = side / w;
  const n = windows.shape[0] / (perSide * perSide);
  const blocks = transpose(reshape(windows, [n, perSide, perSide, w, w, c]), [0, 1, 3, 2, 4, 5]);
  return reshape(blocks, [n, side, side, c]);
}

/** Window multi-head self-attention with relative position bias (FaceX-Zoo `WindowAttention`). */
class WindowAttention extends Module {
  readonly #heads: number;
  readonly #window: number;
  readonly #table: Tensor;
  readonly #index: Tensor;
  readonly #qkv: Linear;
  readonly #proj: Linear;

  constructor(ctx: ModuleContext, dim: number, heads: number, window: number) {
    super();
    this.#heads = heads;
    this.#window = window;
    const rows = (2 * window - 1) ** 2;
    this.#table = this.addParameter(
      "relative_position_bias_table",
      initTensor(ctx, [rows, heads], { kind: "normal", std: 0.02 }, { fanIn: heads, fanOut: heads }),
      { decay: false },
    );
    const tokens = window * window;
    this.#index = this.addBuffer(
      "relative_position_index",
      tensor(ctx.backend, relativePositionIndex(window), [tokens, tokens], "i32"),
    );
    this.#qkv = this.addChild(
      "qkv",
      new Linear(ctx, { inFeatures: dim, outFeatures: 3 * dim, ...TRANSFORMER_LINEAR_INIT }),
    );
    this.#proj = this.addChild(
      "proj",
      new Linear(ctx, { inFeatures: dim, outFeatures: dim, ...TRANSFORMER_LINEAR_INIT }),
    );
  }

  /** Attends within each window of `windows` [B·nW, w², C]; `mask` [nW, w², w²] separates shifted regions. */
  attend(windows: Tensor, mask: Tensor | null): Tensor {
    const t = this.#window ** 2;
    // [w⁴, heads] → [heads, w², w²], then [1 or nW, heads, w², w²] with the mask
    const rows = gatherRows(this.#table, reshape(this.#index, [t * t]));
    const bias = transpose(reshape(rows, [t, t, this.#heads]), [2, 0, 1]);
    const logitBias = mask ? add(bias, reshape(mask, [mask.shape[0], 1, t, t])) : reshape(bias, [1, this.#heads, t, t]);
    const weights: AttentionWeights = {
      qkvWeight: this.#qkv.weight,
      qkvBias: this.#qkv.bias ?? undefined,
      projWeight: this.#proj.weight,
      projBias: this.#proj.bias ?? undefined,
    };
    return multiHeadSelfAttention(windows, this.#heads, weights, logitBias);
  }
}

/** One Swin block on a token map [N, side, side, C] (FaceX-Zoo `SwinTransformerBlock`). */
class SwinBlock extends Layer {
  readonly #geometry: WindowGeometry;
  readonly #mask: Tensor | null;
  readonly #norm1: LayerNorm;
  readonly #attn: WindowAttention;
  readonly #dropPath: Dropout;
  readonly #norm2: LayerNorm;
  readonly #mlp: Sequential;

  constructor(ctx: ModuleContext, dim: number, heads: number, geometry: WindowGeometry, o: SwinOptions, rate: number) {
    super();
    this.#geometry = geometry;
    const t = geometry.window ** 2;
    const windows = (geometry.side / geometry.window) ** 2;
    this.#mask = geometry.shift > 0
      ? this.addBuffer("attn_mask", tensor(ctx.backend, shiftedWindowMask(geometry), [windows, t, t]))
      : null;
    this.#norm1 = this.addChild("norm1", new LayerNorm(ctx, { features: dim }));
    this.#attn = this.addChild("attn", new WindowAttention(ctx, dim, heads, geometry.window));
    this.#dropPath = this.addChild("drop_path", new Dropout(rate, dropoutStream(ctx), "sample"));
    this.#norm2 = this.addChild("norm2", new LayerNorm(ctx, { features: dim }));
    this.#mlp = this.addChild("mlp", tokenMlp(ctx, dim, dim * o.mlpRatio, gelu));
  }

  forward(x: Tensor): Tensor {
    const [n, side, , c] = x.shape;
    const { window, shift } = this.#geometry;
    const rolled = roll2d(this.#norm1.forward(x), -shift);
    const attended = mergeWindows(this.#attn.attend(partitionWindows(rolled, window), this.#mask), window, side);
    const mixed = add(x, this.#dropPath.forward(roll2d(attended, shift)));
    const mlp = reshape(this.#mlp.forward(reshape(this.#norm2.forward(mixed), [n * side * side, c])), x.shape);
    return add(mixed, this.#dropPath.forward(mlp));
  }
}

/** 2×2 patch merging [N, S, S, C] → [N, S/2, S/2, 2C] (FaceX-Zoo `PatchMerging`). */
class PatchMerging extends Layer {
  readonly #reduction: Linear;
  readonly #norm: LayerNorm;

  constructor(ctx: ModuleContext, dim: number) {
    super();
    this.#reduction = this.addChild(
      "reduction",
      new Linear(ctx, { inFeatures: 4 * dim, outFeatures: 2 * dim, bias: false, ...TRANSFORMER_LINEAR_INIT }),
    );
    this.#norm = this.addChild("norm", new LayerNorm(ctx, { features: 4 * dim }));
  }

  forward(x: Tensor): Tensor {
    const [n, side, , c] = x.shape;
    const half = side / 2;
    // [N, S/2, 2 (row parity), S/2, 2 (column parity), C] → column parity before row parity, as FaceX-Zoo's cat order
    const grouped = transpose(reshape(x, [n, half, 2, half, 2, c]), [0, 1, 3, 4, 2, 5]);
    const merged = this.#reduction.forward(this.#norm.forward(reshape(grouped, [n * half * half, 4 * c])));
    return reshape(merged, [n, half, half, 2 * c]);
  }
}

/** One stage (FaceX-Zoo `BasicLayer`): its blocks, then patch merging unless it is the last stage. */
class SwinStage extends Layer {
  readonly #blocks: Sequential;
  readonly #downsample: PatchMerging | null;

  constructor(ctx: ModuleContext, o: SwinOptions, stage: number, rates: readonly number[]) {
    super();
    const dim = o.dim * 2 ** stage;
    const side = stageSides(o)[stage];
    const blocks = rates.map((rate, i) =>
      new SwinBlock(ctx, dim, o.heads[stage], windowGeometry(side, o.window, i), o, rate)
    );
    this.#blocks = this.addChild("blocks", new Sequential(blocks));
    this.#downsample = stage < o.depths.length - 1 ? this.addChild("downsample", new PatchMerging(ctx, dim)) : null;
  }

  forward(x: Tensor): Tensor {
    const y = this.#blocks.forward(x);
    return this.#downsample ? this.#downsample.forward(y) : y;
  }
}

/** The Swin network. */
export class SwinBackbone extends Backbone {
  /** input side */
  readonly inputSize: number;
  /** embedding width */
  readonly embeddingSize: number;
  readonly #patchEmbed: Sequential;
  readonly #layers: Sequential;
  readonly #output: Sequential;

  /** Builds the network from parsed options. */
  constructor(ctx: ModuleContext, o: SwinOptions) {
    super();
    this.inputSize = o.inputSize;
    this.embeddingSize = o.embeddingSize;
    const proj = new Conv2d(ctx, {
      inChannels: 3,
      outChannels: o.dim,
      kernel: o.patchSize,
      stride: o.patchSize,
      bias: true,
    });
    this.#patchEmbed = this.addChild(
      "patch_embed",
      new Sequential([["proj", proj], ["norm", new LayerNorm(ctx, { features: o.dim })]]),
    );
    const rates = linearDropPathRates(o.dropPath, o.depths.reduce((a, b) => a + b, 0));
    let first = 0;
    const stages = o.depths.map((depth, stage) => {
      first += depth;
      return new SwinStage(ctx, o, stage, rates.slice(first - depth, first));
    });
    this.#layers = this.addChild("layers", new Sequential(stages));
    const channels = o.dim * 2 ** (o.depths.length - 1);
    this.#output = this.addChild(
      "output_layer",
      flatFcBnLayer(ctx, {
        norm: new LayerNorm(ctx, { features: channels }),
        channels,
        spatial: stageSides(o)[o.depths.length - 1],
        embeddingSize: o.embeddingSize,
        bias: true,
        ...TRANSFORMER_LINEAR_INIT,
      }),
    );
  }

  /** Embeds `x` [N, S, S, 3]. */
  forward(x: Tensor): Tensor {
    return this.#output.forward(this.#layers.forward(this.#patchEmbed.forward(x)));
  }
}

/** Registers one Swin preset. */
function registerSwin(name: string, defaults: Parameters<typeof swinSchema>[0], tags: string[], description: string) {
  backbones.register({
    name,
    schema: swinSchema(defaults),
    create: (o, ctx) => new SwinBackbone(ctx, o),
    tags,
    description,
  });
}

// FaceX-Zoo's Swin at 224×224: embed 96, heads (3, 6, 12, 24), window 7. Swin-S (depths 2, 2, 18, 2) has FaceX-Zoo's
// drop-path 0.3; FaceX-Zoo configures no Swin-T, which takes the 0.2 of Liu et al.'s Swin-T ImageNet config
// (`configs/swin_tiny_patch4_window7_224.yaml`).
for (
  const [name, depths, dropPath, label] of [["swin_t", [2, 2, 6, 2], 0.2, "T"], [
    "swin_s",
    [2, 2, 18, 2],
    0.3,
    "S",
  ]] as const
) {
  registerSwin(
    name,
    { inputSize: 224, patchSize: 4, dim: 96, depths: [...depths], heads: [3, 6, 12, 24], window: 7, dropPath },
    ["swin", "fxz"],
    `FaceX-Zoo Swin-${label}: 224 input, patch 4, C 96, depths ${depths.join("/")}, window 7, drop-path ${dropPath}`,
  );
}
registerSwin(
  "swin_tiny",
  { inputSize: 112, patchSize: 2, dim: 8, depths: [2, 2, 1, 1], heads: [1, 2, 4, 8], window: 7, dropPath: 0.1 },
  ["swin", "tiny"],
  "Swin topology at the bench's 112 input, patch 2, C 8, depths 2/2/1/1, window 7 (sides 56/28/14/7, Swin-T/S's " +
    "token grids: shifted windows in stages 1–2), for quick runs",
);
