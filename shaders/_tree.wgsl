// Fixed-order workgroup tree reductions over 256 invocations: invocation i holds a partial value, pairs
// (i, i + s) are combined for s = 128, 64, …, 1, so the result is bit-identical run to run.
// Call from uniform control flow with every invocation of the workgroup.
//!include _common.wgsl
const WG: u32 = 256u;
var<workgroup> tree: array<f32, 256>;

fn tree_sum(li: u32, v: f32) -> f32 {
  tree[li] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (li < s) {
      tree[li] = tree[li] + tree[li + s];
    }
    workgroupBarrier();
  }
  let r = tree[0];
  workgroupBarrier();
  return r;
}

fn tree_max(li: u32, v: f32) -> f32 {
  tree[li] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (li < s) {
      tree[li] = max_nan(tree[li], tree[li + s]);
    }
    workgroupBarrier();
  }
  let r = tree[0];
  workgroupBarrier();
  return r;
}
