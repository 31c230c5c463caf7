// matmul: C[M, N] = op(A) · op(B); op(A)[i, p] = a[i·aRow + p·aCol], op(B)[p, j] = b[p·bRow + j·bCol].
// Bindings: 0 params {M, N, K, aRow, aCol, bRow, bCol}, 1 a, 2 b, 3 c: f32[M·N].
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
  return a[r * P.a_row + p * P.a_col];
}

fn load_b(p: u32, col: u32, g: u32) -> f32 {
  return b[p * P.b_row + col * P.b_col];
}

fn store_c(r: u32, col: u32, g: u32, v: f32) {
  c[r * P.n + col] = v;
}
