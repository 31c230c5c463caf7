/*
 * Softmax family along the last axis. `softmax` (the attention weights of the transformers: the hot one) runs in
 * float32 SIMD (see softmax_f32_row); `log_softmax` and the cross-entropy kernels compute each row in double
 * precision.
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

/* The largest element of a row; NaN if any element is (wasm's max propagates NaN, as the reference's Math.max). */
static float row_max_f32(const float *x, int len) {
  v128_t m = wasm_f32x4_splat(-__builtin_inff());
  int j = 0;
  for (; j + 4 <= len; j += 4) m = wasm_f32x4_max(m, wasm_v128_load(x + j));
  float mx = fmax_nan(fmax_nan(wasm_f32x4_extract_lane(m, 0), wasm_f32x4_extract_lane(m, 1)),
                      fmax_nan(wasm_f32x4_extract_lane(m, 2), wasm_f32x4_extract_lane(m, 3)));
  for (; j < len; j++) mx = fmax_nan(mx, x[j]);
  return mx;
}

/*
 * e^(x - m) in float32 lanes as e^d + e^d * err, the difference split exactly into d + err (Knuth's TwoSum, d =
 * fl(x - m)); e^d alone would be off by up to |x - m| * 2^-24 relative (5e-6 at 80 below the row's maximum).
 */
static inline v128_t exp_of_difference(v128_t x, v128_t m) {
  v128_t neg_m = wasm_f32x4_neg(m);
  v128_t d = wasm_f32x4_add(x, neg_m);
  v128_t part = wasm_f32x4_sub(d, x);
  v128_t err = wasm_f32x4_add(wasm_f32x4_sub(x, wasm_f32x4_sub(d, part)), wasm_f32x4_sub(neg_m, part));
  err = wasm_v128_and(err, wasm_f32x4_eq(err, err)); /* NaN where x or m is infinite: no correction */
  v128_t e = exp_f32x4(d);
  return wasm_f32x4_add(e, wasm_f32x4_mul(e, err));
}

/*
 * One row of softmax in float32: e_j = e^(x_j - max) (exp_of_difference) stored in y, summed in four lanes (the
 * tail as one vector padded with -inf, whose e^ is 0) and combined as (l0 + l1) + (l2 + l3), then y_j = e_j / sum.
 * The order is fixed, so the result does not depend on the thread count or the CPU. Against the double-precision form
 * (reference backend) each output is within a few float32 ulps; tests/ops/softmax_test.ts bounds it.
 */
static void softmax_f32_row(const float *x, float *y, int len) {
  v128_t mx = wasm_f32x4_splat(row_max_f32(x, len));
  v128_t sum = wasm_f32x4_splat(0.0f);
  int j = 0;
  for (; j + 4 <= len; j += 4) {
    v128_t e = exp_of_difference(wasm_v128_load(x + j), mx);
    wasm_v128_store(y + j, e);
    sum = wasm_f32x4_add(sum, e);
  }
  if (j < len) {
    float tail[4] = {-__builtin_inff(), -__builtin_inff(), -__builtin_inff(), -__builtin_inff()};
    for (int r = j; r < len; r++) tail[r - j] = x[r];
    v128_t e = exp_of_difference(wasm_v128_load(tail), mx);
    sum = wasm_f32x4_add(sum, e);
    wasm_v128_store(tail, e);
    for (int r = j; r < len; r++) y[r] = tail[r - j];
  }
  v128_t total = wasm_f32x4_splat((wasm_f32x4_extract_lane(sum, 0) + wasm_f32x4_extract_lane(sum, 1)) +
                                  (wasm_f32x4_extract_lane(sum, 2) + wasm_f32x4_extract_lane(sum, 3)));
  for (j = 0; j + 4 <= len; j += 4) wasm_v128_store(y + j, wasm_f32x4_div(wasm_v128_load(y + j), total));
  float t = wasm_f32x4_extract_lane(total, 0);
  for (; j < len; j++) y[j] /= t;
}

/* Parameters: SoftmaxParams. Tasks: rows. */
KERNEL(softmax) {
  (void)scratch;
  const SoftmaxParams *q = PARAMS(SoftmaxParams);
  int len = q->len;
  for (int r = t0; r < t1; r++) softmax_f32_row(q->x + r * len, q->y + r * len, len);
}

/* Parameters: SoftmaxParams. Tasks: rows. */
KERNEL(log_softmax) {
  (void)scratch;
  const SoftmaxParams *q = PARAMS(SoftmaxParams);
  const float *x = q->x;
  float *y = q->y;
  int len = q->len;
  for (int r = t0; r < t1; r++) {
    double lse = row_lse(x + r * len, len);
    for (int j = 0; j < len; j++) y[r * len + j] = (float)(x[r * len + j] - lse);
  }
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
