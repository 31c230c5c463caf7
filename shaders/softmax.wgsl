// softmax: along the last axis, y = exp(x − lse). Bindings: 0 params {rows, len}, 1 x, 2 y.
// One workgroup per row (_softmax_rows.wgsl).
//!include _softmax_rows.wgsl

fn finish(v: f32, lse: f32) -> f32 {
  return exp(v - lse);
}
