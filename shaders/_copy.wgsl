// Strided copy of raw 32-bit words (any dtype): for every index of an iteration shape,
// dst[dstBase + Σ idx·dstStride] = src[srcBase + Σ idx·srcStride].
// Params: 0 n, 1 rank, 2..9 shape, 10..17 src strides, 18..25 dst strides, 26 srcBase, 27 dstBase.
// Bindings: 1 src: u32 (read), 2 dst: u32. One invocation copies one element.
//!include _common.wgsl
//!include _slots.wgsl
@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read_write> dst: array<u32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let i = flat_id(wid, nwg, li, 256u);
  if (i >= pu(0u)) {
    return;
  }
  let rank = pu(1u);
  var rem = i;
  var s = pu(26u);
  var t = pu(27u);
  for (var j = 0u; j < rank; j++) {
    let d = rank - 1u - j;
    let dim = pu(2u + d);
    let idx = rem % dim;
    rem /= dim;
    s += idx * pu(10u + d);
    t += idx * pu(18u + d);
  }
  dst[t] = src[s];
}
