// Element-wise unary kernel body: y[i] = unary(x[i]) for i < n. Params: UnaryShaderParams (n, attr0, attr1).
// Bindings: 1 x: f32[n] (read), 2 y: f32[n]. One invocation computes one element.
//!include _common.wgsl
//!include _params_unary_shader_params.wgsl
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let i = flat_id(wid, nwg, li, 256u);
  if (i < P.n) {
    y[i] = unary(x[i]);
  }
}
