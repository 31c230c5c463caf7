// gelu: y = x · Φ(x) (exact erf form, as PyTorch's default nn.GELU()); Φ as _normal_cdf.wgsl approximates it.
// Bindings: 0 params {n}, 1 x: f32[n], 2 y: f32[n]. One invocation computes one element.
//!include _unary.wgsl
//!include _normal_cdf.wgsl

fn unary(v: f32) -> f32 {
  return v * normal_cdf_f32(v);
}
