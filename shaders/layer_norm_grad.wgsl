// layer_norm_grad: over x[R, D]. Bindings: 0 params {R, D}, 1 dy, 2 x, 3 gamma, 4 mean, 5 inv_std (read); 6 dx,
// 7 dgamma, 8 dbeta. With x̂ = (x - mean) * inv_std and g = dy * gamma: main, one workgroup per row,
// dx = inv_std * (g - Σg / D - x̂ * Σ(g·x̂) / D); columns, one workgroup per column, dgamma = Σ_rows dy·x̂ and
// dbeta = Σ_rows dy. Every sum is a fixed-order tree reduction.
//!include _tree.wgsl
//!include _params_layer_norm_shader_params.wgsl
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> gamma: array<f32>;
@group(0) @binding(4) var<storage, read> mean: array<f32>;
@group(0) @binding(5) var<storage, read> inv_std: array<f32>;
@group(0) @binding(6) var<storage, read_write> dx: array<f32>;
@group(0) @binding(7) var<storage, read_write> dgamma: array<f32>;
@group(0) @binding(8) var<storage, read_write> dbeta: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let row = group_id(wid, nwg);
  let d = P.d;
  let base = row * d;
  let mu = mean[row];
  let is = inv_std[row];
  var sg = 0.0;
  var sgx = 0.0;
  for (var j = li; j < d; j += WG) {
    let g = dy[base + j] * gamma[j];
    sg += g;
    sgx += g * (x[base + j] - mu) * is;
  }
  let mean_g = tree_sum(li, sg) / f32(d);
  let mean_gx = tree_sum(li, sgx) / f32(d);
  for (var j = li; j < d; j += WG) {
    let xhat = (x[base + j] - mu) * is;
    dx[base + j] = is * (dy[base + j] * gamma[j] - mean_g - xhat * mean_gx);
  }
}

@compute @workgroup_size(256)
fn columns(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
           @builtin(local_invocation_index) li: u32) {
  let col = group_id(wid, nwg);
  let d = P.d;
  var s = 0.0;
  var sx = 0.0;
  for (var r = li; r < P.rows; r += WG) {
    let g = dy[r * d + col];
    s += g;
    sx += g * (x[r * d + col] - mean[r]) * inv_std[r];
  }
  let sum_dy = tree_sum(li, s);
  let sum_dy_xhat = tree_sum(li, sx);
  if (li == 0u) {
    dbeta[col] = sum_dy;
    dgamma[col] = sum_dy_xhat;
  }
}
