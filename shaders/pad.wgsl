// pad: zero padding; y[idx] = x[idx - before] inside the input's window, else 0 (32-bit words of any dtype).
// Bindings: 0 params PadShaderParams {n, rank, out_shape, in_shape, before}, 1 x, 2 y.
// One invocation computes one output element.
//!include _per_element.wgsl
//!include _params_pad_shader_params.wgsl
@group(0) @binding(1) var<storage, read> x: array<u32>;
@group(0) @binding(2) var<storage, read_write> y: array<u32>;

fn element_count() -> u32 {
  return P.n;
}

fn element(i: u32) {
  let rank = P.rank;
  var rem = i;
  var off = 0u;
  var stride = 1u;
  var inside = true;
  for (var j = 0u; j < rank; j++) {
    let d = rank - 1u - j;
    let idx = i32(rem % out_shape_at(d)) - i32(before_at(d));
    rem /= out_shape_at(d);
    let dim = in_shape_at(d);
    inside = inside && idx >= 0 && u32(idx) < dim;
    off += u32(max(idx, 0)) * stride;
    stride *= dim;
  }
  y[i] = select(0u, x[off], inside);
}
