/**
 * Model cost without computing anything: a "shape" backend whose kernels do no arithmetic, so that building a
 * model and running its forward pass only propagates shapes. Its conv2d and matmul kernels count
 * multiply-accumulates (MACs); its batch_norm kernel counts normalised elements. FaceX-Zoo's published MACs
 * (THOP) are conv + FC MACs plus 2 per BatchNorm element (THOP's BN rule; PReLU, adds and pooling count 0),
 * which {@link BackboneCost.thopMacs} reproduces exactly (MobileFaceNet 227.57 M, IR-50 6.31 G).
 * @module
 */
import type { Backend, BackendInfo, HostData, MemoryInfo } from "../backends/backend.ts";
import { type KernelTable, OP_NAMES, type TensorView } from "../backends/kernels.ts";
import { Rng } from "../core/rng.ts";
import { scope } from "../core/scope.ts";
import { noGrad } from "../core/tape.ts";
import { zeros } from "../ops/mod.ts";
import type { Registered } from "./registry.ts";
import type { Backbone } from "./backbones/backbone.ts";
import type { ModuleContext } from "../nn/module.ts";
import { unfused } from "../nn/epilogue.ts";

/** A backend that allocates nothing and counts the MACs of convolutions and matrix products. */
export class ShapeBackend implements Backend<null> {
  /** Backend name. */
  readonly name = "shape";
  /** MACs of conv2d and matmul kernels run so far. */
  macs = 0;
  /** Elements normalised by batch_norm kernels run so far. */
  bnElements = 0;
  /** Kernel table: no-ops, except conv2d and matmul, which add to `macs`. */
  readonly kernels: KernelTable<null>;

  /** Creates a counter at zero. */
  constructor() {
    const noop = () => {};
    const table = Object.fromEntries(OP_NAMES.map((op) => [op, noop])) as unknown as KernelTable<null>;
    table.conv2d = ([, w], [y]) => {
      const [kh, kw, ci] = w.shape;
      this.macs += y.size * kh * kw * ci;
    };
    table.batch_norm = ([x]) => {
      this.bnElements += x.size;
    };
    table.matmul = ([a], [c], { transposeA }) => {
      this.macs += c.size * (transposeA ? a.shape[0] : a.shape[1]);
    };
    this.kernels = table;
  }

  /** No storage. */
  allocate(): null {
    return null;
  }

  /** Nothing to upload to. */
  upload(): void {}

  /** There are no values to read. */
  read(_view: TensorView<null>): Promise<HostData> {
    return Promise.reject(new Error("ShapeBackend holds shapes only; values cannot be read"));
  }

  /** Nothing to free. */
  dispose(): void {}

  /** Nothing is queued. */
  sync(): Promise<void> {
    return Promise.resolve();
  }

  /** Describes the backend. */
  info(): BackendInfo {
    return { name: this.name, threads: 1, details: { purpose: "shape propagation and MAC counting" } };
  }

  /** No memory is held. */
  memory(): MemoryInfo {
    return { liveBytes: 0, peakBytes: 0 };
  }

  /** Nothing to release. */
  destroy(): void {}
}

/** Size and cost of one backbone preset. */
export interface BackboneCost {
  /** parameter elements (frozen included, BN running statistics excluded) */
  params: number;
  /** multiply-accumulates of one forward pass of one image (conv + FC) */
  macs: number;
  /** `macs` + 2 per BatchNorm element: the figure THOP (FaceX-Zoo's tables) reports */
  thopMacs: number;
  /** input side the cost was measured at */
  inputSize: number;
  /** output shape for a batch of one */
  outputShape: readonly number[];
}

/** Builds `entry` with `options` structure-only and measures parameters and MACs for one image (eval mode). */
export function backboneCost(entry: Registered<ModuleContext, Backbone>, options: unknown = {}): BackboneCost {
  const backend = new ShapeBackend();
  const ctx: ModuleContext = { backend, rng: new Rng(0, "init"), initialize: false };
  const model = entry.create(options, ctx);
  const params = model.parameterCount();
  backend.macs = 0;
  backend.bnElements = 0;
  // Unfused, so that every BatchNorm runs its own batch_norm kernel and is counted.
  const outputShape = noGrad(() =>
    unfused(() => scope(() => model.eval().forward(zeros(backend, [1, model.inputSize, model.inputSize, 3])).shape))
  );
  model.dispose();
  const { macs, bnElements } = backend;
  return { params, macs, thopMacs: macs + 2 * bnElements, inputSize: model.inputSize, outputShape };
}
