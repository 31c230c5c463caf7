// clamp: y = min(max(x, lo), hi).
// Bindings: 0 params {n, attr0 lo, attr1 hi}, 1 x: f32[n], 2 y: f32[n]. One invocation computes one element.
//!include _unary.wgsl
//!include _params_unary_shader_params.wgsl

fn unary(v: f32) -> f32 {
  return min(max(v, P.attr0), P.attr1);
}
