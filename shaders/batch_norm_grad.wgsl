// batch_norm_grad: over x[M, C]. Bindings: 0 params {M, C, training}, 1 dy, 2 x, 3 gamma, 4 mean, 5 invStd (read);
// 6 dx, 7 dgamma, 8 dbeta. sums: one workgroup per channel, dbeta = Σ dy and dgamma = Σ dy·x̂ by fixed-order tree
// reductions. main: one invocation computes one dx element from those sums.
//!include _per_element.wgsl
//!include _tree.wgsl
//!include _params_batch_norm_shader_params.wgsl
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> gamma: array<f32>;
@group(0) @binding(4) var<storage, read> mean: array<f32>;
@group(0) @binding(5) var<storage, read> inv_std: array<f32>;
@group(0) @binding(6) var<storage, read_write> dx: array<f32>;
@group(0) @binding(7) var<storage, read_write> dgamma: array<f32>;
@group(0) @binding(8) var<storage, read_write> dbeta: array<f32>;

@compute @workgroup_size(256)
fn sums(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let ch = group_id(wid, nwg);
  let m = P.rows;
  let c = P.c;
  var s = 0.0;
  var sx = 0.0;
  for (var r = li; r < m; r += WG) {
    let g = dy[r * c + ch];
    s += g;
    sx += g * (x[r * c + ch] - mean[ch]) * inv_std[ch];
  }
  let sum_dy = tree_sum(li, s);
  let sum_dy_xhat = tree_sum(li, sx);
  if (li == 0u) {
    dbeta[ch] = sum_dy;
    dgamma[ch] = sum_dy_xhat;
  }
}

fn element_count() -> u32 {
  return P.rows * P.c;
}

fn element(i: u32) {
  let m = P.rows;
  let ch = i % P.c;
  let k = gamma[ch] * inv_std[ch];
  if (P.training == 0u) {
    dx[i] = k * dy[i];
    return;
  }
  let xhat = (x[i] - mean[ch]) * inv_std[ch];
  dx[i] = k * (dy[i] - dbeta[ch] / f32(m) - xhat * dgamma[ch] / f32(m));
}
