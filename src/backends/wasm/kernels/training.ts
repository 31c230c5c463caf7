/**
 * Wrappers of fill, dropout and the fused SGD and AdamW updates (wasm-simd/training.c).
 * @module
 */
import { adamwScalars, type KernelTable } from "../../../core/kernels.ts";
import { ADAMW_KERNEL, DROPOUT_KERNEL, SGD_KERNEL } from "../../../core/param_blocks/mod.ts";
import type { Block } from "../allocator.ts";
import type { WasmRuntime } from "../runtime.ts";
import { fillBits, PARALLEL_MIN_WORK, ptr } from "./common.ts";

/** The bits of `value` as the kernel stores them: an f32 or an i32. */
function valueBits(value: number, dtype: "f32" | "i32"): number {
  return dtype === "i32" ? value | 0 : new Int32Array(Float32Array.of(value).buffer)[0];
}

/** The training kernels of the wasm backend. */
export function trainingKernels(rt: WasmRuntime): Pick<
  KernelTable<Block>,
  "fill" | "dropout" | "sgd_update" | "adamw_update"
> {
  const chunks = (n: number) => Math.ceil(n / rt.blocking.elemChunk);
  return {
    fill: (_i, o, a) => fillBits(rt, o[0], valueBits(a.value, a.dtype)),
    dropout: (i, o, a) => {
      const n = i[0].size;
      // keep ⇔ (bits >>> 8) / 2^24 ≥ p ⇔ (bits >>> 8) ≥ ceil(p · 2^24) (exact in double precision)
      const threshold = Math.ceil(a.p * 16777216);
      const offsetHigh = Math.floor(a.offset / 4294967296);
      rt.setParams(DROPOUT_KERNEL, {
        x: ptr(i[0]),
        y: ptr(o[0]),
        mask: ptr(o[1]),
        n,
        key0: a.key0 | 0,
        key1: a.key1 | 0,
        offset_lo: a.offset >>> 0,
        offset_hi: offsetHigh,
        threshold,
        scale: 1 / (1 - a.p),
      });
      rt.run("dropout", chunks(n), { parallel: n >= PARALLEL_MIN_WORK / 16 });
    },
    sgd_update: (i, _o, a) => {
      const n = i[0].size;
      rt.setParams(SGD_KERNEL, {
        param: ptr(i[0]),
        grad: ptr(i[1]),
        velocity: ptr(i[2]),
        n,
        lr: a.lr,
        momentum: a.momentum,
        weight_decay: a.weightDecay,
        nesterov: a.nesterov,
      });
      rt.run("sgd_update", chunks(n), { parallel: n >= PARALLEL_MIN_WORK });
    },
    adamw_update: (i, _o, a) => {
      const n = i[0].size;
      rt.setParams(ADAMW_KERNEL, {
        param: ptr(i[0]),
        grad: ptr(i[1]),
        exp_avg: ptr(i[2]),
        exp_avg_sq: ptr(i[3]),
        n,
        ...adamwScalars(a),
      });
      rt.run("adamw_update", chunks(n), { parallel: n >= PARALLEL_MIN_WORK });
    },
  };
}
