// log: y = log(x) (NaN below 0, -inf at 0).
// Bindings: 0 params {n}, 1 x: f32[n], 2 y: f32[n]. One invocation computes one element.
//!include _unary.wgsl

fn unary(v: f32) -> f32 {
  if (v < 0.0) {
    return nan_f32();
  }
  if (v == 0.0) {
    return neg_inf();
  }
  return log(v);
}
