/**
 * `normal_cdf`: the standard normal CDF Φ(x) = (1 + erf(x / √2)) / 2, element-wise; its derivative, the density
 * φ(x) = e^{−x²/2} / √(2π), is {@link normalPdf}. GELU's gradient is built from both.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { unarySpec } from "./_elementwise.ts";
import { affine } from "./affine.ts";
import { exp } from "./exp.ts";
import { mul } from "./mul.ts";
import { runOp } from "./op.ts";

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** The standard normal density φ(x) = e^{−x²/2} / √(2π), composed of other ops. */
export function normalPdf(x: Tensor): Tensor {
  return affine(exp(affine(mul(x, x), -0.5, 0)), INV_SQRT_2PI, 0);
}

/** Shape rule and gradient of `normal_cdf` (dΦ/dx = φ(x)). */
export const normalCdfSpec = unarySpec("normal_cdf", (x, _y, dy) => mul(dy, normalPdf(x)));

/** Φ(x), the standard normal CDF, element-wise. */
export function normalCdf(x: Tensor): Tensor {
  return runOp(normalCdfSpec, [x], {})[0];
}
