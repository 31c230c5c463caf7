// prelu: y = x > 0 ? x : alpha[c]·x over x[..., C]. Bindings: 0 params {n, C}, 1 x, 2 alpha: f32[C], 3 y.
// One invocation computes one element.
//!include _common.wgsl
//!include _params_channel_shader_params.wgsl
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> alpha: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let i = flat_id(wid, nwg, li, 256u);
  if (i < P.n) {
    let v = x[i];
    y[i] = select(alpha[i % P.c] * v, v, v > 0.0);
  }
}
