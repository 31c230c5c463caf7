// reduce_max: y[o] = max over the reduced axes (NaN propagates, -inf when empty); one workgroup per output
// element, tree reduction. Bindings: 0 params (see _reduce.wgsl), 1 x: f32, 2 y: f32[nOut].
//!include _reduce.wgsl

fn reduce_identity() -> f32 {
  return neg_inf();
}

fn reduce_step(acc: f32, v: f32) -> f32 {
  return max_nan(acc, v);
}

fn reduce_tree(li: u32, v: f32) -> f32 {
  return tree_max(li, v);
}
