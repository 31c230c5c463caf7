// relu6: y = min(max(x, 0), 6).
// Bindings: 0 params {n}, 1 x: f32[n], 2 y: f32[n]. One invocation computes one element.
//!include _unary.wgsl

fn unary(v: f32) -> f32 {
  return min(max(v, 0.0), 6.0);
}
