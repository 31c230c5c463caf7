// pad: zero padding; y[idx] = x[idx - before] inside the input's window, else 0 (32-bit words of any dtype).
// Bindings: 0 params {n, rank, 2..9 out shape, 10..17 in shape, 18..25 before}, 1 x, 2 y.
// One invocation computes one output element.
//!include _common.wgsl
//!include _slots.wgsl
@group(0) @binding(1) var<storage, read> x: array<u32>;
@group(0) @binding(2) var<storage, read_write> y: array<u32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let i = flat_id(wid, nwg, li, 256u);
  if (i >= pu(0u)) {
    return;
  }
  let rank = pu(1u);
  var rem = i;
  var off = 0u;
  var stride = 1u;
  var inside = true;
  for (var j = 0u; j < rank; j++) {
    let d = rank - 1u - j;
    let idx = i32(rem % pu(2u + d)) - pi(18u + d);
    rem /= pu(2u + d);
    let dim = pu(10u + d);
    inside = inside && idx >= 0 && u32(idx) < dim;
    off += u32(max(idx, 0)) * stride;
    stride *= dim;
  }
  y[i] = select(0u, x[off], inside);
}
