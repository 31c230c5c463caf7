/*
 * Row gathers and scatters, per-row element access and one-hot encoding. Indices are range-checked by the host.
 * One task each (scatters accumulate in index order).
 */
#include "simd.h"

/* p: 0 x, 1 idx, 2 y, 3 M, 4 rowSize */
KERNEL(gather_rows) {
  (void)scratch, (void)t0, (void)t1;
  const float *x = PTR(0);
  const int32_t *idx = IPTR(1);
  float *y = PTR(2);
  int rows = PI(3), size = PI(4);
  for (int m = 0; m < rows; m++) {
    for (int j = 0; j < size; j++) y[m * size + j] = x[idx[m] * size + j];
  }
}

/* p: 0 src, 1 idx, 2 y, 3 M, 4 rowSize, 5 output rows */
KERNEL(scatter_add_rows) {
  (void)scratch, (void)t0, (void)t1;
  const float *src = PTR(0);
  const int32_t *idx = IPTR(1);
  float *y = PTR(2);
  int rows = PI(3), size = PI(4);
  zero_floats(y, PI(5) * size);
  for (int m = 0; m < rows; m++) {
    for (int j = 0; j < size; j++) y[idx[m] * size + j] += src[m * size + j];
  }
}

/* p: 0 x, 1 idx, 2 y, 3 N, 4 C */
KERNEL(gather_row_elements) {
  (void)scratch, (void)t0, (void)t1;
  const float *x = PTR(0);
  const int32_t *idx = IPTR(1);
  float *y = PTR(2);
  int n = PI(3), c = PI(4);
  for (int r = 0; r < n; r++) y[r] = x[r * c + idx[r]];
}

/* p: 0 v, 1 idx, 2 y, 3 N, 4 C */
KERNEL(scatter_row_elements) {
  (void)scratch, (void)t0, (void)t1;
  const float *v = PTR(0);
  const int32_t *idx = IPTR(1);
  float *y = PTR(2);
  int n = PI(3), c = PI(4);
  zero_floats(y, n * c);
  for (int r = 0; r < n; r++) y[r * c + idx[r]] = v[r];
}

/* p: 0 idx, 1 y, 2 N, 3 depth; out-of-range indices give zero rows */
KERNEL(one_hot) {
  (void)scratch, (void)t0, (void)t1;
  const int32_t *idx = IPTR(0);
  float *y = PTR(1);
  int n = PI(2), depth = PI(3);
  zero_floats(y, n * depth);
  for (int r = 0; r < n; r++) {
    if (idx[r] >= 0 && idx[r] < depth) y[r * depth + idx[r]] = 1.0f;
  }
}
