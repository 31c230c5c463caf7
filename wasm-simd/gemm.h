/*
 * The packed, register-blocked SGEMM shared by matmul and the convolutions.
 */
#ifndef FACEBENCH_GEMM_H
#define FACEBENCH_GEMM_H

#include "simd.h"

/* Columns of a packed B of n columns: n rounded up to the 8-column micro-panel (pack_b zero-fills the rest). */
static inline int panel_columns(int n) { return (n + 7) / 8 * 8; }

/* A strided matrix view: element (i, j) is at ptr[i * rs + j * cs]. */
typedef struct {
  const float *ptr;
  int rs;
  int cs;
} MatView;

/* Stores the 4x4 block whose rows are r0..r3 transposed: d[4j + i] = r_i[j] (four 4-row columns). */
static inline void store_4x4_transposed(float *d, v128_t r0, v128_t r1, v128_t r2, v128_t r3) {
  v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5);
  v128_t t2 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
  wasm_v128_store(d, wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5));
  wasm_v128_store(d + 4, wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7));
  wasm_v128_store(d + 8, wasm_i32x4_shuffle(t2, t3, 0, 1, 4, 5));
  wasm_v128_store(d + 12, wasm_i32x4_shuffle(t2, t3, 2, 3, 6, 7));
}

/* Rows of the M dimension one task computes (fixed, so the split does not depend on the thread count). */
#define GEMM_MC 64
/* Blocking of K and N (packed B panel KC x NC stays in L2; one 8-column micro-panel in L1). */
#define GEMM_KC 256
#define GEMM_NC 512
/*
 * Depth of the K blocks of a K-deep product: K split into ceil(K / GEMM_KC) blocks of equal depth (the last one
 * shorter by the rounding), so no block is a thin remainder. pack_b and gemm_block block K alike.
 */
static inline int gemm_kblocks(int k) { return (k + GEMM_KC - 1) / GEMM_KC; }
static inline int gemm_kstep(int k) {
  int blocks = gemm_kblocks(k);
  return blocks > 1 ? (k + blocks - 1) / blocks : k;
}

/*
 * One task of a GEMM split into GEMM_MC-row blocks, each cut into `col_parts` column parts (0 counts as 1) of equal
 * width rounded up to the 8-column micro-panel: task t covers rows [r0, r0 + rows) and columns [n0, n1). Every C
 * element is computed by exactly one task with the same arithmetic whatever the split, so the split changes no bit.
 */
typedef struct {
  int r0, rows, n0, n1;
} GemmTask;

/* The number of parts a `col_parts` parameter asks for (0 counts as 1). */
static inline int part_count(int col_parts) { return col_parts > 1 ? col_parts : 1; }

/* Columns [n0, n1) of column part `part` of `col_parts` over n columns (see gemm_task). */
typedef struct {
  int n0, n1;
} ColumnPart;
static inline ColumnPart column_part(int part, int n, int col_parts) {
  int parts = part_count(col_parts);
  int width = panel_columns((n + parts - 1) / parts);
  ColumnPart c;
  c.n0 = min_int(part * width, n);
  c.n1 = min_int(c.n0 + width, n);
  return c;
}

/*
 * Rows [r0, r1) of row part `part` of `row_parts` over m rows: whole GEMM_MC-row blocks, spread as evenly as they go
 * (the row-part counterpart of column_part, for filter gradients whose rows are the filter's).
 */
typedef struct {
  int r0, r1;
} RowPart;
static inline RowPart row_part(int part, int m, int row_parts) {
  int parts = part_count(row_parts), blocks = (m + GEMM_MC - 1) / GEMM_MC;
  RowPart r;
  r.r0 = part * blocks / parts * GEMM_MC;
  r.r1 = min_int((part + 1) * blocks / parts * GEMM_MC, m);
  return r;
}

static inline GemmTask gemm_task(int t, int m, int n, int col_parts) {
  int parts = part_count(col_parts);
  ColumnPart cols = column_part(t % parts, n, parts);
  GemmTask task;
  task.r0 = t / parts * GEMM_MC;
  task.rows = min_int(m - task.r0, GEMM_MC);
  task.n0 = cols.n0;
  task.n1 = cols.n1;
  return task;
}

/* B [k, n] packed whole at dst, in the layout of pack_b (for a task that packs its own B once for several GEMMs). */
void pack_b_whole(MatView b, int k, int n, float *dst);

/* Floats of scratch one gemm_block call needs. */
#define GEMM_SCRATCH (GEMM_MC * GEMM_KC + GEMM_KC * GEMM_NC)

/*
 * C[0:m, 0:n] = A[0:m, 0:k] . B[0:k, 0:n] (or += when accumulate), m <= GEMM_MC. C has row stride ldc.
 * `packed` is B packed whole by `pack_b` (K x N rounded up to 8 columns; shared by every task of a call), or 0
 * to pack B here, per block, into scratch. Each C element is one running sum over K in ascending order (starting
 * from C's value when accumulating), whatever the blocking.
 */
void gemm_block(int m, int n, int k, MatView a, MatView b, const float *packed, float *c, int ldc, int accumulate,
                float *scratch);

/*
 * gemm_block restricted to columns [n0, n1) of C (n0 a multiple of 8; n is B's full width, which the packed layout
 * needs): the other columns are neither read nor written, and the computed ones get the same bits as gemm_block's.
 */
void gemm_block_cols(int m, int n, int k, MatView a, MatView b, const float *packed, float *c, int ldc, int accumulate,
                     float *scratch, int n0, int n1);

/*
 * gemm_block_cols with A (m x k) already packed whole: rows in panels of 4 (the last one zero-padded), element (i, kk)
 * at pa[(i / 4) * 4k + kk * 4 + i % 4]. conv2d's im2col writes its columns straight into that layout.
 */
void gemm_block_packed_a(int m, int n, int k, const float *pa, MatView b, const float *packed, float *c, int ldc,
                         int accumulate, float *scratch, int n0, int n1);

#endif
