// scatter_row_elements: out[n, j] = j = idx[n] ? v[n] : 0 for out[N, columns]. Bindings: 0 params {N, columns},
// 1 v, 2 idx: i32 (read), 3 out. One invocation computes one output element.
//!include _per_element.wgsl
//!include _params_row_elements_shader_params.wgsl
@group(0) @binding(1) var<storage, read> v: array<f32>;
@group(0) @binding(2) var<storage, read> idx: array<i32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

fn element_count() -> u32 {
  return P.rows * P.cols;
}

fn element(i: u32) {
  let c = P.cols;
  let n = i / c;
  out[i] = select(0.0, v[n], idx[n] == i32(i % c));
}
