// Reduction over arbitrary axes: output element o (one workgroup) reduces R input elements at
// keptOffset(o) + reducedOffset(r); invocation t folds r = t, t + 256, … in order, then a tree reduction.
// Params: 0 nOut, 1 R, 2 rankKept, 3 rankReduced, 4..11 kept shape, 12..19 kept strides, 20..27 reduced shape,
// 28..35 reduced strides. Bindings: 1 x: f32 (read), 2 y: f32[nOut].
//!include _tree.wgsl
//!include _slots.wgsl
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

fn offset_of(i: u32, rank: u32, shape_at: u32, stride_at: u32) -> u32 {
  var rem = i;
  var off = 0u;
  for (var j = 0u; j < rank; j++) {
    let d = rank - 1u - j;
    let dim = pu(shape_at + d);
    off += (rem % dim) * pu(stride_at + d);
    rem /= dim;
  }
  return off;
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let o = group_id(wid, nwg);
  let base = offset_of(o, pu(2u), 4u, 12u);
  var acc = reduce_identity();
  for (var r = li; r < pu(1u); r += WG) {
    acc = reduce_step(acc, x[base + offset_of(r, pu(3u), 20u, 28u)]);
  }
  let total = reduce_tree(li, acc);
  if (li == 0u) {
    y[o] = total;
  }
}
