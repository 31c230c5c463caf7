// reduce_sum: y[o] = Σ over the reduced axes; one workgroup per output element, fixed-order tree reduction.
// Bindings: 0 params (see _reduce.wgsl), 1 x: f32, 2 y: f32[nOut].
//!include _reduce.wgsl

fn reduce_identity() -> f32 {
  return 0.0;
}

fn reduce_step(acc: f32, v: f32) -> f32 {
  return acc + v;
}

fn reduce_tree(li: u32, v: f32) -> f32 {
  return tree_sum(li, v);
}
