// affine: y = scale * x + shift.
// Bindings: 0 params {n, attr0 scale, attr1 shift}, 1 x: f32[n], 2 y: f32[n]. One invocation computes one element.
//!include _unary.wgsl
//!include _params_unary_shader_params.wgsl

fn unary(v: f32) -> f32 {
  return P.attr0 * v + P.attr1;
}
