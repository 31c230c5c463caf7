// The GEMM accessors of matmul and batched_matmul: C[g][M, N] = op(A[g]) · op(B[g]) for batch entry g (the grid's
// group); op(A[g])[i, p] = a[g·aBatch + i·aRow + p·aCol], op(B[g])[p, j] = b[g·bBatch + p·bRow + j·bCol], C contiguous.
// Bindings: 0 params {M, N, K, aRow, aCol, bRow, bCol, aBatch, bBatch}, 1 a, 2 b, 3 c: f32[groups·M·N].
// Tiled GEMM (_gemm.wgsl): one invocation computes a 4×4 block of C.
//!include _gemm.wgsl
//!include _params_matmul_shader_params.wgsl
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;

fn gemm_m() -> u32 {
  return P.m;
}

fn gemm_n() -> u32 {
  return P.n;
}

fn gemm_k() -> u32 {
  return P.k;
}

fn load_a(r: u32, p: u32, g: u32) -> f32 {
  return a[g * P.a_batch + r * P.a_row + p * P.a_col];
}

fn load_b(p: u32, col: u32, g: u32) -> f32 {
  return b[g * P.b_batch + p * P.b_row + col * P.b_col];
}

fn store_c(r: u32, col: u32, g: u32, v: f32) {
  c[(g * P.m + r) * P.n + col] = v;
}
