/*
 * Max, average and global average pooling on NHWC with PyTorch's window, ceil-mode and divisor rules.
 * Also the gradient of nearest upsampling, a sum pool. Parameters (PoolParams): the geometry (PoolGeom), src (x or
 * dy), dst (y or dx), argmax. Forward and sum-pool tasks: output rows (n, oy); the pooling gradients run as one task
 * (they scatter).
 */
#include "simd.h"

/* A window clipped to the image, and its area including padding. */
typedef struct {
  int y0, y1, x0, x1, pad_area;
} Window;

static Window window(const PoolGeom *g, int oy, int ox) {
  int ys = oy * g->sh - g->ph, xs = ox * g->sw - g->pw;
  int ye = min_int(ys + g->kh, g->h + g->ph);
  int xe = min_int(xs + g->kw, g->w + g->pw);
  Window win = {ys > 0 ? ys : 0, min_int(ye, g->h), xs > 0 ? xs : 0, min_int(xe, g->w), (ye - ys) * (xe - xs)};
  return win;
}

static float divisor(const PoolGeom *g, const Window *win) {
  return (float)(g->include_pad ? win->pad_area : (win->y1 - win->y0) * (win->x1 - win->x0));
}

KERNEL(max_pool2d) {
  (void)scratch;
  const PoolParams *q = PARAMS(PoolParams);
  PoolGeom g = q->geom;
  const float *x = q->src;
  float *y = q->dst;
  int32_t *argmax = q->argmax;
  for (int t = t0; t < t1; t++) {
    int b = t / g.oh, oy = t % g.oh;
    for (int ox = 0; ox < g.ow; ox++) {
      Window win = window(&g, oy, ox);
      float *best = y + ((b * g.oh + oy) * g.ow + ox) * g.c;
      int32_t *at = argmax + ((b * g.oh + oy) * g.ow + ox) * g.c;
      for (int j = 0; j < g.c; j++) {
        best[j] = -__builtin_inff();
        at[j] = -1;
      }
      for (int iy = win.y0; iy < win.y1; iy++) {
        for (int ix = win.x0; ix < win.x1; ix++) {
          const float *src = x + ((b * g.h + iy) * g.w + ix) * g.c;
          for (int j = 0; j < g.c; j++) {
            float v = src[j];
            if (v > best[j] || (at[j] < 0 && isnan_f(v))) {
              best[j] = v;
              at[j] = iy * g.w + ix;
            }
          }
        }
      }
    }
  }
}

/* src dy, dst dx, argmax, the geometry of the forward pass. One task: each dy is added at its argmax in order. */
KERNEL(max_pool2d_grad) {
  (void)scratch, (void)t0, (void)t1;
  const PoolParams *q = PARAMS(PoolParams);
  PoolGeom g = q->geom;
  const float *dy = q->src;
  float *dx = q->dst;
  const int32_t *argmax = q->argmax;
  zero_floats(dx, g.n * g.h * g.w * g.c);
  for (int b = 0; b < g.n; b++) {
    for (int q = 0; q < g.oh * g.ow; q++) {
      const float *d = dy + (b * g.oh * g.ow + q) * g.c;
      const int32_t *at = argmax + (b * g.oh * g.ow + q) * g.c;
      for (int j = 0; j < g.c; j++) dx[(b * g.h * g.w + at[j]) * g.c + j] += d[j];
    }
  }
}

/* Window sums of output rows t0..t1 (t = n·OH + oy), summed in window order; `average` divides by the divisor. */
static void window_sums(const PoolParams *q, int average, int t0, int t1) {
  PoolGeom g = q->geom;
  const float *x = q->src;
  float *y = q->dst;
  for (int t = t0; t < t1; t++) {
    int b = t / g.oh, oy = t % g.oh;
    for (int ox = 0; ox < g.ow; ox++) {
      Window win = window(&g, oy, ox);
      float *acc = y + ((b * g.oh + oy) * g.ow + ox) * g.c;
      zero_floats(acc, g.c);
      for (int iy = win.y0; iy < win.y1; iy++) {
        for (int ix = win.x0; ix < win.x1; ix++) {
          const float *src = x + ((b * g.h + iy) * g.w + ix) * g.c;
          for (int j = 0; j < g.c; j++) acc[j] += src[j];
        }
      }
      if (average) {
        float div = divisor(&g, &win);
        for (int j = 0; j < g.c; j++) acc[j] /= div;
      }
    }
  }
}

KERNEL(avg_pool2d) {
  (void)scratch;
  window_sums(PARAMS(PoolParams), 1, t0, t1);
}

/*
 * The gradient of nearest upsampling: src dy [N, H·sh, W·sw, C], dst dx [N, H, W, C], the geometry of a sum pool
 * over dy (h, w of dy; oh, ow of dx; kernel = stride = scale, no padding). Tasks: dx rows (n, oy).
 */
KERNEL(upsample_nearest2d_grad) {
  (void)scratch;
  window_sums(PARAMS(PoolParams), 0, t0, t1);
}

/* src dy, dst dx, the geometry of the forward pass. One task (windows overlap). */
KERNEL(avg_pool2d_grad) {
  (void)scratch, (void)t0, (void)t1;
  const PoolParams *q = PARAMS(PoolParams);
  PoolGeom g = q->geom;
  const float *dy = q->src;
  float *dx = q->dst;
  zero_floats(dx, g.n * g.h * g.w * g.c);
  for (int b = 0; b < g.n; b++) {
    for (int oy = 0; oy < g.oh; oy++) {
      for (int ox = 0; ox < g.ow; ox++) {
        Window win = window(&g, oy, ox);
        float div = divisor(&g, &win);
        const float *d = dy + ((b * g.oh + oy) * g.ow + ox) * g.c;
        for (int iy = win.y0; iy < win.y1; iy++) {
          for (int ix = win.x0; ix < win.x1; ix++) {
            float *dst = dx + ((b * g.h + iy) * g.w + ix) * g.c;
            for (int j = 0; j < g.c; j++) dst[j] += d[j] / div;
          }
        }
      }
    }
  }
}

/* src x, dst y; geometry N, H, W, C. Tasks: images. */
KERNEL(global_avg_pool) {
  (void)scratch;
  const PoolParams *q = PARAMS(PoolParams);
  PoolGeom g = q->geom;
  const float *x = q->src;
  float *y = q->dst;
  int hw = g.h * g.w;
  for (int b = t0; b < t1; b++) {
    float *acc = y + b * g.c;
    zero_floats(acc, g.c);
    for (int q = 0; q < hw; q++) {
      const float *src = x + (b * hw + q) * g.c;
      int j = 0;
      for (; j + 4 <= g.c; j += 4) wasm_v128_store(acc + j, wasm_f32x4_add(wasm_v128_load(acc + j), wasm_v128_load(src + j)));
      for (; j < g.c; j++) acc[j] += src[j];
    }
    for (int j = 0; j < g.c; j++) acc[j] /= (float)hw;
  }
}
