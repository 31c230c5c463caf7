/*
 * Packed, register-blocked SGEMM: a 4x8 micro-kernel (four A values loaded at once and broadcast with shuffles,
 * eight v128 accumulators), A packed per KC block, B packed in KC x NC panels. The default build has no fused
 * multiply-add, so the result is the same on every CPU (see madd in simd.h). Serves matmul and batched_matmul (all transpose variants, through strided views) and the
 * convolution kernels.
 */
#include "gemm.h"

static void pack_a(MatView a, int m, int p0, int kc, float *dst) {
  for (int i0 = 0; i0 < m; i0 += 4) {
    float *d = dst + i0 * kc;
    int rows = min_int(m - i0, 4);
    int kk = 0;
    if (rows == 4 && a.cs == 1) {
      const float *src = a.ptr + i0 * a.rs + p0;
      for (; kk + 4 <= kc; kk += 4) {
        store_4x4_transposed(d + kk * 4, wasm_v128_load(src + kk), wasm_v128_load(src + a.rs + kk),
                             wasm_v128_load(src + 2 * a.rs + kk), wasm_v128_load(src + 3 * a.rs + kk));
      }
    } else if (rows == 4 && a.rs == 1) {
      /* A transposed (the filter gradient's im2col^T): the 4 rows of a column are contiguous */
      const float *src = a.ptr + i0 + p0 * a.cs;
      for (; kk < kc; kk++) wasm_v128_store(d + kk * 4, wasm_v128_load(src + kk * a.cs));
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
    int cols = min_int(nc - jr, 8);
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

/* Rows [p0, p0 + kc) of B, all n columns, packed as gemm_block reads one K block of a whole packed B (at dst). */
static void pack_b_kblock(MatView b, int p0, int kc, int n, float *dst) {
  for (int j0 = 0; j0 < n; j0 += GEMM_NC) pack_b_block(b, p0, j0, kc, min_int(n - j0, GEMM_NC), dst + j0 * kc);
}

#define FMA_ROW(acc0, acc1, av) \
  acc0 = madd(av, b0, acc0);      \
  acc1 = madd(av, b1, acc1);

/* Loads the 4x8 tile of C into acc (zero-filled outside rows x cols), or zeros when !add. */
static inline void load_tile(const float *c, int ldc, int add, int rows, int cols, v128_t acc[8]) {
  if (!add) {
    for (int q = 0; q < 8; q++) acc[q] = wasm_f32x4_splat(0.0f);
    return;
  }
  if (rows == 4 && cols == 8) {
    for (int r = 0; r < 4; r++) {
      acc[2 * r] = wasm_v128_load(c + r * ldc);
      acc[2 * r + 1] = wasm_v128_load(c + r * ldc + 4);
    }
    return;
  }
  float tile[32];
  for (int r = 0; r < 4; r++) {
    for (int q = 0; q < 8; q++) tile[r * 8 + q] = r < rows && q < cols ? c[r * ldc + q] : 0.0f;
  }
  for (int q = 0; q < 8; q++) acc[q] = wasm_v128_load(tile + 4 * q);
}

/* C[4x8 tile] = C (when add) + A panel . B micro-panel, summed over kk in ascending order from C's value. */
static void micro_4x8(int kc, const float *pa, const float *pb, float *c, int ldc, int add, int rows, int cols) {
  v128_t acc[8];
  load_tile(c, ldc, add, rows, cols, acc);
  v128_t c00 = acc[0], c01 = acc[1], c10 = acc[2], c11 = acc[3];
  v128_t c20 = acc[4], c21 = acc[5], c30 = acc[6], c31 = acc[7];
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
  v128_t out[8] = {c00, c01, c10, c11, c20, c21, c30, c31};
  if (rows == 4 && cols == 8) {
    for (int r = 0; r < 4; r++) {
      wasm_v128_store(c + r * ldc, out[2 * r]);
      wasm_v128_store(c + r * ldc + 4, out[2 * r + 1]);
    }
    return;
  }
  float tile[32];
  for (int q = 0; q < 8; q++) wasm_v128_store(tile + 4 * q, out[q]);
  for (int r = 0; r < rows; r++) {
    for (int q = 0; q < cols; q++) c[r * ldc + q] = tile[r * 8 + q];
  }
}

/*
 * The blocked product behind gemm_block and gemm_block_packed_a: A comes either packed whole (`pa_whole`, panel
 * stride 4k) or as a view packed here per K block into scratch (panel stride 4kc).
 */
static void gemm_blocked(int m, int n, int k, MatView a, const float *pa_whole, MatView b, const float *packed,
                         float *c, int ldc, int accumulate, float *scratch, int n0, int n1) {
  if (k == 0) {
    if (!accumulate) {
      for (int i = 0; i < m; i++) zero_floats(c + i * ldc + n0, n1 - n0);
    }
    return;
  }
  int npad = panel_columns(n), kstep = gemm_kstep(k);
  for (int p0 = 0; p0 < k; p0 += kstep) {
    int kc = min_int(k - p0, kstep);
    int add = accumulate || p0 > 0;
    const float *pa = pa_whole ? pa_whole + p0 * 4 : scratch;
    int panel = pa_whole ? 4 * k : 4 * kc;
    if (!pa_whole) pack_a(a, m, p0, kc, scratch);
    for (int j0 = 0; j0 < n; j0 += GEMM_NC) {
      int nc = min_int(n - j0, GEMM_NC);
      if (j0 + nc <= n0 || j0 >= n1) continue;
      const float *pb = packed ? packed + p0 * npad + j0 * kc : scratch + GEMM_MC * GEMM_KC;
      if (!packed) pack_b_block(b, p0, j0, kc, nc, scratch + GEMM_MC * GEMM_KC);
      for (int jr = max_int(n0 - j0, 0); jr < nc && j0 + jr < n1; jr += 8) {
        int cols = min_int(min_int(nc - jr, 8), n1 - j0 - jr);
        for (int ir = 0; ir < m; ir += 4) {
          int rows = min_int(m - ir, 4);
          micro_4x8(kc, pa + ir / 4 * panel, pb + jr * kc, c + ir * ldc + j0 + jr, ldc, add, rows, cols);
        }
      }
    }
  }
}

void gemm_block(int m, int n, int k, MatView a, MatView b, const float *packed, float *c, int ldc, int accumulate,
                float *scratch) {
  gemm_blocked(m, n, k, a, 0, b, packed, c, ldc, accumulate, scratch, 0, n);
}

void gemm_block_cols(int m, int n, int k, MatView a, MatView b, const float *packed, float *c, int ldc, int accumulate,
                     float *scratch, int n0, int n1) {
  gemm_blocked(m, n, k, a, 0, b, packed, c, ldc, accumulate, scratch, n0, n1);
}

void gemm_block_packed_a(int m, int n, int k, const float *pa, MatView b, const float *packed, float *c, int ldc,
                         int accumulate, float *scratch, int n0, int n1) {
  MatView none = {0, 0, 0};
  gemm_blocked(m, n, k, none, pa, b, packed, c, ldc, accumulate, scratch, n0, n1);
}

/*
 * Packs `count` matrices B[K,N] whole for gemm_block (layout: the K blocks of gemm_kstep, each holding its
 * NC-column blocks one after another; K x N rounded up to 8 columns per matrix). Parameters: PackBParams.
 * Tasks: count x ceil(K / GEMM_KC) K blocks.
 */
KERNEL(pack_b) {
  (void)scratch;
  const PackBParams *q = PARAMS(PackBParams);
  int k = q->k, n = q->n, npad = panel_columns(n);
  int kstep = gemm_kstep(k), kblocks = gemm_kblocks(k);
  for (int t = t0; t < t1; t++) {
    int mat = t / kblocks, p0 = t % kblocks * kstep, kc = min_int(k - p0, kstep);
    if (kc <= 0) continue;
    MatView b = {q->b + mat * q->b_stride, q->rs, q->cs};
    pack_b_kblock(b, p0, kc, n, q->packed + mat * q->packed_stride + p0 * npad);
  }
}

void pack_b_whole(MatView b, int k, int n, float *dst) {
  int npad = panel_columns(n), kstep = gemm_kstep(k);
  for (int p0 = 0; p0 < k; p0 += kstep) pack_b_kblock(b, p0, min_int(k - p0, kstep), n, dst + p0 * npad);
}

/*
 * C[g] = op(A[g]) . op(B[g]) for the batch entries of MatmulParams (packed: each B from pack_b, packed_stride
 * floats apart; C contiguous). Each entry has ceil(M / GEMM_MC) x col_parts tasks (gemm_task), one after another.
 */
static void matmul_tasks(const MatmulParams *q, int t0, int t1, float *scratch) {
  int m = q->m, n = q->n, k = q->k;
  int entry_tasks = (m + GEMM_MC - 1) / GEMM_MC * part_count(q->col_parts);
  for (int t = t0; t < t1; t++) {
    int g = t / entry_tasks;
    GemmTask task = gemm_task(t % entry_tasks, m, n, q->col_parts);
    MatView at = {q->a + g * q->a_bs + task.r0 * q->a_rs, q->a_rs, q->a_cs};
    MatView bg = {q->b + g * q->b_bs, q->b_rs, q->b_cs};
    gemm_block_cols(task.rows, n, k, at, bg, q->packed + g * q->packed_stride, q->c + g * m * n + task.r0 * n, n, 0,
                    scratch, task.n0, task.n1);
  }
}

/* matmul: C[M,N] = op(A) . op(B) (MatmulParams with batch 1). */
KERNEL(matmul) { matmul_tasks(PARAMS(MatmulParams), t0, t1, scratch); }

/* batched_matmul: C[g] = op(A[g]) . op(B[g]) for g < batch (MatmulParams). */
KERNEL(batched_matmul) { matmul_tasks(PARAMS(MatmulParams), t0, t1, scratch); }
