// Element-wise unary kernel body: y[i] = unary(x[i]) for i < n. Params: UnaryShaderParams (n, attr0, attr1).
// Bindings: 1 x: f32[n] (read), 2 y: f32[n]. One invocation computes one element.
//!include _per_element.wgsl
//!include _params_unary_shader_params.wgsl
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

fn element_count() -> u32 {
  return P.n;
}

fn element(i: u32) {
  y[i] = unary(x[i]);
}
