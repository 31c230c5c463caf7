// clamp: y = min(max(x, lo), hi).
// Bindings: 0 params {n, 1 lo: f32, 2 hi: f32}, 1 x: f32[n], 2 y: f32[n]. One invocation computes one element.
//!include _unary.wgsl
//!include _slots.wgsl

fn unary(v: f32) -> f32 {
  return min(max(v, pf(1u)), pf(2u));
}
