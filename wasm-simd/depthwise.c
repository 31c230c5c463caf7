/*
 * Direct depthwise convolution (groups == C == O, one filter tap per channel), vectorised over channels.
 *
 * Parameters (ConvParams): the geometry, then
 *   depthwise_conv2d:              x, w, y            tasks: output rows (b, oy)
 *   depthwise_conv2d_grad_input:   dy, w, dx          tasks: input rows (b, iy)
 *   depthwise_conv2d_grad_weight:  x, dy, partials    tasks: chunks of DW_CHUNK output rows; the host
 *                                  then sums the chunk partials in order with `sum_partials`.
 *
 * Sums are held in registers for blocks of 16 channels and written once (not loaded and stored per tap); each
 * channel's products are still added one by one in tap order (forward, input gradient) or output-pixel order
 * (filter gradient), starting from zero, so the bits do not depend on the blocking.
 */
#include "conv.h"

/* Taps gathered before their products are added into the output pixel (a 5x5 filter in one group). */
#define TAP_GROUP 25

/* The valid (input row, filter tap) pairs of one output pixel, in tap order, added in groups of TAP_GROUP. */
typedef struct {
  const float *src[TAP_GROUP];
  const float *w[TAP_GROUP];
  int n;       /* pairs gathered since the last flush */
  int started; /* whether dst already holds the sums of earlier groups */
} TapList;

/* Four vectors (16 channels) of running sums, loaded from, stored to or multiplied and added in one call. */
static inline void load16(v128_t a[4], const float *p) {
  for (int i = 0; i < 4; i++) a[i] = wasm_v128_load(p + 4 * i);
}

static inline void store16(float *p, const v128_t a[4]) {
  for (int i = 0; i < 4; i++) wasm_v128_store(p + 4 * i, a[i]);
}

/* a[i] += s[4i:4i+4] * f[4i:4i+4] */
static inline void madd16(v128_t a[4], const float *s, const float *f) {
  for (int i = 0; i < 4; i++) a[i] = madd(wasm_v128_load(s + 4 * i), wasm_v128_load(f + 4 * i), a[i]);
}

/* dst[0:c] (= when the list has not started, else +=) the sum over gathered pairs, in order, of src * w. */
static void flush_taps(TapList *l, float *dst, int c) {
  v128_t zero = wasm_f32x4_splat(0.0f);
  int n = l->n, j = 0;
  for (; j + 16 <= c; j += 16) {
    v128_t a[4] = {zero, zero, zero, zero};
    if (l->started) load16(a, dst + j);
    for (int k = 0; k < n; k++) madd16(a, l->src[k] + j, l->w[k] + j);
    store16(dst + j, a);
  }
  for (; j + 4 <= c; j += 4) {
    v128_t a = l->started ? wasm_v128_load(dst + j) : zero;
    for (int k = 0; k < n; k++) a = madd(wasm_v128_load(l->src[k] + j), wasm_v128_load(l->w[k] + j), a);
    wasm_v128_store(dst + j, a);
  }
  for (; j < c; j++) {
    float a = l->started ? dst[j] : 0.0f;
    for (int k = 0; k < n; k++) a += l->src[k][j] * l->w[k][j];
    dst[j] = a;
  }
  l->n = 0;
  l->started = 1;
}

/* Gathers one (input row, filter tap) pair, first adding a full group into dst. */
static inline void gather_tap(TapList *l, const float *src, const float *w, float *dst, int c) {
  if (l->n == TAP_GROUP) flush_taps(l, dst, c);
  l->src[l->n] = src;
  l->w[l->n] = w;
  l->n++;
}

/* Adds the last group into dst (zeroes dst when no tap was valid). */
static inline void finish_taps(TapList *l, float *dst, int c) {
  if (l->n > 0 || !l->started) flush_taps(l, dst, c);
}

KERNEL(depthwise_conv2d) {
  (void)scratch;
  const ConvParams *q = PARAMS(ConvParams);
  ConvGeom g = q->geom;
  const float *x = q->x, *w = q->w;
  float *y = q->y;
  for (int t = t0; t < t1; t++) {
    int b = t / g.oh, oy = t % g.oh;
    for (int ox = 0; ox < g.ow; ox++) {
      float *out = y + ((b * g.oh + oy) * g.ow + ox) * g.c;
      TapList taps = {.n = 0, .started = 0};
      for (int ky = 0; ky < g.kh; ky++) {
        int iy = oy * g.sh - g.ph + ky * g.dh;
        if (iy < 0 || iy >= g.h) continue;
        for (int kx = 0; kx < g.kw; kx++) {
          int ix = ox * g.sw - g.pw + kx * g.dw;
          if (ix < 0 || ix >= g.w) continue;
          gather_tap(&taps, x + ((b * g.h + iy) * g.w + ix) * g.c, w + (ky * g.kw + kx) * g.c, out, g.c);
        }
      }
      finish_taps(&taps, out, g.c);
    }
  }
}

KERNEL(depthwise_conv2d_grad_input) {
  (void)scratch;
  const ConvParams *q = PARAMS(ConvParams);
  ConvGeom g = q->geom;
  const float *dy = q->dy, *w = q->w;
  float *dx = q->dx;
  for (int t = t0; t < t1; t++) {
    int b = t / g.h, iy = t % g.h;
    for (int ix = 0; ix < g.w; ix++) {
      float *out = dx + ((b * g.h + iy) * g.w + ix) * g.c;
      TapList taps = {.n = 0, .started = 0};
      for (int ky = 0; ky < g.kh; ky++) {
        int ty = iy + g.ph - ky * g.dh;
        if (ty < 0 || ty % g.sh != 0 || ty / g.sh >= g.oh) continue;
        for (int kx = 0; kx < g.kw; kx++) {
          int tx = ix + g.pw - kx * g.dw;
          if (tx < 0 || tx % g.sw != 0 || tx / g.sw >= g.ow) continue;
          const float *d = dy + ((b * g.oh + ty / g.sh) * g.ow + tx / g.sw) * g.c;
          gather_tap(&taps, d, w + (ky * g.kw + kx) * g.c, out, g.c);
        }
      }
      finish_taps(&taps, out, g.c);
    }
  }
}

/* acc[0:c] += sum over i < n, in i order, of x[i * xs + 0:c] * d[i * ds + 0:c] (strides in floats). */
static void add_strided_products(float *acc, const float *x, int xs, const float *d, int ds, int n, int c) {
  int j = 0;
  for (; j + 16 <= c; j += 16) {
    v128_t a[4];
    load16(a, acc + j);
    for (int i = 0; i < n; i++) madd16(a, x + i * xs + j, d + i * ds + j);
    store16(acc + j, a);
  }
  for (; j + 4 <= c; j += 4) {
    v128_t a = wasm_v128_load(acc + j);
    for (int i = 0; i < n; i++) a = madd(wasm_v128_load(x + i * xs + j), wasm_v128_load(d + i * ds + j), a);
    wasm_v128_store(acc + j, a);
  }
  for (; j < c; j++) {
    float a = acc[j];
    for (int i = 0; i < n; i++) a += x[i * xs + j] * d[i * ds + j];
    acc[j] = a;
  }
}

/*
 * Per output row and block of 16 channels (the block's slices of the row's input and output rows stay in L1 across
 * the taps), each tap's products over the row's valid output pixels are summed in registers.
 */
KERNEL(depthwise_conv2d_grad_weight) {
  (void)scratch;
  const ConvParams *q = PARAMS(ConvParams);
  ConvGeom g = q->geom;
  const float *x = q->x, *dy = q->dy;
  float *partials = q->partials;
  int rows = g.n * g.oh, taps = g.kh * g.kw;
  for (int t = t0; t < t1; t++) {
    float *acc = partials + t * taps * g.c;
    zero_floats(acc, taps * g.c);
    int r1 = min_int((t + 1) * DW_CHUNK, rows);
    for (int r = t * DW_CHUNK; r < r1; r++) {
      int b = r / g.oh, oy = r % g.oh;
      const float *d = dy + (b * g.oh + oy) * g.ow * g.c;
      for (int j = 0; j < g.c; j += 16) {
        int width = min_int(16, g.c - j);
        for (int ky = 0; ky < g.kh; ky++) {
          int iy = oy * g.sh - g.ph + ky * g.dh;
          if (iy < 0 || iy >= g.h) continue;
          for (int kx = 0; kx < g.kw; kx++) {
            int shift = kx * g.dw - g.pw, ox0 = 0, ox1 = g.ow;
            while (ox0 < ox1 && ox0 * g.sw + shift < 0) ox0++;
            while (ox1 > ox0 && (ox1 - 1) * g.sw + shift >= g.w) ox1--;
            if (ox0 == ox1) continue;
            const float *xs = x + ((b * g.h + iy) * g.w + ox0 * g.sw + shift) * g.c + j;
            add_strided_products(acc + (ky * g.kw + kx) * g.c + j, xs, g.sw * g.c, d + ox0 * g.c + j, g.c, ox1 - ox0,
                                 width);
          }
        }
      }
    }
  }
}
