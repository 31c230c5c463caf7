// l2_normalize: rows of x[N, D]: norm = max(‖x‖, eps), y = x / norm. Bindings: 0 params {N, D, eps: f32}, 1 x,
// 2 y, 3 norm: f32[N]. One workgroup per row; the squared norm is a fixed-order tree reduction.
//!include _tree.wgsl
//!include _params_l2_normalize_shader_params.wgsl
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> norm: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let row = group_id(wid, nwg);
  let d = P.d;
  let base = row * d;
  var sq = 0.0;
  for (var j = li; j < d; j += WG) {
    sq += x[base + j] * x[base + j];
  }
  let nr = max(sqrt(tree_sum(li, sq)), P.eps);
  for (var j = li; j < d; j += WG) {
    y[base + j] = x[base + j] / nr;
  }
  if (li == 0u) {
    norm[row] = nr;
  }
}
