/*
 * Unary element-wise kernels. Values are computed in double precision and rounded once, like the reference.
 * Parameters: UnaryParams (attr0, attr1: the op's attributes). Tasks: ELEM_CHUNK-element chunks.
 */
#include "simd.h"

static inline double clampd(double v, double lo, double hi) {
  return __builtin_wasm_min_f64(__builtin_wasm_max_f64(v, lo), hi);
}
static inline double sigmoidd(double v) { return 1.0 / (1.0 + host_exp(-v)); }

/*
 * The standard normal CDF, the same double-precision steps as src/backends/reference/normal_cdf.ts (see there for
 * the method and its measured error): with z = x / sqrt(2), for |z| < 2 erf(z) by the series
 * 2/sqrt(pi) e^{-z^2} sum_n (2 z^2)^n z / (1*3*...*(2n+1)) until a term no longer changes the sum; beyond, erfc(|z|) by
 * 60 levels of its continued fraction, evaluated from the bottom up.
 */
static double normal_cdfd(double x) {
  double z = x * 0.7071067811865476;
  double az = __builtin_fabs(z);
  if (az < 2) {
    double z2 = z * z, term = z, sum = z;
    for (int n = 1;; n++) {
      term *= 2 * z2 / (2 * n + 1);
      double next = sum + term;
      if (next == sum) break;
      sum = next;
    }
    return 0.5 + 0.5 * (1.1283791670955126 * host_exp(-z2) * sum);
  }
  double k = 0;
  for (int i = 60; i >= 1; i--) k = (i * 0.5) / (az + k);
  double tail = 0.5 * (0.5641895835477563 * host_exp(-az * az) / (az + k));
  return z > 0 ? 1 - tail : tail;
}

#define UNARY(name, expr)                                                  \
  KERNEL(name) {                                                           \
    (void)scratch;                                                         \
    const UnaryParams *q = PARAMS(UnaryParams);                            \
    const float *x = q->x;                                                 \
    float *y = q->y;                                                       \
    int n = q->n;                                                          \
    double a0 = q->attr0, a1 = q->attr1;                                   \
    (void)a0, (void)a1;                                                    \
    int end = chunk_end(t1, n);                                            \
    for (int i = t0 * ELEM_CHUNK; i < end; i++) {                          \
      double v = x[i];                                                     \
      y[i] = (float)(expr);                                                \
    }                                                                      \
  }

UNARY(relu, v > 0 ? v : 0.0)
UNARY(relu6, clampd(v, 0.0, 6.0))
UNARY(sigmoid, sigmoidd(v))
UNARY(tanh, host_tanh(v))
UNARY(swish, v * sigmoidd(v))
UNARY(gelu, v * normal_cdfd(v))
UNARY(normal_cdf, normal_cdfd(v))
UNARY(hard_swish, v * clampd(v + 3.0, 0.0, 6.0) / 6.0)
UNARY(hard_sigmoid, clampd(v / 6.0 + 0.5, 0.0, 1.0))
UNARY(neg, -v)
UNARY(exp, host_exp(v))
UNARY(log, host_log(v))
UNARY(sqrt, __builtin_sqrt(v))
UNARY(abs, __builtin_fabs(v))
UNARY(cos, host_cos(v))
UNARY(sin, host_sin(v))
UNARY(acos, host_acos(v))
UNARY(pow, host_pow(v, a0))
UNARY(clamp, clampd(v, a0, a1))
UNARY(affine, a0 * v + a1)
