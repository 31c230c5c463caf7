// Element-wise binary kernel body with broadcasting: y[i] = binary(a[..], b[..]). Params: BroadcastShaderParams.
// Bindings: 1 a: f32 (read), 2 b: f32 (read), 3 y: f32[n]. One invocation computes one element.
//!include _per_element.wgsl
//!include _broadcast.wgsl
//!include _params_broadcast_shader_params.wgsl
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;

fn element_count() -> u32 {
  return P.n;
}

fn element(i: u32) {
  y[i] = binary(a[bcast_offset(i, 0u)], b[bcast_offset(i, 1u)]);
}
