// prelu: y = x > 0 ? x : alpha[c]·x over x[..., C]. Bindings: 0 params {n, C}, 1 x, 2 alpha: f32[C], 3 y.
// One invocation computes one element.
//!include _per_element.wgsl
//!include _params_channel_shader_params.wgsl
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> alpha: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;

fn element_count() -> u32 {
  return P.n;
}

fn element(i: u32) {
  let v = x[i];
  y[i] = select(alpha[i % P.c] * v, v, v > 0.0);
}
