/*
 * Kernels over strided N-d index spaces (rank <= MAX_RANK after the host pads and merges axes): broadcasting
 * binary ops and `where`, reductions, and every data-movement op (slice, pad, concat, transpose, reshape, copy,
 * broadcast_to, channel_shuffle, upsample_nearest2d are all strided copies; the host computes the strides).
 *
 * Parameters: StridedParams (init: elements to initialise for reductions; the strides of y, a, b and c in elements,
 * MAX_RANK each).
 * Tasks: rows of the innermost axis (product of dims 0..4); reductions run as one task.
 */
#include "simd.h"

enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MAX, OP_MIN, OP_GREATER, OP_EQUAL, OP_WHERE, OP_COPY, OP_SUM, OP_RMAX };

_Static_assert(sizeof(((StridedParams *)0)->dims) == MAX_RANK * sizeof(int32_t), "StridedParams rank");

typedef struct {
  int dims[MAX_RANK];
  int st[4][MAX_RANK];
} Strides;

static Strides strides_of(const StridedParams *q) {
  Strides s;
  for (int d = 0; d < MAX_RANK; d++) {
    s.dims[d] = q->dims[d];
    for (int k = 0; k < 4; k++) s.st[k][d] = q->strides[MAX_RANK * k + d];
  }
  return s;
}

static inline float apply(int op, float a, float b, float c) {
  switch (op) {
    case OP_ADD: return a + b;
    case OP_SUB: return a - b;
    case OP_MUL: return a * b;
    case OP_DIV: return a / b;
    case OP_MAX: return fmax_nan(a, b);
    case OP_MIN: return fmin_nan(a, b);
    case OP_GREATER: return a > b ? 1.0f : 0.0f;
    case OP_EQUAL: return a == b ? 1.0f : 0.0f;
    case OP_WHERE: return a != 0.0f ? b : c;
    default: return a;
  }
}

/* One innermost row; `op` is a compile-time constant in each instantiation so the switch folds away. */
static inline __attribute__((always_inline)) void row(int op, int len, float *y, const float *a, const float *b,
                                                      const float *c, int sy, int sa, int sb, int sc) {
  if (op == OP_SUM) {
    /* Each y element adds its terms in index order along every path, so the results are the same bits. */
    if (sy == 0) {
      float acc = y[0];
      for (int i = 0; i < len; i++) acc += a[i * sa];
      y[0] = acc;
    } else if (sy == 1 && sa == 1) {
      int i = 0;
      for (; i + 4 <= len; i += 4) wasm_v128_store(y + i, wasm_f32x4_add(wasm_v128_load(y + i), wasm_v128_load(a + i)));
      for (; i < len; i++) y[i] += a[i];
    } else {
      for (int i = 0; i < len; i++) y[i * sy] += a[i * sa];
    }
    return;
  }
  if (op == OP_RMAX) {
    for (int i = 0; i < len; i++) {
      float v = a[i * sa];
      if (v > y[i * sy] || isnan_f(v)) y[i * sy] = v;
    }
    return;
  }
  if (sy == 1 && sa == 1 && sb == 1 && sc == 1) {
    for (int i = 0; i < len; i++) y[i] = apply(op, a[i], b[i], c[i]);
  } else if (sy == 1 && sa == 1 && sb == 0 && sc == 0) {
    float bv = b[0], cv = c[0];
    for (int i = 0; i < len; i++) y[i] = apply(op, a[i], bv, cv);
  } else {
    for (int i = 0; i < len; i++) y[i * sy] = apply(op, a[i * sa], b[i * sb], c[i * sc]);
  }
}

static inline __attribute__((always_inline)) void run(int op, const StridedParams *q, int t0, int t1) {
  Strides s = strides_of(q);
  float *y = q->y;
  const float *a = q->a, *b = q->b, *c = q->c;
  const int last = MAX_RANK - 1;
  for (int t = t0; t < t1; t++) {
    int oy = 0, oa = 0, ob = 0, oc = 0, rest = t;
    for (int d = last - 1; d >= 0; d--) {
      int i = rest % s.dims[d];
      rest /= s.dims[d];
      oy += i * s.st[0][d];
      oa += i * s.st[1][d];
      ob += i * s.st[2][d];
      oc += i * s.st[3][d];
    }
    row(op, s.dims[last], y + oy, a + oa, b + ob, c + oc, s.st[0][last], s.st[1][last], s.st[2][last],
        s.st[3][last]);
  }
}

#define STRIDED(name, op)                  \
  KERNEL(name) {                           \
    (void)scratch;                         \
    run(op, PARAMS(StridedParams), t0, t1); \
  }

STRIDED(add, OP_ADD)
STRIDED(sub, OP_SUB)
STRIDED(mul, OP_MUL)
STRIDED(div, OP_DIV)
STRIDED(maximum, OP_MAX)
STRIDED(minimum, OP_MIN)
STRIDED(greater, OP_GREATER)
STRIDED(equal, OP_EQUAL)
STRIDED(where, OP_WHERE)
STRIDED(slice, OP_COPY)
STRIDED(pad, OP_COPY) /* the host zeroes the whole output first */
STRIDED(concat, OP_COPY)
STRIDED(transpose, OP_COPY)
STRIDED(reshape, OP_COPY)
STRIDED(copy, OP_COPY)
STRIDED(broadcast_to, OP_COPY)
STRIDED(channel_shuffle, OP_COPY)
STRIDED(upsample_nearest2d, OP_COPY) /* iteration [N, H, sh, W, sw, C], input strides 0 on sh and sw */

/* Fills y[0:init] with `value` before a single-task accumulation. */
static void init_then_run(int op, float value, const StridedParams *q, int t0, int t1) {
  float *y = q->y;
  for (int i = 0; i < q->init; i++) y[i] = value;
  for (int d = 0; d < MAX_RANK; d++) {
    if (q->dims[d] == 0) return;
  }
  run(op, q, t0, t1);
}

KERNEL(reduce_sum) {
  (void)scratch;
  init_then_run(OP_SUM, 0.0f, PARAMS(StridedParams), t0, t1);
}
KERNEL(reduce_max) {
  (void)scratch;
  init_then_run(OP_RMAX, -__builtin_inff(), PARAMS(StridedParams), t0, t1);
}
