// scatter_add_rows: out[r, :] = Σ_{m: idx[m] = r} src[m, :], summed in m order (a gather over m: no atomics, fixed
// order). Bindings: 0 params {rows·rowSize, rowSize, M}, 1 src, 2 idx: i32 (read), 3 out.
// One invocation computes one output element.
//!include _per_element.wgsl
//!include _params_rows_shader_params.wgsl
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read> idx: array<i32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

fn element_count() -> u32 {
  return P.total;
}

fn element(i: u32) {
  let rs = P.row_size;
  let r = i32(i / rs);
  let j = i % rs;
  var acc = 0.0;
  for (var m = 0u; m < P.rows; m++) {
    if (idx[m] == r) {
      acc += src[m * rs + j];
    }
  }
  out[i] = acc;
}
