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
  const SoftmaxParams *q = PARAMS(SoftmaxParams);
  const float *x = q->x;
  float *y = q->y;
  int len = q->len;
  for (int r = t0; r < t1; r++) {
    double lse = row_lse(x + r * len, len);
    for (int j = 0; j < len; j++) {
      double v = x[r * len + j] - lse;
      y[r * len + j] = (float)(log ? v : host_exp(v));
    }
  }
}

/* Parameters: SoftmaxParams. Tasks: rows. */
KERNEL(softmax) {
  (void)scratch;
  softmax_rows(p, t0, t1, 0);
}

/* Parameters: SoftmaxParams. Tasks: rows. */
KERNEL(log_softmax) {
  (void)scratch;
  softmax_rows(p, t0, t1, 1);
}

/* SoftmaxXentParams: logits, labels, loss, probs, c, smoothing. Labels are checked by the host. Tasks: rows. */
KERNEL(softmax_cross_entropy) {
  (void)scratch;
  const SoftmaxXentParams *q = PARAMS(SoftmaxXentParams);
  const float *x = q->logits;
  const int32_t *labels = q->labels;
  float *loss = q->loss, *probs = q->probs;
  int c = q->c;
  double eps = q->smoothing;
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

/* SoftmaxXentParams: dloss, probs, labels, dlogits, c, smoothing. Tasks: rows. */
KERNEL(softmax_cross_entropy_grad) {
  (void)scratch;
  const SoftmaxXentParams *q = PARAMS(SoftmaxXentParams);
  const float *dloss = q->dloss, *probs = q->probs;
  const int32_t *labels = q->labels;
  float *dx = q->dlogits;
  int c = q->c;
  double eps = q->smoothing;
  for (int r = t0; r < t1; r++) {
    for (int j = 0; j < c; j++) {
      double target = (j == labels[r] ? 1 - eps : 0) + eps / c;
      dx[r * c + j] = (float)(dloss[r] * (probs[r * c + j] - target));
    }
  }
}
