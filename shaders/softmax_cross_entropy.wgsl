// softmax_cross_entropy: logits[N, C], labels: i32[N] → loss[N] = lse − (1−s)·x[label] − (s/C)·Σx, probs[N, C].
// Bindings: 0 params {N, C, smoothing: f32}, 1 logits, 2 labels (read), 3 loss, 4 probs. One workgroup per row;
// max, Σ exp and Σ x are fixed-order tree reductions. A label outside [0, C) gives a NaN loss.
//!include _tree.wgsl
//!include _params_softmax_xent_shader_params.wgsl
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> labels: array<i32>;
@group(0) @binding(3) var<storage, read_write> loss: array<f32>;
@group(0) @binding(4) var<storage, read_write> probs: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let row = group_id(wid, nwg);
  let c = P.c;
  let base = row * c;
  var m = neg_inf();
  var sx = 0.0;
  for (var j = li; j < c; j += WG) {
    m = max_nan(m, x[base + j]);
    sx += x[base + j];
  }
  let row_max = tree_max(li, m);
  let sum_x = tree_sum(li, sx);
  var s = 0.0;
  for (var j = li; j < c; j += WG) {
    s += exp(x[base + j] - row_max);
  }
  let lse = row_max + log(tree_sum(li, s));
  for (var j = li; j < c; j += WG) {
    probs[base + j] = exp(x[base + j] - lse);
  }
  if (li == 0u) {
    let label = labels[row];
    let eps = P.smoothing;
    if (label < 0 || u32(label) >= c) {
      loss[row] = nan_f32();
    } else {
      loss[row] = lse - (1.0 - eps) * x[base + u32(label)] - (eps / f32(c)) * sum_x;
    }
  }
}
