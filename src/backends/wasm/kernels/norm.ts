/**
 * Wrappers of batch norm (with the PReLU fused, for batch_norm_prelu), PReLU, the fused channel affine + PReLU, L2
 * and layer normalisation (wasm-simd/norm.c): per-channel sums as chunk partials (parallel), summed in chunk order,
 * then the phase kernels that finish each op.
 * @module
 */
import type { KernelAttrs, KernelTable, NormOpName } from "../../../core/kernels.ts";
import {
  BATCH_NORM_GRAD_KERNEL,
  BATCH_NORM_KERNEL,
  CHANNEL_AFFINE_KERNEL,
  CHANNEL_SUMS_KERNEL,
  L2_NORMALIZE_KERNEL,
  LAYER_NORM_GRAD_KERNEL,
  LAYER_NORM_KERNEL,
  PRELU_GRAD_KERNEL,
} from "../../../core/param_blocks/mod.ts";
import type { Block } from "../allocator.ts";
import type { WasmRuntime } from "../runtime.ts";
import { PARALLEL_MIN_WORK, ptr, sumPartials, type WasmView } from "./common.ts";

/** Modes of the `channel_sums` kernel. */
const SumMode = { plain: 0, squaredDeviation: 1, cross: 2, plainAndCross: 3 } as const;

/**
 * Per-channel sums over `rows` rows into `dst` (byte offsets): Σa, Σ(a − shift)² or Σa · (b − shift) into dst[0];
 * mode `plainAndCross` takes Σa into dst[0] and Σa · (b − shift) into dst[1] in one pass.
 */
function channelSums(
  rt: WasmRuntime,
  mode: number,
  operands: [a: number, b: number, shift: number],
  rows: number,
  c: number,
  dst: number[],
): void {
  const chunks = Math.max(1, Math.ceil(rows / rt.blocking.normChunk));
  const partials = rt.temp(dst.length * chunks * c);
  try {
    const [a, b, shift] = operands;
    rt.setParams(CHANNEL_SUMS_KERNEL, { a, b, shift, mode, rows, c, partials: partials.ptr });
    rt.run("channel_sums", chunks, { parallel: rows * c >= PARALLEL_MIN_WORK });
    dst.forEach((to, k) => sumPartials(rt, partials.ptr + 4 * k * chunks * c, chunks, 1, c, to, c));
  } finally {
    rt.release(partials);
  }
}

/**
 * batch_norm (five inputs) and batch_norm_prelu (a sixth, the PReLU slopes, applied in the normalising pass):
 * Σx, then Σ(x − mean)² when training, then the phase kernels.
 */
function batchNorm(
  rt: WasmRuntime,
  i: readonly WasmView[],
  o: readonly WasmView[],
  a: KernelAttrs["batch_norm"],
): void {
  const c = i[1].size;
  const rows = i[0].size / c;
  const [x, gamma, beta, runningMean, runningVar, alpha = 0] = i.map(ptr);
  const [y, mean, invStd] = o.map(ptr);
  const sums = rt.temp(c);
  const coefficients = rt.temp(2 * c);
  const phase = (k: number, tasks: number) => {
    rt.setParams(BATCH_NORM_KERNEL, {
      x,
      gamma,
      beta,
      running_mean: runningMean,
      running_var: runningVar,
      y,
      mean,
      inv_std: invStd,
      rows,
      c,
      training: a.training,
      phase: k,
      momentum: a.momentum,
      eps: a.eps,
      sums: sums.ptr,
      coefficients: coefficients.ptr,
      alpha,
    });
    rt.run(alpha ? "batch_norm_prelu" : "batch_norm", tasks, { parallel: k === 2 && i[0].size >= PARALLEL_MIN_WORK });
  };
  try {
    if (a.training) {
      channelSums(rt, SumMode.plain, [x, x, x], rows, c, [sums.ptr]);
      phase(0, 1);
      channelSums(rt, SumMode.squaredDeviation, [x, x, mean], rows, c, [sums.ptr]);
    }
    phase(1, 1);
    phase(2, rows);
  } finally {
    rt.release(sums);
    rt.release(coefficients);
  }
}

/** The phases of the `batch_norm_grad` kernel (wasm-simd/norm.c). */
const GradPhase = { fold: 0, preluSums: 1, coefficients: 2, dx: 3 } as const;

/**
 * batch_norm_grad (inputs dy, x, gamma, mean, invStd; outputs dx, dgamma, dbeta) and batch_norm_prelu_grad (inputs
 * dy, x, gamma, beta, mean, invStd, alpha; a fourth output, dalpha): the channel sums in one pass over the rows —
 * for batch_norm_prelu_grad over the PReLU gradient dz, recomputed from x — then the coefficients and dx.
 */
function batchNormGrad(rt: WasmRuntime, i: readonly WasmView[], o: readonly WasmView[], training: boolean): void {
  const withPrelu = i.length === 7;
  const [dy, x, gamma, mean, invStd] = (withPrelu ? [0, 1, 2, 4, 5] : [0, 1, 2, 3, 4]).map((k) => ptr(i[k]));
  const [beta, alpha] = withPrelu ? [ptr(i[3]), ptr(i[6])] : [0, 0];
  const [dx, dgamma, dbeta, dalpha = 0] = o.map(ptr);
  const c = i[2].size;
  const rows = i[0].size / c;
  const chunks = Math.max(1, Math.ceil(rows / rt.blocking.normChunk));
  const coefficients = rt.temp(5 * c);
  const partials = withPrelu ? rt.temp(3 * chunks * c) : null;
  const phase = (k: number, tasks: number) => {
    rt.setParams(BATCH_NORM_GRAD_KERNEL, {
      dy,
      x,
      gamma,
      mean,
      inv_std: invStd,
      dx,
      dgamma,
      dbeta,
      rows,
      c,
      training,
      phase: k,
      coefficients: coefficients.ptr,
      beta,
      alpha,
      dalpha,
      partials: partials?.ptr ?? 0,
    });
    const parallel = tasks > 1 && i[0].size >= PARALLEL_MIN_WORK;
    rt.run(withPrelu ? "batch_norm_prelu_grad" : "batch_norm_grad", tasks, { parallel });
  };
  try {
    if (partials) {
      phase(GradPhase.fold, 1);
      phase(GradPhase.preluSums, chunks);
      [dbeta, dgamma, dalpha].forEach((to, k) =>
        sumPartials(rt, partials.ptr + 4 * k * chunks * c, chunks, 1, c, to, c)
      );
    } else {
      channelSums(rt, SumMode.plainAndCross, [dy, x, mean], rows, c, [dbeta, dgamma]);
    }
    phase(GradPhase.coefficients, 1);
    phase(GradPhase.dx, rows);
  } finally {
    rt.release(coefficients);
    if (partials) rt.release(partials);
  }
}

/** The normalisation kernels of the wasm backend. */
export function normKernels(rt: WasmRuntime): Pick<KernelTable<Block>, NormOpName> {
  return {
    batch_norm: (i, o, a) => batchNorm(rt, i, o, a),
    batch_norm_prelu: (i, o, a) => batchNorm(rt, i, o, a),
    batch_norm_grad: (i, o, a) => batchNormGrad(rt, i, o, a.training),
    batch_norm_prelu_grad: (i, o, a) => batchNormGrad(rt, i, o, a.training),
    prelu: (i, o) => {
      const c = i[1].size;
      const rows = i[0].size / c;
      rt.setParams(CHANNEL_AFFINE_KERNEL, { x: ptr(i[0]), alpha: ptr(i[1]), y: ptr(o[0]), rows, c });
      rt.run("prelu", rows, { parallel: i[0].size >= PARALLEL_MIN_WORK });
    },
    channel_affine_prelu: (i, o) => {
      const c = i[1].size;
      const rows = i[0].size / c;
      const alpha = i.length === 4 ? ptr(i[3]) : 0;
      rt.setParams(CHANNEL_AFFINE_KERNEL, {
        x: ptr(i[0]),
        scale: ptr(i[1]),
        shift: ptr(i[2]),
        alpha,
        y: ptr(o[0]),
        rows,
        c,
      });
      rt.run("channel_affine_prelu", rows, { parallel: i[0].size >= PARALLEL_MIN_WORK });
    },
    prelu_grad: (i, o) => {
      const c = i[2].size;
      const rows = i[0].size / c;
      const chunks = Math.max(1, Math.ceil(rows / rt.blocking.normChunk));
      const partials = rt.temp(chunks * c);
      try {
        const [dy, x, alpha] = i.map(ptr);
        rt.setParams(PRELU_GRAD_KERNEL, { dy, x, alpha, dx: ptr(o[0]), partials: partials.ptr, rows, c });
        rt.run("prelu_grad", chunks, { parallel: i[0].size >= PARALLEL_MIN_WORK });
        sumPartials(rt, partials.ptr, chunks, 1, c, ptr(o[1]), c);
      } finally {
        rt.release(partials);
      }
    },
    l2_normalize: (i, o, a) => {
      const [rows, d] = i[0].shape;
      rt.setParams(L2_NORMALIZE_KERNEL, { x: ptr(i[0]), y: ptr(o[0]), norm: ptr(o[1]), rows, d, eps: a.eps });
      rt.run("l2_normalize", rows, { parallel: i[0].size >= PARALLEL_MIN_WORK });
    },
    layer_norm: (i, o, a) => {
      const d = i[1].size;
      const rows = i[0].size / d;
      const [x, gamma, beta] = i.map(ptr);
      const [y, mean, invStd] = o.map(ptr);
      rt.setParams(LAYER_NORM_KERNEL, { x, gamma, beta, y, mean, inv_std: invStd, rows, d, eps: a.eps });
      rt.run("layer_norm", rows, { parallel: i[0].size >= PARALLEL_MIN_WORK });
    },
    layer_norm_grad: (i, o) => {
      const d = i[2].size;
      const rows = i[0].size / d;
      const dyXhat = rt.temp(rows * d);
      try {
        const [dy, x, gamma, mean, invStd] = i.map(ptr);
        rt.setParams(LAYER_NORM_GRAD_KERNEL, {
          dy,
          x,
          gamma,
          mean,
          inv_std: invStd,
          dx: ptr(o[0]),
          dy_xhat: dyXhat.ptr,
          rows,
          d,
        });
        rt.run("layer_norm_grad", rows, { parallel: i[0].size >= PARALLEL_MIN_WORK });
        channelSums(rt, SumMode.plain, [dyXhat.ptr, dyXhat.ptr, dyXhat.ptr], rows, d, [ptr(o[1])]);
        channelSums(rt, SumMode.plain, [dy, dy, dy], rows, d, [ptr(o[2])]);
      } finally {
        rt.release(dyXhat);
      }
    },
  };
}
