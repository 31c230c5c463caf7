// one_hot: y[n, j] = j = idx[n] ? 1 : 0 for y[N, depth] (an out-of-range index gives a zero row).
// Bindings: 0 params {N, depth}, 1 idx: i32 (read), 2 y. One invocation computes one element.
//!include _common.wgsl
//!include _params_row_elements_shader_params.wgsl
@group(0) @binding(1) var<storage, read> idx: array<i32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let i = flat_id(wid, nwg, li, 256u);
  let depth = P.cols;
  if (i < P.rows * depth) {
    y[i] = select(0.0, 1.0, idx[i / depth] == i32(i % depth));
  }
}
