// gather_row_elements: y[n] = x[n, idx[n]] for x[N, C], idx: i32[N]. Bindings: 0 params {N, C}, 1 x, 2 idx (read),
// 3 y. One invocation computes one element; an index outside [0, C) gives NaN.
//!include _per_element.wgsl
//!include _params_row_elements_shader_params.wgsl
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> idx: array<i32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;

fn element_count() -> u32 {
  return P.rows;
}

fn element(n: u32) {
  let c = P.cols;
  let j = idx[n];
  if (j < 0 || u32(j) >= c) {
    y[n] = nan_f32();
  } else {
    y[n] = x[n * c + u32(j)];
  }
}
