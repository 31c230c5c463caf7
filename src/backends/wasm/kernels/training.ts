/**
 * Wrappers of fill, dropout and the fused SGD update (wasm-simd/training.c).
 * @module
 */
import type { KernelTable } from "../../../core/kernels.ts";
import type { Block } from "../allocator.ts";
import type { WasmRuntime } from "../runtime.ts";
import { fillBits, PARALLEL_MIN_WORK, ptr } from "./common.ts";

/** The bits of `value` as the kernel stores them: an f32 or an i32. */
function valueBits(value: number, dtype: "f32" | "i32"): number {
  return dtype === "i32" ? value | 0 : new Int32Array(Float32Array.of(value).buffer)[0];
}

/** The training kernels of the wasm backend. */
export function trainingKernels(rt: WasmRuntime): Pick<KernelTable<Block>, "fill" | "dropout" | "sgd_update"> {
  const chunks = (n: number) => Math.ceil(n / rt.blocking.elemChunk);
  return {
    fill: (_i, o, a) => fillBits(rt, o[0], valueBits(a.value, a.dtype)),
    dropout: (i, o, a) => {
      const n = i[0].size;
      // keep ⇔ (bits >>> 8) / 2^24 ≥ p ⇔ (bits >>> 8) ≥ ceil(p · 2^24) (exact in double precision)
      const threshold = Math.ceil(a.p * 16777216);
      const offsetHigh = Math.floor(a.offset / 4294967296);
      rt.params()
        .ints(0, [ptr(i[0]), ptr(o[0]), ptr(o[1]), n, a.key0 | 0, a.key1 | 0, a.offset >>> 0, offsetHigh, threshold])
        .f32(9, 1 / (1 - a.p));
      rt.run("dropout", chunks(n), { parallel: n >= PARALLEL_MIN_WORK / 16 });
    },
    sgd_update: (i, _o, a) => {
      const n = i[0].size;
      rt.params().ints(0, [ptr(i[0]), ptr(i[1]), ptr(i[2]), n]).f64(4, a.lr).f64(6, a.momentum)
        .f64(8, a.weightDecay).ints(10, [a.nesterov ? 1 : 0]);
      rt.run("sgd_update", chunks(n), { parallel: n >= PARALLEL_MIN_WORK });
    },
  };
}
