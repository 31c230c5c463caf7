// Reduction over arbitrary axes: output element o (one workgroup) reduces R input elements at
// keptOffset(o) + reducedOffset(r); invocation t folds r = t, t + 256, … in order, then a tree reduction.
// Params: ReduceShaderParams (R = reduced). Bindings: 1 x: f32 (read), 2 y: f32[nOut].
//!include _tree.wgsl
//!include _params_reduce_shader_params.wgsl
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

// Flat input offset of index i over the kept axes (`reduced` false) or the reduced axes (true).
fn offset_of(i: u32, reduced: bool) -> u32 {
  let rank = select(P.kept_rank, P.reduced_rank, reduced);
  var rem = i;
  var off = 0u;
  for (var j = 0u; j < rank; j++) {
    let d = rank - 1u - j;
    let dim = select(kept_shape_at(d), reduced_shape_at(d), reduced);
    off += (rem % dim) * select(kept_strides_at(d), reduced_strides_at(d), reduced);
    rem /= dim;
  }
  return off;
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let o = group_id(wid, nwg);
  let base = offset_of(o, false);
  var acc = reduce_identity();
  for (var r = li; r < P.reduced; r += WG) {
    acc = reduce_step(acc, x[base + offset_of(r, true)]);
  }
  let total = reduce_tree(li, acc);
  if (li == 0u) {
    y[o] = total;
  }
}
