// Row softmax body over x[R, L] (last axis): one workgroup per row; max and Σ exp(x − max) are fixed-order tree
// reductions, lse = max + log Σ, and every element is written as finish(x, lse).
// Params: SoftmaxShaderParams (rows R, len L). Bindings: 1 x (read), 2 y.
//!include _tree.wgsl
//!include _params_softmax_shader_params.wgsl
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let len = P.len;
  let base = group_id(wid, nwg) * len;
  var m = neg_inf();
  for (var j = li; j < len; j += WG) {
    m = max_nan(m, x[base + j]);
  }
  let row_max = tree_max(li, m);
  var s = 0.0;
  for (var j = li; j < len; j += WG) {
    s += exp(x[base + j] - row_max);
  }
  let lse = row_max + log(tree_sum(li, s));
  for (var j = li; j < len; j += WG) {
    y[base + j] = finish(x[base + j], lse);
  }
}
