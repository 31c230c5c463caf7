// cos: y = cos(x).
// Bindings: 0 params {n}, 1 x: f32[n], 2 y: f32[n]. One invocation computes one element.
//!include _unary.wgsl

fn unary(v: f32) -> f32 {
  return cos(v);
}
