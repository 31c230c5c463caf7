/*
 * Softmax family along the last axis, computed in double precision per row.
 */
#include "simd.h"

/* Max and log-sum-exp of one row. */
static double row_lse(const float *x, int len) {
  double mx = -__builtin_inf();
  for (int j = 0; j < len; j++) mx = __builtin_wasm_max_f64(mx, x[j]);
  double s = 0;
  for (int j = 0; j < len; j++) s += host_exp(x[j] - mx);
  return mx + host_log(s);
}

static void softmax_rows(const int32_t *p, int t0, int t1, int log) {
  const float *x = PTR(0);
  float *y = PTR(1);
  int len = PI(3);
  for (int r = t0; r < t1; r++) {
    double lse = row_lse(x + r * len, len);
    for (int j = 0; j < len; j++) {
      double v = x[r * len + j] - lse;
      y[r * len + j] = (float)(log ? v : host_exp(v));
    }
  }
}

/* p: 0 x, 1 y, 2 rows, 3 len. Tasks: rows. */
KERNEL(softmax) {
  (void)scratch;
  softmax_rows(p, t0, t1, 0);
}

/* p: 0 x, 1 y, 2 rows, 3 len. Tasks: rows. */
KERNEL(log_softmax) {
  (void)scratch;
  softmax_rows(p, t0, t1, 1);
}

/* p: 0 logits, 1 labels, 2 loss, 3 probs, 4 N, 5 C, 6-7 smoothing. Labels are checked by the host. Tasks: rows. */
KERNEL(softmax_cross_entropy) {
  (void)scratch;
  const float *x = PTR(0);
  const int32_t *labels = IPTR(1);
  float *loss = PTR(2), *probs = PTR(3);
  int c = PI(5);
  double eps = PD(6);
  for (int r = t0; r < t1; r++) {
    const float *row = x + r * c;
    double lse = row_lse(row, c);
    double sum = 0;
    for (int j = 0; j < c; j++) {
      sum += row[j];
      probs[r * c + j] = (float)host_exp(row[j] - lse);
    }
    loss[r] = (float)(lse - (1 - eps) * row[labels[r]] - (eps / c) * sum);
  }
}

/* p: 0 dLoss, 1 probs, 2 labels, 3 dlogits, 4 N, 5 C, 6-7 smoothing. Tasks: rows. */
KERNEL(softmax_cross_entropy_grad) {
  (void)scratch;
  const float *dloss = PTR(0), *probs = PTR(1);
  const int32_t *labels = IPTR(2);
  float *dx = PTR(3);
  int c = PI(5);
  double eps = PD(6);
  for (int r = t0; r < t1; r++) {
    for (int j = 0; j < c; j++) {
      double target = (j == labels[r] ? 1 - eps : 0) + eps / c;
      dx[r * c + j] = (float)(dloss[r] * (probs[r * c + j] - target));
    }
  }
}
