// tanh: y = tanh(x), via exp(-2|x|) so large |x| saturates instead of overflowing.
// Bindings: 0 params {n}, 1 x: f32[n], 2 y: f32[n]. One invocation computes one element.
//!include _unary.wgsl

fn unary(v: f32) -> f32 {
  let e = exp(-2.0 * abs(v));
  return sign(v) * (1.0 - e) / (1.0 + e);
}
