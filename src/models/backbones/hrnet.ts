/**
 * HRNet for faces as FaceX-Zoo builds it (`backbone/HRNet.py` with the `HRNet` entry of
 * `training_mode/backbone_conf.yaml`; the network of Wang et al. 2020, "Deep High-Resolution Representation Learning
 * for Visual Recognition", after HRNet-Image-Classification's `cls_hrnet.py`). Stem: Conv3×3 stride 2 → BN → ReLU →
 * Conv3×3 stride 1 (FaceX-Zoo's face change; ImageNet's is stride 2) → BN → ReLU, so 112 → 56. Stage 1: bottlenecks
 * (torchvision's, 64 → 256). Stages 2–4 each add one branch at half the resolution (a Conv3×3 stride 2 → BN → ReLU
 * transition from the lowest-resolution branch; an existing branch whose width changes gets a Conv3×3 → BN → ReLU) and
 * stack high-resolution modules: per branch a chain of basic blocks, then every output resolution i sums all branches j
 * — its own map, Conv1×1 → BN → nearest upsampling ×2^(j−i) from the lower resolutions, and (i − j) Conv3×3 stride 2
 * (BN, ReLU between them, none after the last) from the higher ones — and applies ReLU. Head (the classification head
 * of `cls_hrnet.py`): one bottleneck per branch widening it to 4·head[i], then from the highest resolution down,
 * Conv3×3 stride 2 (with bias) → BN → ReLU added to the next branch, and Conv1×1 (bias) to 2048 → BN → ReLU at 7×7.
 * Output layer as FaceX-Zoo's (no BN2d, no dropout): Flatten (NHWC order) → Linear(2048·7·7 → 512, no bias) → BN1d.
 * Init: PyTorch defaults (FaceX-Zoo's factory builds `HighResolutionNet` without calling `init_weights`).
 * @module
 */
import { z } from "zod";
import type { Tensor } from "../../core/tensor.ts";
import { Fn } from "../../nn/activation.ts";
import type { InitScheme } from "../../nn/init.ts";
import { Module, type ModuleContext } from "../../nn/module.ts";
import { Sequential } from "../../nn/sequential.ts";
import { add, relu, upsampleNearest2d } from "../../ops/mod.ts";
import { backbones } from "../registry.ts";
import { Backbone, backboneBaseSchema } from "./backbone.ts";
import { convBnLayers, flatFcBnLayer, halve } from "./_layers.ts";
import { BasicBlock, Bottleneck } from "./_resnet_blocks.ts";

const TORCH: InitScheme = { kind: "torchDefault" };
const EXPANSION = 4;
const count = z.number().int().min(1);
const four = z.tuple([count, count, count, count]);

/** Options of the HRNet family, with the defaults of one preset. */
function hrnetSchema(d: {
  stemChannels: number;
  stage1: [number, number];
  branchChannels: [number, number, number, number];
  modules: [number, number, number];
  branchBlocks: number;
  headPlanes: [number, number, number, number];
  finalChannels: number;
}) {
  return backboneBaseSchema.extend({
    /** channels of the two stem convs */
    stemChannels: count.default(d.stemChannels),
    /** stage 1: [bottleneck blocks, bottleneck planes] (output 4·planes channels) */
    stage1: z.tuple([count, count]).default(d.stage1),
    /** channels of the four branches (resolutions S/2 … S/16), the same in every stage */
    branchChannels: four.default(d.branchChannels),
    /** high-resolution modules in stages 2, 3 and 4 (2, 3 and 4 branches) */
    modules: z.tuple([count, count, count]).default(d.modules),
    /** basic blocks per branch in every module */
    branchBlocks: count.default(d.branchBlocks),
    /** planes of the head's bottleneck on each branch (output 4·planes channels) */
    headPlanes: four.default(d.headPlanes),
    /** channels of the head's final 1×1 conv (FaceX-Zoo 2048) */
    finalChannels: count.default(d.finalChannels),
  }).strict();
}

/** Parsed HRNet options. */
export type HrnetOptions = z.output<ReturnType<typeof hrnetSchema>>;

/** PyTorch's `ModuleList` with optional entries: children "0", "1", … (a null entry registers nothing). */
class ModuleList<M extends Module> extends Module {
  /** the entries, in order */
  readonly items: readonly (M | null)[];

  constructor(items: (M | null)[]) {
    super();
    this.items = items;
    items.forEach((m, i) => m && this.addChild(String(i), m));
  }
}

/** Conv3×3 (stride, padding 1, no bias) → BN, then ReLU when `activation`. */
function conv3x3Bn(ctx: ModuleContext, inC: number, outC: number, stride: number, activation: boolean): Sequential {
  const conv = { inChannels: inC, outChannels: outC, kernel: 3, stride, padding: 1, init: TORCH };
  return new Sequential(convBnLayers(ctx, conv, activation ? relu : undefined));
}

/** torchvision's bottleneck at stride 1: `planes` wide, 4·planes out, projected shortcut when `inC` differs. */
function bottleneck(ctx: ModuleContext, inC: number, planes: number): Bottleneck {
  return new Bottleneck(ctx, {
    inChannels: inC,
    width: planes,
    outChannels: planes * EXPANSION,
    stride: 1,
    groups: 1,
    zeroInitResidual: false,
    seReduction: null,
    init: TORCH,
    downsample: "conv",
  });
}

/**
 * The path from branch j (`from` channels) to output resolution i (`to` channels), `levels` = j − i: Conv1×1 → BN →
 * nearest upsampling ×2^levels from a lower resolution, or −levels Conv3×3 stride 2 (→ BN → ReLU, keeping `from`
 * channels; the last → BN only, to `to` channels) from a higher one.
 */
function fusePath(ctx: ModuleContext, from: number, to: number, levels: number): Sequential {
  if (levels > 0) {
    return new Sequential([
      ...convBnLayers(ctx, { inChannels: from, outChannels: to, kernel: 1, init: TORCH }),
      new Fn((x) => upsampleNearest2d(x, 2 ** levels)),
    ]);
  }
  return new Sequential(
    Array.from({ length: -levels }, (_, k) => {
      const last = k === -levels - 1;
      return conv3x3Bn(ctx, from, last ? to : from, 2, !last);
    }),
  );
}

/** FaceX-Zoo's `HighResolutionModule` (sum fusion, every resolution output): branches, then the exchange unit. */
class HrModule extends Module {
  readonly #branches: ModuleList<Sequential>;
  readonly #fuse: ModuleList<ModuleList<Sequential>>;

  constructor(ctx: ModuleContext, channels: readonly number[], blocks: number) {
    super();
    this.#branches = this.addChild(
      "branches",
      new ModuleList(channels.map((c) =>
        new Sequential(
          Array.from({ length: blocks }, () =>
            new BasicBlock(ctx, { inChannels: c, outChannels: c, stride: 1, init: TORCH })),
        )
      )),
    );
    this.#fuse = this.addChild(
      "fuse_layers",
      new ModuleList(
        channels.map((to, i) =>
          new ModuleList(channels.map((from, j) => (j === i ? null : fusePath(ctx, from, to, j - i))))
        ),
      ),
    );
  }

  /** Maps the branch maps (highest resolution first) to the fused maps of every resolution. */
  forwardBranches(xs: readonly Tensor[]): Tensor[] {
    const ys = xs.map((x, j) => this.#branches.items[j]!.forward(x));
    return this.#fuse.items.map((row) =>
      relu(ys.map((y, j) => row!.items[j]?.forward(y) ?? y).reduce((sum, term) => add(sum, term)))
    );
  }
}

/** Stages 2–4: the transition that adds the next-lower resolution, then the stage's high-resolution modules. */
class HrStage extends Module {
  readonly #transition: ModuleList<Sequential>;
  readonly #modules: ModuleList<HrModule>;

  /** `previous` and `current` branch channels (`current` has one branch more); `modules` modules of `blocks`. */
  constructor(
    ctx: ModuleContext,
    previous: readonly number[],
    current: readonly number[],
    modules: number,
    blocks: number,
  ) {
    super();
    this.#transition = this.addChild(
      "transition",
      new ModuleList(current.map((c, i) => {
        if (i === previous.length) return conv3x3Bn(ctx, previous[i - 1], c, 2, true);
        return c === previous[i] ? null : conv3x3Bn(ctx, previous[i], c, 1, true);
      })),
    );
    this.#modules = this.addChild(
      "modules",
      new ModuleList(Array.from({ length: modules }, () => new HrModule(ctx, current, blocks))),
    );
  }

  /**
   * The branch maps of this stage from those of the previous one. A transition of an existing branch only occurs
   * in stage 2 (branch widths are the same in every stage), where the previous map is also the lowest-resolution
   * one, which is what FaceX-Zoo feeds every transition of stages 3 and 4.
   */
  forwardBranches(xs: readonly Tensor[]): Tensor[] {
    let ys = this.#transition.items.map((t, i) => {
      const source = i < xs.length ? xs[i] : xs[xs.length - 1];
      return t ? t.forward(source) : source;
    });
    for (const m of this.#modules.items) ys = m!.forwardBranches(ys);
    return ys;
  }
}

/**
 * The classification head of `cls_hrnet.py` without its pooling and classifier: a bottleneck per branch, stride-2
 * Conv3×3 (bias) → BN → ReLU from each resolution added to the next, and the final Conv1×1 (bias) → BN → ReLU.
 */
class HrHead extends Module {
  readonly #increase: ModuleList<Sequential>;
  readonly #downsample: ModuleList<Sequential>;
  readonly #final: Sequential;

  constructor(ctx: ModuleContext, branches: readonly number[], planes: readonly number[], finalChannels: number) {
    super();
    const widths = planes.map((p) => p * EXPANSION);
    this.#increase = this.addChild(
      "incre_modules",
      new ModuleList(branches.map((c, i) => new Sequential([bottleneck(ctx, c, planes[i])]))),
    );
    const biasedConv = (inC: number, outC: number, kernel: number, stride: number) =>
      new Sequential(convBnLayers(ctx, {
        inChannels: inC,
        outChannels: outC,
        kernel,
        stride,
        padding: Math.floor(kernel / 2),
        bias: true,
        init: TORCH,
      }, relu));
    this.#downsample = this.addChild(
      "downsamp_modules",
      new ModuleList(widths.slice(1).map((w, i) => biasedConv(widths[i], w, 3, 2))),
    );
    this.#final = this.addChild("final_layer", biasedConv(widths[widths.length - 1], finalChannels, 1, 1));
  }

  /** The lowest-resolution feature map from the four branch maps. */
  forwardBranches(xs: readonly Tensor[]): Tensor {
    let y = this.#increase.items[0]!.forward(xs[0]);
    for (let i = 1; i < xs.length; i++) {
      y = add(this.#increase.items[i]!.forward(xs[i]), this.#downsample.items[i - 1]!.forward(y));
    }
    return this.#final.forward(y);
  }
}

/** The HRNet network. */
export class HrnetBackbone extends Backbone {
  /** input side */
  readonly inputSize: number;
  /** embedding width */
  readonly embeddingSize: number;
  readonly #stem: Sequential;
  readonly #layer1: Sequential;
  readonly #stages: HrStage[];
  readonly #head: HrHead;
  readonly #output: Sequential;

  /** Builds the network from parsed options. */
  constructor(ctx: ModuleContext, o: HrnetOptions) {
    super();
    this.inputSize = o.inputSize;
    this.embeddingSize = o.embeddingSize;
    const s = o.stemChannels;
    this.#stem = this.addChild(
      "stem",
      new Sequential([...conv3x3Bn(ctx, 3, s, 2, true).layers, ...conv3x3Bn(ctx, s, s, 1, true).layers]),
    );
    const [blocks, planes] = o.stage1;
    this.#layer1 = this.addChild(
      "layer1",
      new Sequential(
        Array.from({ length: blocks }, (_, i) => bottleneck(ctx, i === 0 ? s : planes * EXPANSION, planes)),
      ),
    );
    let previous = [planes * EXPANSION];
    this.#stages = o.modules.map((modules, k) => {
      const current = o.branchChannels.slice(0, k + 2);
      const stage = this.addChild(`stage${k + 2}`, new HrStage(ctx, previous, current, modules, o.branchBlocks));
      previous = current;
      return stage;
    });
    this.#head = this.addChild("head", new HrHead(ctx, o.branchChannels, o.headPlanes, o.finalChannels));
    const side = halve(o.inputSize, 4);
    this.#output = this.addChild(
      "output_layer",
      flatFcBnLayer(ctx, { channels: o.finalChannels, spatial: side, embeddingSize: o.embeddingSize }),
    );
  }

  /** Embeds `x` [N, S, S, 3]. */
  forward(x: Tensor): Tensor {
    let xs = [this.#layer1.forward(this.#stem.forward(x))];
    for (const stage of this.#stages) xs = stage.forwardBranches(xs);
    return this.#output.forward(this.#head.forwardBranches(xs));
  }
}

backbones.register({
  name: "hrnet",
  schema: hrnetSchema({
    stemChannels: 64,
    stage1: [4, 64],
    branchChannels: [18, 36, 72, 144],
    modules: [1, 4, 3],
    branchBlocks: 4,
    headPlanes: [32, 64, 128, 256],
    finalChannels: 2048,
  }),
  create: (o, ctx) => new HrnetBackbone(ctx, o),
  tags: ["hrnet", "fxz"],
  description: "HRNet-W18-like (FaceX-Zoo): stride-1 second stem conv, four resolutions, 2048-ch head, FC-BN output",
});
backbones.register({
  name: "hrnet_tiny",
  schema: hrnetSchema({
    stemChannels: 8,
    stage1: [1, 4],
    branchChannels: [4, 8, 12, 16],
    modules: [1, 1, 1],
    branchBlocks: 1,
    headPlanes: [2, 4, 4, 8],
    finalChannels: 32,
  }),
  create: (o, ctx) => new HrnetBackbone(ctx, o),
  tags: ["hrnet", "tiny"],
  description: "HRNet topology with narrow branches, one module per stage and one block per branch, for quick runs",
});
