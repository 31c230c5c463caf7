/**
 * WebGPU kernels for batch normalisation (alone and followed by PReLU), PReLU, the fused channel affine + PReLU, row
 * L2 normalisation and layer normalisation: per-channel / per-row statistics by fixed-order workgroup tree reductions,
 * then an element-wise pass.
 * @module
 */
import {
  BATCH_NORM_SHADER,
  CHANNEL_SHADER,
  L2_NORMALIZE_SHADER,
  LAYER_NORM_SHADER,
} from "../../../core/param_blocks/mod.ts";
import type { KernelAttrs, NormOpName } from "../../../core/kernels.ts";
import { encodeBlock } from "../../../core/params.ts";
import type { GpuRuntime } from "../runtime.ts";
import type { GpuStorage } from "../storage.ts";
import { type GpuTable, groupsFor, storages } from "./common.ts";

/**
 * Encodes batch_norm over x [rows, c] (x, gamma, beta; runMean, runVar, y, mean, invStd): the statistics, then the
 * normalisation. `entries` "main" encodes only the normalisation from the given mean and invStd (batch_norm_prelu_grad
 * recomputing its z; runMean and runVar are then only bound, neither read nor written).
 */
function encodeBatchNorm(
  rt: GpuRuntime,
  [x, gamma, beta]: GpuStorage[],
  writes: GpuStorage[],
  a: KernelAttrs["batch_norm"],
  entries: "stats+main" | "main" = "stats+main",
): void {
  const c = gamma.size;
  const call = {
    op: "batch_norm" as const,
    params: encodeBlock(BATCH_NORM_SHADER, {
      rows: x.size / c,
      c,
      training: a.training,
      momentum: a.momentum,
      eps: a.eps,
    }),
    reads: [x, gamma, beta],
    writes,
  };
  if (entries === "stats+main") rt.dispatch({ ...call, entry: "stats", groups: c });
  rt.dispatch({ ...call, groups: groupsFor(x.size) });
}

/** Encodes prelu_grad: dy, x, alpha → dx, dalpha. */
function encodePreluGrad(rt: GpuRuntime, reads: GpuStorage[], writes: GpuStorage[]): void {
  const c = reads[2].size;
  const call = {
    op: "prelu_grad" as const,
    params: encodeBlock(CHANNEL_SHADER, { n: reads[0].size / c, c }),
    reads,
    writes,
  };
  rt.dispatch({ ...call, groups: groupsFor(reads[0].size) });
  rt.dispatch({ ...call, entry: "alpha_grad", groups: c });
}

/** Encodes batch_norm_grad: dy, x, gamma, mean, invStd → dx, dgamma, dbeta. */
function encodeBatchNormGrad(rt: GpuRuntime, reads: GpuStorage[], writes: GpuStorage[], training: boolean): void {
  const c = reads[2].size;
  const call = {
    op: "batch_norm_grad" as const,
    params: encodeBlock(BATCH_NORM_SHADER, { rows: reads[0].size / c, c, training }),
    reads,
    writes,
  };
  rt.dispatch({ ...call, entry: "sums", groups: c });
  rt.dispatch({ ...call, groups: groupsFor(reads[0].size) });
}

/** Encodes prelu: x, alpha → y. */
function encodePrelu(rt: GpuRuntime, reads: GpuStorage[], writes: GpuStorage[]): void {
  rt.dispatch({
    op: "prelu",
    params: encodeBlock(CHANNEL_SHADER, { n: reads[0].size, c: reads[1].size }),
    reads,
    writes,
    groups: groupsFor(reads[0].size),
  });
}

/** The normalisation kernels on `rt`. */
export function normKernels(rt: GpuRuntime): Pick<GpuTable, NormOpName> {
  return {
    batch_norm: (inputs, outputs, a) => {
      const [x, gamma, beta, runMean, runVar] = storages(inputs);
      encodeBatchNorm(rt, [x, gamma, beta], [runMean, runVar, ...storages(outputs)], a);
    },
    batch_norm_grad: (inputs, outputs, a) => encodeBatchNormGrad(rt, storages(inputs), storages(outputs), a.training),
    // The fused pair runs the two ops' shaders in turn through a scratch z, so its bits are theirs.
    batch_norm_prelu: (inputs, outputs, a) => {
      const [x, gamma, beta, runMean, runVar, alpha] = storages(inputs);
      const [y, mean, invStd] = storages(outputs);
      rt.withScratch(x.size, (z) => {
        encodeBatchNorm(rt, [x, gamma, beta], [runMean, runVar, z, mean, invStd], a);
        encodePrelu(rt, [z, alpha], [y]);
      });
    },
    batch_norm_prelu_grad: (inputs, outputs, a) => {
      const [dy, x, gamma, beta, mean, invStd, alpha] = storages(inputs);
      const [dx, dgamma, dbeta, dalpha] = storages(outputs);
      rt.withScratch(x.size, (z) =>
        rt.withScratch(x.size, (dz) => {
          // z as batch_norm's normalisation pass computed it; dgamma and dbeta fill the unused running-stat slots.
          const attrs = { training: a.training, momentum: 0, eps: 0 };
          encodeBatchNorm(rt, [x, gamma, beta], [dgamma, dbeta, z, mean, invStd], attrs, "main");
          encodePreluGrad(rt, [dy, z, alpha], [dz, dalpha]);
          encodeBatchNormGrad(rt, [dz, x, gamma, mean, invStd], [dx, dgamma, dbeta], a.training);
        }));
    },
    prelu: (inputs, outputs) => encodePrelu(rt, storages(inputs), storages(outputs)),
    prelu_grad: (inputs, outputs) => encodePreluGrad(rt, storages(inputs), storages(outputs)),
    channel_affine_prelu: (inputs, outputs) => {
      const [x, scale, shift, alpha] = storages(inputs);
      rt.dispatch({
        op: "channel_affine_prelu",
        params: encodeBlock(CHANNEL_SHADER, { n: inputs[0].size, c: inputs[1].size, prelu: alpha !== undefined }),
        // Without PReLU the shader's alpha binding gets scale (read-only bindings may alias); it is not read.
        reads: [x, scale, shift, alpha ?? scale],
        writes: storages(outputs),
        groups: groupsFor(inputs[0].size),
      });
    },
    l2_normalize: (inputs, outputs, a) => {
      const [n, d] = inputs[0].shape;
      rt.dispatch({
        op: "l2_normalize",
        params: encodeBlock(L2_NORMALIZE_SHADER, { rows: n, d, eps: a.eps }),
        reads: storages(inputs),
        writes: storages(outputs),
        groups: n,
      });
    },
    layer_norm: (inputs, outputs, a) => {
      const d = inputs[1].size;
      const rows = inputs[0].size / d;
      rt.dispatch({
        op: "layer_norm",
        params: encodeBlock(LAYER_NORM_SHADER, { rows, d, eps: a.eps }),
        reads: storages(inputs),
        writes: storages(outputs),
        groups: rows,
      });
    },
    layer_norm_grad: (inputs, outputs) => {
      const d = inputs[2].size;
      const rows = inputs[0].size / d;
      const call = {
        op: "layer_norm_grad" as const,
        params: encodeBlock(LAYER_NORM_SHADER, { rows, d, eps: 0 }),
        reads: storages(inputs),
        writes: storages(outputs),
      };
      rt.dispatch({ ...call, groups: rows });
      rt.dispatch({ ...call, entry: "columns", groups: d });
    },
  };
}
