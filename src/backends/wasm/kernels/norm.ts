/**
 * Wrappers of batch norm, PReLU, the fused channel affine + PReLU and L2 normalisation (wasm-simd/norm.c):
 * per-channel sums as chunk partials (parallel), summed in chunk order, then the phase kernels that finish each op.
 * @module
 */
import type { KernelTable } from "../../../core/kernels.ts";
import type { Block } from "../allocator.ts";
import type { WasmRuntime } from "../runtime.ts";
import { PARALLEL_MIN_WORK, ptr, sumPartials } from "./common.ts";

/** Modes of the `channel_sums` kernel. */
const SumMode = { plain: 0, squaredDeviation: 1, cross: 2 } as const;

/** dst[C] (byte offset) = per-channel sum over `rows` rows of a, (a − shift)², or a · (b − shift). */
function channelSums(
  rt: WasmRuntime,
  mode: number,
  operands: [a: number, b: number, shift: number],
  rows: number,
  c: number,
  dst: number,
): void {
  const chunks = Math.max(1, Math.ceil(rows / rt.blocking.normChunk));
  const partials = rt.temp(chunks * c);
  try {
    rt.params().ints(0, [...operands, mode, rows, c, partials.ptr]);
    rt.run("channel_sums", chunks, { parallel: rows * c >= PARALLEL_MIN_WORK });
    sumPartials(rt, partials, chunks, 1, c, dst, c);
  } finally {
    rt.release(partials);
  }
}

type NormName = "batch_norm" | "batch_norm_grad" | "prelu" | "prelu_grad" | "channel_affine_prelu" | "l2_normalize";

/** The normalisation kernels of the wasm backend. */
export function normKernels(rt: WasmRuntime): Pick<KernelTable<Block>, NormName> {
  return {
    batch_norm: (i, o, a) => {
      const c = i[1].size;
      const rows = i[0].size / c;
      const x = ptr(i[0]);
      const mean = ptr(o[1]);
      const sums = rt.temp(c);
      const coefficients = rt.temp(2 * c);
      const phase = (k: number, tasks: number) => {
        rt.params().ints(0, [...i.map(ptr), ...o.map(ptr), rows, c, a.training ? 1 : 0, k])
          .f64(12, a.momentum).f64(14, a.eps).ints(16, [sums.ptr, coefficients.ptr]);
        rt.run("batch_norm", tasks, { parallel: k === 2 && i[0].size >= PARALLEL_MIN_WORK });
      };
      try {
        if (a.training) {
          channelSums(rt, SumMode.plain, [x, x, x], rows, c, sums.ptr);
          phase(0, 1);
          channelSums(rt, SumMode.squaredDeviation, [x, x, mean], rows, c, sums.ptr);
        }
        phase(1, 1);
        phase(2, rows);
      } finally {
        rt.release(sums);
        rt.release(coefficients);
      }
    },
    batch_norm_grad: (i, o, a) => {
      const c = i[2].size;
      const rows = i[0].size / c;
      const [dy, x, , mean] = i.map(ptr);
      const [, dgamma, dbeta] = o.map(ptr);
      const coefficients = rt.temp(3 * c);
      try {
        channelSums(rt, SumMode.plain, [dy, dy, dy], rows, c, dbeta);
        channelSums(rt, SumMode.cross, [dy, x, mean], rows, c, dgamma);
        for (const k of [0, 1]) {
          rt.params().ints(0, [...i.map(ptr), ...o.map(ptr), rows, c, a.training ? 1 : 0, k])
            .ints(16, [coefficients.ptr]);
          rt.run("batch_norm_grad", k === 0 ? 1 : rows, { parallel: k === 1 && i[0].size >= PARALLEL_MIN_WORK });
        }
      } finally {
        rt.release(coefficients);
      }
    },
    prelu: (i, o) => {
      const c = i[1].size;
      const rows = i[0].size / c;
      rt.params().ints(0, [ptr(i[0]), ptr(i[1]), ptr(o[0]), rows, c]);
      rt.run("prelu", rows, { parallel: i[0].size >= PARALLEL_MIN_WORK });
    },
    channel_affine_prelu: (i, o) => {
      const c = i[1].size;
      const rows = i[0].size / c;
      const alpha = i.length === 4 ? ptr(i[3]) : 0;
      rt.params().ints(0, [ptr(i[0]), ptr(i[1]), ptr(i[2]), alpha, ptr(o[0]), rows, c]);
      rt.run("channel_affine_prelu", rows, { parallel: i[0].size >= PARALLEL_MIN_WORK });
    },
    prelu_grad: (i, o) => {
      const c = i[2].size;
      const rows = i[0].size / c;
      const chunks = Math.max(1, Math.ceil(rows / rt.blocking.normChunk));
      const partials = rt.temp(chunks * c);
      try {
        rt.params().ints(0, [...i.map(ptr), ptr(o[0]), partials.ptr, rows, c]);
        rt.run("prelu_grad", chunks, { parallel: i[0].size >= PARALLEL_MIN_WORK });
        sumPartials(rt, partials, chunks, 1, c, ptr(o[1]), c);
      } finally {
        rt.release(partials);
      }
    },
    l2_normalize: (i, o, a) => {
      const [rows, d] = i[0].shape;
      rt.params().ints(0, [ptr(i[0]), ptr(o[0]), ptr(o[1]), rows, d]).f64(6, a.eps);
      rt.run("l2_normalize", rows, { parallel: i[0].size >= PARALLEL_MIN_WORK });
    },
  };
}
