/**
 * Wrappers of the softmax family (wasm-simd/softmax.c); labels are range-checked here, before the kernel runs.
 * @module
 */
import type { KernelTable } from "../../../core/kernels.ts";
import { SOFTMAX_KERNEL, SOFTMAX_XENT_KERNEL } from "../../../core/param_blocks/mod.ts";
import type { Block } from "../allocator.ts";
import type { WasmRuntime } from "../runtime.ts";
import { PARALLEL_MIN_WORK, ptr, type WasmView } from "./common.ts";

function checkLabels(rt: WasmRuntime, labels: WasmView, classes: number): void {
  const values = rt.i32.subarray(ptr(labels) / 4, ptr(labels) / 4 + labels.size);
  for (const label of values) {
    if (!(label >= 0 && label < classes)) {
      throw new RangeError(
        `softmax_cross_entropy: argument "labels" holds ${label}, expected a class in [0, ${classes})`,
      );
    }
  }
}

/** The softmax kernels of the wasm backend. */
export function softmaxKernels(
  rt: WasmRuntime,
): Pick<KernelTable<Block>, "softmax" | "log_softmax" | "softmax_cross_entropy" | "softmax_cross_entropy_grad"> {
  const rows = (name: string) => (i: readonly WasmView[], o: readonly WasmView[]) => {
    const len = i[0].shape[i[0].shape.length - 1];
    const count = len === 0 ? 0 : i[0].size / len;
    rt.setParams(SOFTMAX_KERNEL, { x: ptr(i[0]), y: ptr(o[0]), rows: count, len });
    rt.run(name, count, { parallel: i[0].size >= PARALLEL_MIN_WORK });
  };
  return {
    softmax: rows("softmax"),
    log_softmax: rows("log_softmax"),
    softmax_cross_entropy: (i, o, a) => {
      const [n, c] = i[0].shape;
      checkLabels(rt, i[1], c);
      rt.setParams(SOFTMAX_XENT_KERNEL, {
        logits: ptr(i[0]),
        labels: ptr(i[1]),
        loss: ptr(o[0]),
        probs: ptr(o[1]),
        n,
        c,
        smoothing: a.smoothing,
      });
      rt.run("softmax_cross_entropy", n, { parallel: i[0].size >= PARALLEL_MIN_WORK });
    },
    softmax_cross_entropy_grad: (i, o, a) => {
      const [n, c] = i[1].shape;
      checkLabels(rt, i[2], c);
      rt.setParams(SOFTMAX_XENT_KERNEL, {
        dloss: ptr(i[0]),
        probs: ptr(i[1]),
        labels: ptr(i[2]),
        dlogits: ptr(o[0]),
        n,
        c,
        smoothing: a.smoothing,
      });
      rt.run("softmax_cross_entropy_grad", n, { parallel: i[1].size >= PARALLEL_MIN_WORK });
    },
  };
}
