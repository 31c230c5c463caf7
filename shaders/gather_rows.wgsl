// gather_rows: y[m, :] = x[idx[m], :] for x[N, rowSize], idx: i32[M]. Bindings: 0 params {M·rowSize, rowSize, N},
// 1 x, 2 idx (read), 3 y. One invocation copies one element; an index outside [0, N) gives NaN.
//!include _per_element.wgsl
//!include _params_rows_shader_params.wgsl
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> idx: array<i32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;

fn element_count() -> u32 {
  return P.total;
}

fn element(i: u32) {
  let rs = P.row_size;
  let r = idx[i / rs];
  if (r < 0 || u32(r) >= P.rows) {
    y[i] = nan_f32();
  } else {
    y[i] = x[u32(r) * rs + i % rs];
  }
}
