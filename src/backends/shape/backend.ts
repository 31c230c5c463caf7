/**
 * The "shape" backend: kernels that do no arithmetic, so building a model and running its forward pass only
 * propagates shapes. Its conv2d and (batched) matmul kernels count multiply-accumulates (MACs); its batch_norm and
 * batch_norm_prelu kernels count normalised elements. `models/flops.ts` measures model cost with it. It is not in the
 * registry of compute backends: it holds no values, so it has no parity tests.
 * @module
 */
import type { Backend, BackendInfo, HostData, MemoryInfo } from "../../core/backend.ts";
import { type KernelTable, OP_NAMES, type TensorView } from "../../core/kernels.ts";

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
    table.batch_norm = table.batch_norm_prelu = ([x]) => {
      this.bnElements += x.size;
    };
    table.matmul = table.batched_matmul = ([a], [c], { transposeA }) => {
      this.macs += c.size * (transposeA ? a.shape.at(-2)! : a.shape.at(-1)!);
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

  /** Does nothing: no storage exists. */
  trim(): Promise<void> {
    return Promise.resolve();
  }

  /** Nothing to release. */
  destroy(): void {}
}
