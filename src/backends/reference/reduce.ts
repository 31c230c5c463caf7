/**
 * Reference kernels for reductions and broadcasting.
 * @module
 */
import { stridesOf } from "../../core/shape.ts";
import { forEachBroadcast } from "./elementwise.ts";
import { arr, type RefView } from "./storage.ts";

/** For each input element, the flat index of the output element it reduces into. */
function reductionTargets(shape: readonly number[], axes: readonly number[]): Int32Array {
  const keptStrides = new Array<number>(shape.length).fill(0);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (!axes.includes(d)) {
      keptStrides[d] = s;
      s *= shape[d];
    }
  }
  const inStrides = stridesOf(shape);
  const total = shape.reduce((a, b) => a * b, 1);
  const targets = new Int32Array(total);
  for (let i = 0; i < total; i++) {
    let t = 0;
    for (let d = 0; d < shape.length; d++) t += Math.floor(i / inStrides[d]) % shape[d] * keptStrides[d];
    targets[i] = t;
  }
  return targets;
}

/** Sum over axes, accumulated in float64 in input order. */
export function reduceSumKernel(inputs: readonly RefView[], outputs: readonly RefView[], axes: number[]): void {
  const x = arr(inputs[0]);
  const acc = new Float64Array(outputs[0].size);
  const targets = reductionTargets(inputs[0].shape, axes);
  for (let i = 0; i < x.length; i++) acc[targets[i]] += x[i];
  arr(outputs[0]).set(acc);
}

/** Max over axes. */
export function reduceMaxKernel(inputs: readonly RefView[], outputs: readonly RefView[], axes: number[]): void {
  const x = arr(inputs[0]);
  const acc = new Float64Array(outputs[0].size).fill(-Infinity);
  const targets = reductionTargets(inputs[0].shape, axes);
  for (let i = 0; i < x.length; i++) if (x[i] > acc[targets[i]] || Number.isNaN(x[i])) acc[targets[i]] = x[i];
  arr(outputs[0]).set(acc);
}

/** Broadcast copy to the output shape. */
export function broadcastToKernel(inputs: readonly RefView[], outputs: readonly RefView[]): void {
  const x = arr(inputs[0]);
  const y = arr(outputs[0]);
  forEachBroadcast(outputs[0].shape, [inputs[0].shape], (i, [o]) => {
    y[i] = x[o];
  });
}
