// channel_affine_prelu: z = x·scale[c] + shift[c] over x[..., C], then z > 0 ? z : alpha[c]·z when the PReLU flag
// is set. Bindings: 0 params {n, C, prelu}, 1 x, 2 scale, 3 shift, 4 alpha (any [C] buffer when prelu = 0), 5 y.
// One invocation computes one element.
//!include _per_element.wgsl
//!include _params_channel_shader_params.wgsl
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> scale: array<f32>;
@group(0) @binding(3) var<storage, read> shift: array<f32>;
@group(0) @binding(4) var<storage, read> alpha: array<f32>;
@group(0) @binding(5) var<storage, read_write> y: array<f32>;

fn element_count() -> u32 {
  return P.n;
}

fn element(i: u32) {
  let ch = i % P.c;
  let z = x[i] * scale[ch] + shift[ch];
  y[i] = select(z, select(alpha[ch] * z, z, z > 0.0), P.prelu != 0u);
}
