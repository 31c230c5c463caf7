// NumPy broadcasting (BroadcastShaderParams): rank, output shape, then 8 element strides per input k (0 on broadcast
// axes). bcast_offset(i, k) is the flat offset in input k of output element i.
//!include _common.wgsl
//!include _params_broadcast_shader_params.wgsl

fn bcast_offset(i: u32, k: u32) -> u32 {
  let rank = P.rank;
  var rem = i;
  var off = 0u;
  for (var j = 0u; j < rank; j++) {
    let d = rank - 1u - j;
    let dim = shape_at(d);
    off += (rem % dim) * strides_at(8u * k + d);
    rem /= dim;
  }
  return off;
}
