/**
 * WebGPU kernels for constants, Threefry dropout masks (bit-identical to `src/core/rng.ts`) and the in-place SGD
 * and AdamW updates.
 * @module
 */
import { adamwScalars } from "../../../core/kernels.ts";
import { ADAMW_SHADER, DROPOUT_SHADER, FILL_SHADER, SGD_SHADER } from "../../../core/param_blocks/mod.ts";
import { encodeBlock } from "../../../core/params.ts";
import type { GpuRuntime } from "../runtime.ts";
import { type GpuTable, groupsFor, storages } from "./common.ts";

/** The bits of `value` as stored by a tensor of `dtype`. */
function bitsOf(value: number, dtype: "f32" | "i32"): number {
  return dtype === "i32" ? value | 0 : new Uint32Array(Float32Array.of(value).buffer)[0];
}

/** The training-support kernels on `rt`. */
export function trainingKernels(rt: GpuRuntime): Pick<GpuTable, "fill" | "dropout" | "sgd_update" | "adamw_update"> {
  return {
    fill: (_inputs, outputs, a) =>
      rt.dispatch({
        op: "fill",
        params: encodeBlock(FILL_SHADER, { n: outputs[0].size, bits: bitsOf(a.value, a.dtype) }),
        reads: [],
        writes: storages(outputs),
        groups: groupsFor(outputs[0].size),
      }),
    dropout: (inputs, outputs, a) => {
      const n = inputs[0].size;
      rt.dispatch({
        op: "dropout",
        params: encodeBlock(DROPOUT_SHADER, {
          n,
          key0: a.key0,
          key1: a.key1,
          offset_lo: a.offset % 4294967296,
          offset_hi: Math.floor(a.offset / 4294967296),
          // keep ⇔ (bits >>> 8) / 2^24 ≥ p ⇔ (bits >>> 8) ≥ ceil(p·2^24): exact, no f32 rounding of p
          threshold: Math.ceil(a.p * 16777216),
          scale: 1 / (1 - a.p),
        }),
        reads: storages(inputs),
        writes: storages(outputs),
        groups: groupsFor(n),
      });
    },
    sgd_update: (inputs, _outputs, a) => {
      const [param, grad, velocity] = storages(inputs);
      rt.dispatch({
        op: "sgd_update",
        params: encodeBlock(SGD_SHADER, {
          n: inputs[0].size,
          nesterov: a.nesterov,
          lr: a.lr,
          momentum: a.momentum,
          weight_decay: a.weightDecay,
        }),
        reads: [grad],
        writes: [param, velocity],
        groups: groupsFor(inputs[0].size),
      });
    },
    adamw_update: (inputs, _outputs, a) => {
      const [param, grad, expAvg, expAvgSq] = storages(inputs);
      rt.dispatch({
        op: "adamw_update",
        params: encodeBlock(ADAMW_SHADER, { n: inputs[0].size, ...adamwScalars(a) }),
        reads: [grad],
        writes: [param, expAvg, expAvgSq],
        groups: groupsFor(inputs[0].size),
      });
    },
  };
}
