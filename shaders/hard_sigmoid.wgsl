// hard_sigmoid: y = min(max(x / 6 + 0.5, 0), 1).
// Bindings: 0 params {n}, 1 x: f32[n], 2 y: f32[n]. One invocation computes one element.
//!include _unary.wgsl

fn unary(v: f32) -> f32 {
  return min(max(v / 6.0 + 0.5, 0.0), 1.0);
}
