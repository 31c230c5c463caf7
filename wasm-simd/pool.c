/*
 * Max, average and global average pooling on NHWC with PyTorch's window, ceil-mode and divisor rules.
 * p: 0 x (or dy), 1 y (or dx), 2 argmax, 3 N, 4 H, 5 W, 6 C, 7 OH, 8 OW, 9 KH, 10 KW, 11 SH, 12 SW, 13 PH, 14 PW,
 *    15 countIncludePad. Forward tasks: output rows (n, oy); backward kernels run as one task (they scatter).
 */
#include "simd.h"

typedef struct {
  int n, h, w, c, oh, ow, kh, kw, sh, sw, ph, pw, include_pad;
} PoolGeom;

/* A window clipped to the image, and its area including padding. */
typedef struct {
  int y0, y1, x0, x1, pad_area;
} Window;

static PoolGeom pool_geom(const int32_t *p) {
  PoolGeom g = {p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], p[13], p[14], p[15]};
  return g;
}

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
  PoolGeom g = pool_geom(p);
  const float *x = PTR(0);
  float *y = PTR(1);
  int32_t *argmax = IPTR(2);
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

/* p: 0 dy, 1 dx, 2 argmax, geometry of the forward pass. One task: each dy is added at its argmax in order. */
KERNEL(max_pool2d_grad) {
  (void)scratch, (void)t0, (void)t1;
  PoolGeom g = pool_geom(p);
  const float *dy = PTR(0);
  float *dx = PTR(1);
  const int32_t *argmax = IPTR(2);
  zero_floats(dx, g.n * g.h * g.w * g.c);
  for (int b = 0; b < g.n; b++) {
    for (int q = 0; q < g.oh * g.ow; q++) {
      const float *d = dy + (b * g.oh * g.ow + q) * g.c;
      const int32_t *at = argmax + (b * g.oh * g.ow + q) * g.c;
      for (int j = 0; j < g.c; j++) dx[(b * g.h * g.w + at[j]) * g.c + j] += d[j];
    }
  }
}

KERNEL(avg_pool2d) {
  (void)scratch;
  PoolGeom g = pool_geom(p);
  const float *x = PTR(0);
  float *y = PTR(1);
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
      float div = divisor(&g, &win);
      for (int j = 0; j < g.c; j++) acc[j] /= div;
    }
  }
}

/* p: 0 dy, 1 dx, geometry of the forward pass. One task (windows overlap). */
KERNEL(avg_pool2d_grad) {
  (void)scratch, (void)t0, (void)t1;
  PoolGeom g = pool_geom(p);
  const float *dy = PTR(0);
  float *dx = PTR(1);
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

/* p: 0 x, 1 y, 3 N, 4 H, 5 W, 6 C. Tasks: images. */
KERNEL(global_avg_pool) {
  (void)scratch;
  PoolGeom g = pool_geom(p);
  const float *x = PTR(0);
  float *y = PTR(1);
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
