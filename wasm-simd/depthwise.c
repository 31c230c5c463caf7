/*
 * Direct depthwise convolution (groups == C == O, one filter tap per channel), vectorised over channels.
 *
 * Parameters (ConvParams): the geometry, then
 *   depthwise_conv2d:              x, w, y            tasks: output rows (b, oy)
 *   depthwise_conv2d_grad_input:   dy, w, dx          tasks: input rows (b, iy)
 *   depthwise_conv2d_grad_weight:  x, dy, partials    tasks: chunks of DW_CHUNK output rows; the host
 *                                  then sums the chunk partials in order with `sum_partials`.
 */
#include "conv.h"

/* acc[0:c] += a[0:c] * b[0:c] */
static inline void mul_add_row(float *acc, const float *a, const float *b, int c) {
  int i = 0;
  for (; i + 4 <= c; i += 4) {
    wasm_v128_store(acc + i, madd(wasm_v128_load(a + i), wasm_v128_load(b + i), wasm_v128_load(acc + i)));
  }
  for (; i < c; i++) acc[i] += a[i] * b[i];
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
      float *acc = y + ((b * g.oh + oy) * g.ow + ox) * g.c;
      zero_floats(acc, g.c);
      for (int ky = 0; ky < g.kh; ky++) {
        int iy = oy * g.sh - g.ph + ky * g.dh;
        if (iy < 0 || iy >= g.h) continue;
        for (int kx = 0; kx < g.kw; kx++) {
          int ix = ox * g.sw - g.pw + kx * g.dw;
          if (ix < 0 || ix >= g.w) continue;
          mul_add_row(acc, x + ((b * g.h + iy) * g.w + ix) * g.c, w + (ky * g.kw + kx) * g.c, g.c);
        }
      }
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
      float *acc = dx + ((b * g.h + iy) * g.w + ix) * g.c;
      zero_floats(acc, g.c);
      for (int ky = 0; ky < g.kh; ky++) {
        int ty = iy + g.ph - ky * g.dh;
        if (ty < 0 || ty % g.sh != 0 || ty / g.sh >= g.oh) continue;
        for (int kx = 0; kx < g.kw; kx++) {
          int tx = ix + g.pw - kx * g.dw;
          if (tx < 0 || tx % g.sw != 0 || tx / g.sw >= g.ow) continue;
          const float *d = dy + ((b * g.oh + ty / g.sh) * g.ow + tx / g.sw) * g.c;
          mul_add_row(acc, d, w + (ky * g.kw + kx) * g.c, g.c);
        }
      }
    }
  }
}

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
      for (int ox = 0; ox < g.ow; ox++) {
        const float *d = dy + ((b * g.oh + oy) * g.ow + ox) * g.c;
        for (int ky = 0; ky < g.kh; ky++) {
          int iy = oy * g.sh - g.ph + ky * g.dh;
          if (iy < 0 || iy >= g.h) continue;
          for (int kx = 0; kx < g.kw; kx++) {
            int ix = ox * g.sw - g.pw + kx * g.dw;
            if (ix < 0 || ix >= g.w) continue;
            mul_add_row(acc + (ky * g.kw + kx) * g.c, x + ((b * g.h + iy) * g.w + ix) * g.c, d, g.c);
          }
        }
      }
    }
  }
}
