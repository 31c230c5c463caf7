/**
 * Shared builders for element-wise ops: unary ops keep the input shape; binary ops broadcast (NumPy rules)
 * and reduce each gradient back to its input's shape.
 * @module
 */
import type { BinaryOpName, KernelAttrs, UnaryOpName } from "../core/kernels.ts";
import { broadcastShapes, sameShape } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { expectDType, expectInputCount, type OpSpec } from "./op.ts";
import { reduceSum } from "./reduce_sum.ts";
import { reshape } from "./reshape.ts";

/**
 * Defines a unary op. `grad(x, y, dy, attrs)` returns dL/dx.
 */
export function unarySpec<K extends UnaryOpName>(
  name: K,
  grad: (x: Tensor, y: Tensor, dy: Tensor, attrs: KernelAttrs[K]) => Tensor,
): OpSpec<K> {
  return {
    name,
    outputs(inputs) {
      expectInputCount(name, inputs, 1);
      expectDType(name, "x", inputs[0], "f32");
      return [{ shape: inputs[0].shape, dtype: "f32" }];
    },
    grad: ({ inputs, outputs, grads, attrs }) => [grad(inputs[0], outputs[0], grads[0]!, attrs)],
  };
}

/** Sums a broadcast gradient back to `shape` (the inverse of broadcasting). */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const offset = g.shape.length - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.shape.length; i++) {
    if (i < offset || (shape[i - offset] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const summed = axes.length > 0 ? reduceSum(g, axes) : g;
  return reshape(summed, shape);
}

/**
 * Defines a binary broadcasting op. `grad(a, b, y, dy)` returns the gradients at the broadcast shape (or null
 * for none); they are summed back to each input's shape here. Without `grad`, the op is not differentiable.
 */
export function binarySpec<K extends BinaryOpName>(
  name: K,
  grad?: (a: Tensor, b: Tensor, y: Tensor, dy: Tensor) => [Tensor | null, Tensor | null],
): OpSpec<K> {
  return {
    name,
    outputs(inputs) {
      expectInputCount(name, inputs, 2);
      expectDType(name, "a", inputs[0], "f32");
      expectDType(name, "b", inputs[1], "f32");
      return [{ shape: broadcastShapes(name, inputs[0].shape, inputs[1].shape), dtype: "f32" }];
    },
    grad: grad && (({ inputs: [a, b], outputs: [y], grads: [dy] }) => {
      const [da, db] = grad(a, b, y, dy!);
      return [da && sumToShape(da, a.shape), db && sumToShape(db, b.shape)];
    }),
  };
}
