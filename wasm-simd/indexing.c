/*
 * Row gathers and scatters, per-row element access and one-hot encoding. Indices are range-checked by the host.
 * One task each (scatters accumulate in index order).
 */
#include "simd.h"

/* IndexingParams: src x, idx, dst y, rows M, cols rowSize */
KERNEL(gather_rows) {
  (void)scratch, (void)t0, (void)t1;
  const IndexingParams *q = PARAMS(IndexingParams);
  const float *x = q->src;
  const int32_t *idx = q->idx;
  float *y = q->dst;
  int rows = q->rows, size = q->cols;
  for (int m = 0; m < rows; m++) {
    for (int j = 0; j < size; j++) y[m * size + j] = x[idx[m] * size + j];
  }
}

/* IndexingParams: src, idx, dst y, rows M, cols rowSize, out_rows */
KERNEL(scatter_add_rows) {
  (void)scratch, (void)t0, (void)t1;
  const IndexingParams *q = PARAMS(IndexingParams);
  const float *src = q->src;
  const int32_t *idx = q->idx;
  float *y = q->dst;
  int rows = q->rows, size = q->cols;
  zero_floats(y, q->out_rows * size);
  for (int m = 0; m < rows; m++) {
    for (int j = 0; j < size; j++) y[idx[m] * size + j] += src[m * size + j];
  }
}

/* IndexingParams: src x, idx, dst y, rows N, cols C */
KERNEL(gather_row_elements) {
  (void)scratch, (void)t0, (void)t1;
  const IndexingParams *q = PARAMS(IndexingParams);
  const float *x = q->src;
  const int32_t *idx = q->idx;
  float *y = q->dst;
  int n = q->rows, c = q->cols;
  for (int r = 0; r < n; r++) y[r] = x[r * c + idx[r]];
}

/* IndexingParams: src v, idx, dst y, rows N, cols C */
KERNEL(scatter_row_elements) {
  (void)scratch, (void)t0, (void)t1;
  const IndexingParams *q = PARAMS(IndexingParams);
  const float *v = q->src;
  const int32_t *idx = q->idx;
  float *y = q->dst;
  int n = q->rows, c = q->cols;
  zero_floats(y, n * c);
  for (int r = 0; r < n; r++) y[r * c + idx[r]] = v[r];
}

/* IndexingParams: idx, dst y, rows N, cols depth; out-of-range indices give zero rows */
KERNEL(one_hot) {
  (void)scratch, (void)t0, (void)t1;
  const IndexingParams *q = PARAMS(IndexingParams);
  const int32_t *idx = q->idx;
  float *y = q->dst;
  int n = q->rows, depth = q->cols;
  zero_floats(y, n * depth);
  for (int r = 0; r < n; r++) {
    if (idx[r] >= 0 && idx[r] < depth) y[r * depth + idx[r]] = 1.0f;
  }
}
