/**
 * WebGPU kernels for batch normalisation, PReLU, the fused channel affine + PReLU, row L2 normalisation and layer
 * normalisation: per-channel / per-row statistics by fixed-order workgroup tree reductions, then an element-wise pass.
 * @module
 */
import {
  BATCH_NORM_SHADER,
  CHANNEL_SHADER,
  L2_NORMALIZE_SHADER,
  LAYER_NORM_SHADER,
} from "../../../core/param_blocks/mod.ts";
import type { NormOpName } from "../../../core/kernels.ts";
import { encodeBlock } from "../../../core/params.ts";
import type { GpuRuntime } from "../runtime.ts";
import { type GpuTable, groupsFor, storages } from "./common.ts";

/** The normalisation kernels on `rt`. */
export function normKernels(rt: GpuRuntime): Pick<GpuTable, NormOpName> {
  return {
    batch_norm: (inputs, outputs, a) => {
      const c = inputs[1].size;
      const m = inputs[0].size / c;
      const [x, gamma, beta, runMean, runVar] = storages(inputs);
      const call = {
        op: "batch_norm" as const,
        params: encodeBlock(BATCH_NORM_SHADER, {
          rows: m,
          c,
          training: a.training,
          momentum: a.momentum,
          eps: a.eps,
        }),
        reads: [x, gamma, beta],
        writes: [runMean, runVar, ...storages(outputs)],
      };
      rt.dispatch({ ...call, entry: "stats", groups: c });
      rt.dispatch({ ...call, groups: groupsFor(inputs[0].size) });
    },
    batch_norm_grad: (inputs, outputs, a) => {
      const c = inputs[2].size;
      const call = {
        op: "batch_norm_grad" as const,
        params: encodeBlock(BATCH_NORM_SHADER, { rows: inputs[0].size / c, c, training: a.training }),
        reads: storages(inputs),
        writes: storages(outputs),
      };
      rt.dispatch({ ...call, entry: "sums", groups: c });
      rt.dispatch({ ...call, groups: groupsFor(inputs[0].size) });
    },
    prelu: (inputs, outputs) =>
      rt.dispatch({
        op: "prelu",
        params: encodeBlock(CHANNEL_SHADER, { n: inputs[0].size, c: inputs[1].size }),
        reads: storages(inputs),
        writes: storages(outputs),
        groups: groupsFor(inputs[0].size),
      }),
    prelu_grad: (inputs, outputs) => {
      const c = inputs[2].size;
      const call = {
        op: "prelu_grad" as const,
        params: encodeBlock(CHANNEL_SHADER, { n: inputs[0].size / c, c }),
        reads: storages(inputs),
        writes: storages(outputs),
      };
      rt.dispatch({ ...call, groups: groupsFor(inputs[0].size) });
      rt.dispatch({ ...call, entry: "alpha_grad", groups: c });
    },
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
