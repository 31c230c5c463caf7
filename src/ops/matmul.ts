/**
 * `matmul`: C = op(A) · op(B) for 2-D operands, with transpose flags (so backward needs no explicit transposes).
 * @module
 */
import { assertRank, formatShape, ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { expectDType, expectInputCount, type OpSpec, runOp } from "./op.ts";

/** Shape rule and gradient of `matmul`. */
export const matmulSpec: OpSpec<"matmul"> = {
  name: "matmul",
  outputs(inputs, { transposeA, transposeB }) {
    expectInputCount("matmul", inputs, 2);
    const [a, b] = inputs;
    expectDType("matmul", "a", a, "f32");
    expectDType("matmul", "b", b, "f32");
    assertRank("matmul", "a", a.shape, 2, transposeA ? "[K, M]" : "[M, K]");
    assertRank("matmul", "b", b.shape, 2, transposeB ? "[N, K]" : "[K, N]");
    const [m, k] = transposeA ? [a.shape[1], a.shape[0]] : a.shape;
    const [kb, n] = transposeB ? [b.shape[1], b.shape[0]] : b.shape;
    if (k !== kb) {
      throw new ShapeError(
        "matmul",
        "b",
        `expected ${k} along its K axis to match a ${formatShape(a.shape)}${transposeA ? "ᵀ" : ""}, got ${
          formatShape(b.shape)
        }${transposeB ? "ᵀ" : ""}`,
      );
    }
    return [{ shape: [m, n], dtype: "f32" }];
  },
  grad: ({ inputs: [a, b], grads: [dc], attrs: { transposeA: ta, transposeB: tb } }) => {
    const g = dc!;
    if (!ta && !tb) return [matmul(g, b, false, true), matmul(a, g, true, false)];
    if (!ta && tb) return [matmul(g, b, false, false), matmul(g, a, true, false)];
    if (ta && !tb) return [matmul(b, g, false, true), matmul(a, g, false, false)];
    return [matmul(b, g, true, true), matmul(g, a, true, true)];
  },
};

/** Matrix product op(a) · op(b), where op transposes when its flag is set. */
export function matmul(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  return runOp(matmulSpec, [a, b], { transposeA, transposeB })[0];
}
