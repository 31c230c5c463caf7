/**
 * The three MTCNN networks (Zhang et al., IEEE SPL 2016) as the common PyTorch port that face.evoLVe ships
 * (`applications/align/get_nets.py`) builds them: P-Net (fully convolutional, 12×12 window), R-Net (24×24 crops)
 * and O-Net (48×48 crops, plus 5 landmarks). Parameter paths are the port's (`features.conv1.weight`, `conv4_1.bias`,
 * …), so its weights load by name after the layout conversions of {@link loadMtcnnNet}: conv weights OIHW → HWIO, and
 * the columns of the first fully-connected layer permuted from the port's flatten order to ours (see there).
 * @module
 */
import type { Backend } from "../../core/backend.ts";
import { Rng } from "../../core/rng.ts";
import { scope } from "../../core/scope.ts";
import { noGrad } from "../../core/tape.ts";
import type { Tensor } from "../../core/tensor.ts";
import { flattenLayer, Fn } from "../../nn/activation.ts";
import { Conv2d } from "../../nn/conv2d.ts";
import { Linear } from "../../nn/linear.ts";
import { Layer, Module, type ModuleContext } from "../../nn/module.ts";
import { PReLU } from "../../nn/prelu.ts";
import { Sequential } from "../../nn/sequential.ts";
import { maxPool2d, softmax, tensor } from "../../ops/mod.ts";

/** A host tensor as a weight file holds it (structurally a safetensors `NamedArray`). */
export interface HostArray {
  /** dimensions, outermost first */
  shape: readonly number[];
  /** values */
  data: Float32Array | Int32Array;
}

/** Max pooling in PyTorch's ceil mode (all MTCNN pools). */
function ceilPool(kernel: number, stride: number): Fn {
  return new Fn((x) => maxPool2d(x, { kernel, stride, ceilMode: true }));
}

/** Conv (with bias) → PReLU under the port's names `conv<i>` / `prelu<i>`. */
function convPrelu(ctx: ModuleContext, i: number, inC: number, outC: number, k: number): [string, Layer][] {
  const conv = new Conv2d(ctx, { inChannels: inC, outChannels: outC, kernel: k, bias: true });
  return [[`conv${i}`, conv], [`prelu${i}`, new PReLU(ctx, outC)]];
}

/** Linear → PReLU under the port's names `conv<i>` / `prelu<i>` (the port calls its FC layers conv). */
function linearPrelu(ctx: ModuleContext, i: number, inF: number, outF: number): [string, Layer][] {
  return [[`conv${i}`, fc(ctx, inF, outF)], [`prelu${i}`, new PReLU(ctx, outF)]];
}

/**
 * Outputs of one MTCNN network for a batch: face probability (softmax over [not face, face], last axis), the 4 box
 * offsets (x1, y1, x2, y2 as fractions of the box size) and, for O-Net, 10 landmark numbers (5 x then 5 y, as
 * fractions of the box). P-Net's outputs are maps [1, H', W', ·]; R-Net's and O-Net's are rows [N, ·].
 */
export interface StageOutput {
  /** [..., 2] softmax over (not face, face) */
  probs: Tensor;
  /** [..., 4] box regression */
  offsets: Tensor;
  /** [N, 10] landmarks (O-Net only) */
  landmarks?: Tensor;
}

/** The feature flatten that the port transposes before its first FC layer: the map it flattens, [C, H, W]. */
export interface FlattenQuirk {
  /** path of the first FC weight */
  path: string;
  /** channels, height and width of the feature map that is flattened */
  map: [number, number, number];
}

/** An output layer under the port's name (`conv4_1`, `conv6_3`, …). */
type NamedLayer = readonly [string, Layer];

/** The output layers of one network: face / not-face logits, box offsets and (O-Net) landmarks. */
interface OutputLayers {
  /** 2 logits */
  cls: NamedLayer;
  /** 4 box offsets */
  box: NamedLayer;
  /** 10 landmark numbers (O-Net only) */
  marks?: NamedLayer;
}

/** One MTCNN network: a feature chain (registered as `features`) and its output layers. */
export abstract class MtcnnNet extends Module {
  /** the backend holding the weights */
  readonly backend: Backend;
  /** input side (12 for P-Net, which runs on any size; 24; 48) */
  abstract readonly inputSize: number;
  /** the first FC layer whose columns need reordering on load (R-Net, O-Net) */
  abstract readonly flattenQuirk: FlattenQuirk | null;
  readonly #features: Sequential;
  readonly #cls: Layer;
  readonly #box: Layer;
  readonly #marks: Layer | null;

  /** Registers the feature chain and the output layers under the port's names. */
  protected constructor(ctx: ModuleContext, features: readonly NamedLayer[], outputs: OutputLayers) {
    super();
    this.backend = ctx.backend;
    this.#features = this.addChild("features", new Sequential(features));
    this.#cls = this.addChild(...outputs.cls);
    this.#box = this.addChild(...outputs.box);
    this.#marks = outputs.marks ? this.addChild(...outputs.marks) : null;
  }

  /** Runs the network on a batch of NHWC images scaled to [−1, 1). */
  forward(x: Tensor): StageOutput {
    const f = this.#features.forward(x);
    const out: StageOutput = { probs: softmax(this.#cls.forward(f)), offsets: this.#box.forward(f) };
    if (this.#marks) out.landmarks = this.#marks.forward(f);
    return out;
  }
}

/** A 1×1 conv with bias (P-Net's outputs). */
function pointwise(ctx: ModuleContext, inC: number, outC: number): Conv2d {
  return new Conv2d(ctx, { inChannels: inC, outChannels: outC, kernel: 1, bias: true });
}

/** A fully-connected layer with bias (R-Net's and O-Net's outputs). */
function fc(ctx: ModuleContext, inF: number, outF: number): Linear {
  return new Linear(ctx, { inFeatures: inF, outFeatures: outF });
}

/**
 * P-Net: three 3×3 conv+PReLU (2×2/2 ceil-mode pool after the first), then 1×1 convs to 2 + 4 maps. Input [1, H, W, 3]
 * → maps [1, ⌈(H − 2) / 2⌉ − 4, ⌈(W − 2) / 2⌉ − 4, ·]: one cell per 12×12 window, stride 2.
 */
export class PNet extends MtcnnNet {
  readonly inputSize = 12;
  readonly flattenQuirk = null;

  /** Builds the (zero-filled) network; load weights with {@link loadMtcnnNet}. */
  constructor(ctx: ModuleContext) {
    super(ctx, [
      ...convPrelu(ctx, 1, 3, 10, 3),
      ["pool1", ceilPool(2, 2)],
      ...convPrelu(ctx, 2, 10, 16, 3),
      ...convPrelu(ctx, 3, 16, 32, 3),
    ], { cls: ["conv4_1", pointwise(ctx, 32, 2)], box: ["conv4_2", pointwise(ctx, 32, 4)] });
  }
}

/**
 * R-Net: 3×3 conv+PReLU+3×3/2 pool twice, 2×2 conv+PReLU, FC 576→128+PReLU, then FCs to 2 and 4. Input
 * [N, 24, 24, 3] → probs [N, 2], offsets [N, 4].
 */
export class RNet extends MtcnnNet {
  readonly inputSize = 24;
  readonly flattenQuirk: FlattenQuirk = { path: "features.conv4.weight", map: [64, 3, 3] };

  /** Builds the (zero-filled) network; load weights with {@link loadMtcnnNet}. */
  constructor(ctx: ModuleContext) {
    super(ctx, [
      ...convPrelu(ctx, 1, 3, 28, 3),
      ["pool1", ceilPool(3, 2)],
      ...convPrelu(ctx, 2, 28, 48, 3),
      ["pool2", ceilPool(3, 2)],
      ...convPrelu(ctx, 3, 48, 64, 2),
      ["flatten", flattenLayer()],
      ...linearPrelu(ctx, 4, 576, 128),
    ], { cls: ["conv5_1", fc(ctx, 128, 2)], box: ["conv5_2", fc(ctx, 128, 4)] });
  }
}

/**
 * O-Net: four conv+PReLU stages with 3×3/2, 3×3/2, 2×2/2 pools, FC 1152→256+PReLU, then FCs to 2, 4 and 10. Input
 * [N, 48, 48, 3] → probs [N, 2], offsets [N, 4], landmarks [N, 10].
 */
export class ONet extends MtcnnNet {
  readonly inputSize = 48;
  readonly flattenQuirk: FlattenQuirk = { path: "features.conv5.weight", map: [128, 3, 3] };

  /** Builds the (zero-filled) network; load weights with {@link loadMtcnnNet}. */
  constructor(ctx: ModuleContext) {
    super(ctx, [
      ...convPrelu(ctx, 1, 3, 32, 3),
      ["pool1", ceilPool(3, 2)],
      ...convPrelu(ctx, 2, 32, 64, 3),
      ["pool2", ceilPool(3, 2)],
      ...convPrelu(ctx, 3, 64, 64, 3),
      ["pool3", ceilPool(2, 2)],
      ...convPrelu(ctx, 4, 64, 128, 2),
      ["flatten", flattenLayer()],
      ...linearPrelu(ctx, 5, 1152, 256), // the port's Dropout(0.25) before prelu5 is the identity in eval mode
    ], {
      cls: ["conv6_1", fc(ctx, 256, 2)],
      box: ["conv6_2", fc(ctx, 256, 4)],
      marks: ["conv6_3", fc(ctx, 256, 10)],
    });
  }
}

/** OIHW conv weight → HWIO. */
export function oihwToHwio(w: HostArray): HostArray {
  const [o, i, kh, kw] = w.shape;
  const out = new Float32Array(w.data.length);
  for (let a = 0; a < o; a++) {
    for (let b = 0; b < i; b++) {
      for (let y = 0; y < kh; y++) {
        for (let x = 0; x < kw; x++) out[((y * kw + x) * i + b) * o + a] = w.data[((a * i + b) * kh + y) * kw + x];
      }
    }
  }
  return { shape: [kh, kw, i, o], data: out };
}

/**
 * Reorders the columns of an FC weight [out, C·H·W] from the port's flatten order to ours. The port transposes
 * its NCHW map to [C, W, H] before flattening (column c·W·H + w·H + h); our NHWC flatten gives column
 * h·W·C + w·C + c.
 */
export function portFlattenToNhwc(w: HostArray, [c, h, wd]: readonly [number, number, number]): HostArray {
  const [outF, inF] = w.shape;
  if (inF !== c * h * wd) {
    throw new RangeError(`portFlattenToNhwc: ${inF} inputs, map [${c}, ${h}, ${wd}] needs ${c * h * wd}`);
  }
  const out = new Float32Array(w.data.length);
  for (let o = 0; o < outF; o++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < wd; x++) {
        for (let k = 0; k < c; k++) {
          out[o * inF + (y * wd + x) * c + k] = w.data[o * inF + (k * wd + x) * h + y];
        }
      }
    }
  }
  return { shape: w.shape, data: out };
}

/** The weight in our layout: 4-D conv weights to HWIO, the quirky FC reordered, everything else as stored. */
function toOurLayout(net: MtcnnNet, path: string, w: HostArray): HostArray {
  if (w.shape.length === 4) return oihwToHwio(w);
  if (net.flattenQuirk?.path === path) return portFlattenToNhwc(w, net.flattenQuirk.map);
  return w;
}

/** Copies the port's weights (by path, strict: no missing or extra tensors) into `net`; returns `net` in eval mode. */
export function loadMtcnnNet<N extends MtcnnNet>(net: N, weights: ReadonlyMap<string, HostArray>): N {
  const state = new Map<string, Tensor>();
  try {
    for (const [path, w] of weights) {
      const ours = toOurLayout(net, path, w);
      state.set(path, tensor(net.backend, ours.data, ours.shape));
    }
    net.load(state);
  } finally {
    for (const t of state.values()) t.dispose();
  }
  return net.eval();
}

/** The three networks of one detector. */
export interface MtcnnNets {
  /** proposal network */
  pnet: PNet;
  /** refinement network */
  rnet: RNet;
  /** output network (boxes + landmarks) */
  onet: ONet;
}

/** Builds the three networks on `backend` and loads the port's weights into them. */
export function createMtcnnNets(
  backend: Backend,
  weights: { [K in keyof MtcnnNets]: ReadonlyMap<string, HostArray> },
): MtcnnNets {
  const ctx: ModuleContext = { backend, rng: new Rng(0, "init"), initialize: false };
  return {
    pnet: loadMtcnnNet(new PNet(ctx), weights.pnet),
    rnet: loadMtcnnNet(new RNet(ctx), weights.rnet),
    onet: loadMtcnnNet(new ONet(ctx), weights.onet),
  };
}

/** Runs a network on host input [N, H, W, 3] without recording gradients; returns its outputs as host arrays. */
export async function runMtcnnNet(
  net: MtcnnNet,
  input: Float32Array,
  shape: readonly number[],
): Promise<{ probs: Float32Array; offsets: Float32Array; landmarks?: Float32Array; shape: readonly number[] }> {
  const out = noGrad(() => scope(() => net.forward(tensor(net.backend, input, shape))));
  const read = async (t: Tensor) => Float32Array.from(await t.read());
  try {
    return {
      probs: await read(out.probs),
      offsets: await read(out.offsets),
      landmarks: out.landmarks ? await read(out.landmarks) : undefined,
      shape: out.probs.shape,
    };
  } finally {
    for (const t of [out.probs, out.offsets, out.landmarks]) t?.dispose();
  }
}
