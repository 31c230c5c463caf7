// layer_norm: rows of x[R, D] (D the last axis). Bindings: 0 params {R, D, eps: f32}, 1 x, 2 gamma, 3 beta (read);
// 4 y, 5 mean: f32[R], 6 inv_std: f32[R]. One workgroup per row: two-pass mean and biased variance by fixed-order tree
// reductions, then y = (x - mean) * inv_std * gamma + beta.
//!include _tree.wgsl
//!include _params_layer_norm_shader_params.wgsl
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> gamma: array<f32>;
@group(0) @binding(3) var<storage, read> beta: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;
@group(0) @binding(5) var<storage, read_write> mean: array<f32>;
@group(0) @binding(6) var<storage, read_write> inv_std: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let row = group_id(wid, nwg);
  let d = P.d;
  let base = row * d;
  var s = 0.0;
  for (var j = li; j < d; j += WG) {
    s += x[base + j];
  }
  let mu = tree_sum(li, s) / f32(d);
  var sq = 0.0;
  for (var j = li; j < d; j += WG) {
    let dev = x[base + j] - mu;
    sq += dev * dev;
  }
  let is = 1.0 / sqrt(tree_sum(li, sq) / f32(d) + P.eps);
  for (var j = li; j < d; j += WG) {
    y[base + j] = (x[base + j] - mu) * is * gamma[j] + beta[j];
  }
  if (li == 0u) {
    mean[row] = mu;
    inv_std[row] = is;
  }
}
