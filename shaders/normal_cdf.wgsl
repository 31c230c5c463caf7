// normal_cdf: y = Φ(x), the standard normal CDF, as _normal_cdf.wgsl approximates it.
// Bindings: 0 params {n}, 1 x: f32[n], 2 y: f32[n]. One invocation computes one element.
//!include _unary.wgsl
//!include _normal_cdf.wgsl

fn unary(v: f32) -> f32 {
  return normal_cdf_f32(v);
}
