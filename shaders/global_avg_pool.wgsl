// global_avg_pool: y[N, C] = mean of x[N, H·W, C] over H·W. Bindings: 0 params {N, HW, C}, 1 x, 2 y.
// One workgroup per (n, c): a fixed-order tree reduction over the plane.
//!include _tree.wgsl
//!include _params_global_pool_shader_params.wgsl
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let o = group_id(wid, nwg);
  let hw = P.hw;
  let c = P.c;
  let ch = o % c;
  let base = (o / c) * hw * c + ch;
  var s = 0.0;
  for (var p = li; p < hw; p += WG) {
    s += x[base + p * c];
  }
  let total = tree_sum(li, s);
  if (li == 0u) {
    y[o] = total / f32(hw);
  }
}
