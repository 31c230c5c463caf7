// one_hot: y[n, j] = j = idx[n] ? 1 : 0 for y[N, depth] (an out-of-range index gives a zero row).
// Bindings: 0 params {N, depth}, 1 idx: i32 (read), 2 y. One invocation computes one element.
//!include _per_element.wgsl
//!include _params_row_elements_shader_params.wgsl
@group(0) @binding(1) var<storage, read> idx: array<i32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

fn element_count() -> u32 {
  return P.rows * P.cols;
}

fn element(i: u32) {
  let depth = P.cols;
  y[i] = select(0.0, 1.0, idx[i / depth] == i32(i % depth));
}
