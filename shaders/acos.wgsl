// acos: y = acos(x) (NaN outside [-1, 1]).
// Bindings: 0 params {n}, 1 x: f32[n], 2 y: f32[n]. One invocation computes one element.
//!include _unary.wgsl

fn unary(v: f32) -> f32 {
  if (abs(v) > 1.0) {
    return nan_f32();
  }
  return acos(v);
}
