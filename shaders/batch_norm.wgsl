// batch_norm: over x[M, C] (all axes but the last). Bindings: 0 params {M, C, training, momentum: f32, eps: f32},
// 1 x, 2 gamma, 3 beta (read); 4 runMean, 5 runVar (updated in place when training), 6 y, 7 mean, 8 invStd.
// stats: one workgroup per channel; two-pass mean/variance by fixed-order tree reductions, PyTorch running-stat
// update with the unbiased variance. main: one invocation normalises one element.
//!include _per_element.wgsl
//!include _tree.wgsl
//!include _params_batch_norm_shader_params.wgsl
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> gamma: array<f32>;
@group(0) @binding(3) var<storage, read> beta: array<f32>;
@group(0) @binding(4) var<storage, read_write> run_mean: array<f32>;
@group(0) @binding(5) var<storage, read_write> run_var: array<f32>;
@group(0) @binding(6) var<storage, read_write> y: array<f32>;
@group(0) @binding(7) var<storage, read_write> mean: array<f32>;
@group(0) @binding(8) var<storage, read_write> inv_std: array<f32>;

@compute @workgroup_size(256)
fn stats(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
         @builtin(local_invocation_index) li: u32) {
  let ch = group_id(wid, nwg);
  let m = P.rows;
  let c = P.c;
  let training = P.training != 0u;
  let momentum = P.momentum;
  var mu = 0.0;
  var variance = 0.0;
  if (training) {
    var s = 0.0;
    for (var r = li; r < m; r += WG) {
      s += x[r * c + ch];
    }
    mu = tree_sum(li, s) / f32(m);
    var sq = 0.0;
    for (var r = li; r < m; r += WG) {
      let d = x[r * c + ch] - mu;
      sq += d * d;
    }
    variance = tree_sum(li, sq) / f32(m);
  }
  if (li != 0u) {
    return;
  }
  if (training) {
    run_mean[ch] = (1.0 - momentum) * run_mean[ch] + momentum * mu;
    run_var[ch] = (1.0 - momentum) * run_var[ch] + momentum * variance * f32(m) / f32(m - 1u);
  } else {
    mu = run_mean[ch];
    variance = run_var[ch];
  }
  mean[ch] = mu;
  inv_std[ch] = 1.0 / sqrt(variance + P.eps);
}

fn element_count() -> u32 {
  return P.rows * P.c;
}

fn element(i: u32) {
  let ch = i % P.c;
  y[i] = (x[i] - mean[ch]) * inv_std[ch] * gamma[ch] + beta[ch];
}
