/**
 * `gelu`: the Gaussian error linear unit (Hendrycks & Gimpel 2016) in its exact form x · Φ(x), Φ the standard normal
 * CDF, as PyTorch's default `nn.GELU()` (approximate="none"). Gradient: Φ(x) + x · φ(x).
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { unarySpec } from "./_elementwise.ts";
import { add } from "./add.ts";
import { mul } from "./mul.ts";
import { normalCdf, normalPdf } from "./normal_cdf.ts";
import { runOp } from "./op.ts";

/** Shape rule and gradient of `gelu`. */
export const geluSpec = unarySpec("gelu", (x, _y, dy) => mul(dy, add(normalCdf(x), mul(x, normalPdf(x)))));

/** GELU, exact (erf) form: x · Φ(x). */
export function gelu(x: Tensor): Tensor {
  return runOp(geluSpec, [x], {})[0];
}
