// fill: every 32-bit word of y = the value's bits (f32 or i32, encoded by the host).
// Bindings: 0 params {n, bits}, 1 y. One invocation writes one element.
//!include _common.wgsl
//!include _params_fill_shader_params.wgsl
@group(0) @binding(1) var<storage, read_write> y: array<u32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let i = flat_id(wid, nwg, li, 256u);
  if (i < P.n) {
    y[i] = P.bits;
  }
}
