/**
 * Parameter blocks of the unary element-wise kernels (wasm-simd/elementwise.c, `shaders/_unary.wgsl`). The two
 * attributes are the op's attributes in declaration order: pow (exponent), clamp (min, max), affine (scale, shift);
 * 0 for the other ops.
 * @module
 */
import { paramBlock } from "../params.ts";

/** wasm unary kernels: y[0:n] = op(x), attributes in double precision. */
export const UNARY_KERNEL = paramBlock("UnaryParams", "Parameters of the wasm unary kernels.", ["c"], {
  x: "ptr",
  y: "ptr",
  n: "u32",
  attr0: "f64",
  attr1: "f64",
});

/** WebGPU unary shaders: n elements, attributes as f32. */
export const UNARY_SHADER = paramBlock("UnaryShaderParams", "Uniform parameters of the unary shaders.", ["wgsl"], {
  n: "u32",
  attr0: "f32",
  attr1: "f32",
});
