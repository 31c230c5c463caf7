// NumPy broadcasting: params 1 rank, 2..9 output shape, 10+8k..17+8k element strides of input k (0 on broadcast
// axes). bcast_offset(i, k) is the flat offset in input k of output element i.
//!include _common.wgsl
//!include _slots.wgsl

fn bcast_offset(i: u32, k: u32) -> u32 {
  let rank = pu(1u);
  var rem = i;
  var off = 0u;
  for (var j = 0u; j < rank; j++) {
    let d = rank - 1u - j;
    let dim = pu(2u + d);
    off += (rem % dim) * pu(10u + 8u * k + d);
    rem /= dim;
  }
  return off;
}
