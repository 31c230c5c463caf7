// where: y = cond != 0 ? a : b, all three NumPy-broadcast to y.
// Bindings: 0 params {n, rank, shape, strides of cond, a, b}, 1 cond, 2 a, 3 b, 4 y: f32[n].
// One invocation computes one element.
//!include _per_element.wgsl
//!include _broadcast.wgsl
//!include _params_broadcast_shader_params.wgsl
@group(0) @binding(1) var<storage, read> cond: array<f32>;
@group(0) @binding(2) var<storage, read> a: array<f32>;
@group(0) @binding(3) var<storage, read> b: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;

fn element_count() -> u32 {
  return P.n;
}

fn element(i: u32) {
  let c = cond[bcast_offset(i, 0u)];
  y[i] = select(b[bcast_offset(i, 2u)], a[bcast_offset(i, 1u)], c != 0.0);
}
