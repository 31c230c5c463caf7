// fill: every 32-bit word of y = the value's bits (f32 or i32, encoded by the host).
// Bindings: 0 params {n, bits}, 1 y. One invocation writes one element.
//!include _per_element.wgsl
//!include _params_fill_shader_params.wgsl
@group(0) @binding(1) var<storage, read_write> y: array<u32>;

fn element_count() -> u32 {
  return P.n;
}

fn element(i: u32) {
  y[i] = P.bits;
}
