// Strided copy of raw 32-bit words (any dtype): for every index of an iteration shape,
// dst[dstBase + Σ idx·dstStride] = src[srcBase + Σ idx·srcStride].
// Params: CopyShaderParams.
// Bindings: 1 src: u32 (read), 2 dst: u32. One invocation copies one element.
//!include _per_element.wgsl
//!include _params_copy_shader_params.wgsl
@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read_write> dst: array<u32>;

fn element_count() -> u32 {
  return P.n;
}

fn element(i: u32) {
  let rank = P.rank;
  var rem = i;
  var s = P.src_base;
  var t = P.dst_base;
  for (var j = 0u; j < rank; j++) {
    let d = rank - 1u - j;
    let dim = shape_at(d);
    let idx = rem % dim;
    rem /= dim;
    s += idx * src_strides_at(d);
    t += idx * dst_strides_at(d);
  }
  dst[t] = src[s];
}
