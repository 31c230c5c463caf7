/*
 * Packed, register-blocked SGEMM: a 4x8 micro-kernel (four A values loaded at once and broadcast with shuffles,
 * eight v128 accumulators), A packed per KC block, B packed in KC x NC panels. The default build has no fused
 * multiply-add, so the result is the same on every CPU (see madd in simd.h). Serves matmul (all transpose variants, through strided views) and the
 * convolution kernels.
 */
#include "gemm.h"

/* Stores columns kk..kk+3 of four rows (r0..r3 hold 4 consecutive elements each) as four 4-row columns. */
static inline void store_transposed(float *d, v128_t r0, v128_t r1, v128_t r2, v128_t r3) {
  v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5);
  v128_t t2 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
  wasm_v128_store(d, wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5));
  wasm_v128_store(d + 4, wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7));
  wasm_v128_store(d + 8, wasm_i32x4_shuffle(t2, t3, 0, 1, 4, 5));
  wasm_v128_store(d + 12, wasm_i32x4_shuffle(t2, t3, 2, 3, 6, 7));
}

static void pack_a(MatView a, int m, int p0, int kc, float *dst) {
  for (int i0 = 0; i0 < m; i0 += 4) {
    float *d = dst + i0 * kc;
    int rows = m - i0 < 4 ? m - i0 : 4;
    int kk = 0;
    if (rows == 4 && a.cs == 1) {
      const float *src = a.ptr + i0 * a.rs + p0;
      for (; kk + 4 <= kc; kk += 4) {
        store_transposed(d + kk * 4, wasm_v128_load(src + kk), wasm_v128_load(src + a.rs + kk),
                         wasm_v128_load(src + 2 * a.rs + kk), wasm_v128_load(src + 3 * a.rs + kk));
      }
    }
    for (; kk < kc; kk++) {
      const float *src = a.ptr + (i0 * a.rs) + (p0 + kk) * a.cs;
      for (int r = 0; r < 4; r++) d[kk * 4 + r] = r < rows ? src[r * a.rs] : 0.0f;
    }
  }
}

static void pack_b_block(MatView b, int p0, int j0, int kc, int nc, float *dst) {
  for (int jr = 0; jr < nc; jr += 8) {
    float *d = dst + jr * kc;
    int cols = nc - jr < 8 ? nc - jr : 8;
    for (int kk = 0; kk < kc; kk++) {
      const float *src = b.ptr + (p0 + kk) * b.rs + (j0 + jr) * b.cs;
      if (cols == 8 && b.cs == 1) {
        wasm_v128_store(d + kk * 8, wasm_v128_load(src));
        wasm_v128_store(d + kk * 8 + 4, wasm_v128_load(src + 4));
      } else {
        for (int q = 0; q < 8; q++) d[kk * 8 + q] = q < cols ? src[q * b.cs] : 0.0f;
      }
    }
  }
}

#define FMA_ROW(acc0, acc1, av) \
  acc0 = madd(av, b0, acc0);      \
  acc1 = madd(av, b1, acc1);

static void micro_4x8(int kc, const float *pa, const float *pb, float *c, int ldc, int add, int rows, int cols) {
  v128_t c00 = wasm_f32x4_splat(0.0f), c01 = c00, c10 = c00, c11 = c00;
  v128_t c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (int kk = 0; kk < kc; kk++) {
    v128_t av = wasm_v128_load(pa + kk * 4);
    v128_t b0 = wasm_v128_load(pb + kk * 8);
    v128_t b1 = wasm_v128_load(pb + kk * 8 + 4);
    v128_t a0 = wasm_i32x4_shuffle(av, av, 0, 0, 0, 0);
    v128_t a1 = wasm_i32x4_shuffle(av, av, 1, 1, 1, 1);
    FMA_ROW(c00, c01, a0)
    FMA_ROW(c10, c11, a1)
    v128_t a2 = wasm_i32x4_shuffle(av, av, 2, 2, 2, 2);
    v128_t a3 = wasm_i32x4_shuffle(av, av, 3, 3, 3, 3);
    FMA_ROW(c20, c21, a2)
    FMA_ROW(c30, c31, a3)
  }
  v128_t acc[8] = {c00, c01, c10, c11, c20, c21, c30, c31};
  if (rows == 4 && cols == 8) {
    for (int r = 0; r < 4; r++) {
      float *row = c + r * ldc;
      v128_t lo = acc[2 * r], hi = acc[2 * r + 1];
      if (add) {
        lo = wasm_f32x4_add(wasm_v128_load(row), lo);
        hi = wasm_f32x4_add(wasm_v128_load(row + 4), hi);
      }
      wasm_v128_store(row, lo);
      wasm_v128_store(row + 4, hi);
    }
    return;
  }
  float tile[32];
  for (int q = 0; q < 8; q++) wasm_v128_store(tile + 4 * q, acc[q]);
  for (int r = 0; r < rows; r++) {
    for (int q = 0; q < cols; q++) c[r * ldc + q] = add ? c[r * ldc + q] + tile[r * 8 + q] : tile[r * 8 + q];
  }
}

void gemm_block(int m, int n, int k, MatView a, MatView b, const float *packed, float *c, int ldc, int accumulate,
                float *scratch) {
  if (k == 0) {
    if (!accumulate) {
      for (int i = 0; i < m; i++) zero_floats(c + i * ldc, n);
    }
    return;
  }
  float *pa = scratch;
  int npad = (n + 7) / 8 * 8;
  for (int p0 = 0; p0 < k; p0 += GEMM_KC) {
    int kc = k - p0 < GEMM_KC ? k - p0 : GEMM_KC;
    int add = accumulate || p0 > 0;
    pack_a(a, m, p0, kc, pa);
    for (int j0 = 0; j0 < n; j0 += GEMM_NC) {
      int nc = n - j0 < GEMM_NC ? n - j0 : GEMM_NC;
      const float *pb = packed ? packed + p0 * npad + j0 * kc : scratch + GEMM_MC * GEMM_KC;
      if (!packed) pack_b_block(b, p0, j0, kc, nc, scratch + GEMM_MC * GEMM_KC);
      for (int jr = 0; jr < nc; jr += 8) {
        int cols = nc - jr < 8 ? nc - jr : 8;
        for (int ir = 0; ir < m; ir += 4) {
          int rows = m - ir < 4 ? m - ir : 4;
          micro_4x8(kc, pa + ir * kc, pb + jr * kc, c + ir * ldc + j0 + jr, ldc, add, rows, cols);
        }
      }
    }
  }
}

/*
 * Packs B[K,N] whole for gemm_block (layout: KC-row blocks, each holding its NC-column blocks one after another).
 * p: 0 K, 1 N, 2 B, 3 bRowStride, 4 bColStride, 5 destination. Tasks: KC-row blocks.
 */
KERNEL(pack_b) {
  (void)scratch;
  int k = PI(0), n = PI(1), npad = (n + 7) / 8 * 8;
  MatView b = {PTR(2), PI(3), PI(4)};
  float *dst = PTR(5);
  for (int t = t0; t < t1; t++) {
    int p0 = t * GEMM_KC, kc = k - p0 < GEMM_KC ? k - p0 : GEMM_KC;
    for (int j0 = 0; j0 < n; j0 += GEMM_NC) {
      int nc = n - j0 < GEMM_NC ? n - j0 : GEMM_NC;
      pack_b_block(b, p0, j0, kc, nc, dst + p0 * npad + j0 * kc);
    }
  }
}

/*
 * matmul: C[M,N] = op(A) . op(B). p: M, N, K, A, aRowStride, aColStride, B, bRowStride, bColStride, C, packed B
 * (from pack_b). Task t computes rows [t*GEMM_MC, (t+1)*GEMM_MC).
 */
KERNEL(matmul) {
  int m = PI(0), n = PI(1), k = PI(2);
  MatView a = {PTR(3), PI(4), PI(5)};
  MatView b = {PTR(6), PI(7), PI(8)};
  float *c = PTR(9);
  const float *packed = PTR(10);
  for (int t = t0; t < t1; t++) {
    int r0 = t * GEMM_MC;
    int rows = m - r0 < GEMM_MC ? m - r0 : GEMM_MC;
    MatView at = {a.ptr + r0 * a.rs, a.rs, a.cs};
    gemm_block(rows, n, k, at, b, packed, c + r0 * n, n, 0, scratch);
  }
}
