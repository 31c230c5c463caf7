// minimum: y = min(a, b) (NaN if either is NaN), NumPy broadcasting.
// Bindings: 0 params {n, rank, shape, strides}, 1 a, 2 b, 3 y: f32[n]. One invocation computes one element.
//!include _binary.wgsl

fn binary(u: f32, v: f32) -> f32 {
  if (is_nan(u) || is_nan(v)) {
    return nan_f32();
  }
  return min(u, v);
}
