// mul: y = a * b, NumPy broadcasting.
// Bindings: 0 params {n, rank, shape, strides}, 1 a, 2 b, 3 y: f32[n]. One invocation computes one element.
//!include _binary.wgsl

fn binary(u: f32, v: f32) -> f32 {
  return u * v;
}
