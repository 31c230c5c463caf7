// affine: y = scale * x + shift.
// Bindings: 0 params {n, 1 scale: f32, 2 shift: f32}, 1 x: f32[n], 2 y: f32[n]. One invocation computes one element.
//!include _unary.wgsl
//!include _slots.wgsl

fn unary(v: f32) -> f32 {
  return pf(1u) * v + pf(2u);
}
