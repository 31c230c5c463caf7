/**
 * TF's shape rules the converter needs to know output dims: NumPy broadcasting and a convolution's output size and
 * SAME padding (the odd pixel after, as TF does). Symbolic dims (strings such as the batch "N") stay symbolic.
 * @module
 */
import type { Dim } from "../../src/models/onnx/graph.ts";

/** Numpy broadcasting of two dim lists (symbolic dims taken as compatible); `where` names errors. */
export function broadcast(a: readonly Dim[], b: readonly Dim[], where: string): Dim[] {
  const rank = Math.max(a.length, b.length), out: Dim[] = [];
  for (let k = 0; k < rank; k++) {
    const x = a[a.length - rank + k] ?? 1, y = b[b.length - rank + k] ?? 1;
    if (x === 1) out.push(y);
    else if (y === 1 || x === y || typeof y === "string") out.push(x);
    else if (typeof x === "string") out.push(y);
    else throw new Error(`${where}: cannot broadcast [${a}] with [${b}]`);
  }
  return out;
}

/** Output size of a convolution along one axis (TF rules; `pads` [before, after] for EXPLICIT padding). */
export function convOutSize(
  size: Dim,
  kernel: number,
  stride: number,
  dilation: number,
  padding: string,
  pads: number[],
): Dim {
  if (typeof size === "string") return size;
  const span = dilation * (kernel - 1) + 1;
  if (padding === "SAME") return Math.ceil(size / stride);
  const total = padding === "EXPLICIT" ? pads[0] + pads[1] : 0;
  return Math.floor((size + total - span) / stride) + 1;
}

/** Total SAME padding along one axis of `size` giving `out` positions. */
export function samePadding(size: number, out: number, kernel: number, stride: number, dilation: number): number {
  return Math.max((out - 1) * stride + dilation * (kernel - 1) + 1 - size, 0);
}
