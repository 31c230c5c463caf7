/*
 * Unary element-wise kernels. Values are computed in double precision and rounded once, like the reference.
 * Parameters: UnaryParams (attr0, attr1: the op's attributes). Tasks: ELEM_CHUNK-element chunks.
 */
#include "simd.h"

static inline double clampd(double v, double lo, double hi) {
  return __builtin_wasm_min_f64(__builtin_wasm_max_f64(v, lo), hi);
}
static inline double sigmoidd(double v) { return 1.0 / (1.0 + host_exp(-v)); }

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
