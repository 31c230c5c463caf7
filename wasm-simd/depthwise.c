/*
 * Direct depthwise convolution (groups == C == O, one filter tap per channel), vectorised over channels.
 *
 * Parameters (ConvParams): the geometry, then
 *   depthwise_conv2d:              x, w, y            tasks: output rows (b, oy)
 *   depthwise_conv2d_grad_input:   dy, w, dx          tasks: input rows (b, iy)
 *   depthwise_conv2d_grad_weight:  x, dy, partials    tasks: chunks of DW_CHUNK output rows; the host
 *                                  then sums the chunk partials in order with `sum_partials`.
 *
 * Sums are held in registers for blocks of 16 channels and written once (not loaded and stored per tap); filters three
 * columns wide with column stride 1 also take 4 output pixels at once sharing their source loads (dw3_pixels), and
 * their filter gradient a window of source columns (dw3_grad_row). Each channel's products are still added one by one
 * in tap order (forward, input gradient) or output-pixel order (filter gradient), starting from zero, so the bits do
 * not depend on the blocking or the path.
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

/* Output pixels dw3_pixels computes together. */
#define DW_PIXELS 4

/*
 * DW_PIXELS consecutive output pixels of a filter three columns wide, with column stride and dilation 1, whose
 * column taps are all valid: out[p * c + j] = the sum, from zero, over filter rows ky0..ky1-1 and then columns 0..2,
 * of source * w, the order flush_taps adds a pixel's taps. src: the source row of filter row ky0 at the leftmost
 * column the pixels read; row_step: floats to the next filter row's source row; pixel p, tap kx reads column
 * p + kx, or with `back` (the input gradient, whose taps walk the source backwards) p + 2 - kx. Each filter row's
 * DW_PIXELS + 2 source vectors are loaded once and shared by the taps that read them.
 */
static inline __attribute__((always_inline)) void dw3_pixels(const float *src, int row_step, const float *w, int ky0,
                                                             int ky1, float *out, int c, int back) {
  int j = 0;
  for (; j + 4 <= c; j += 4) {
    v128_t acc[DW_PIXELS], v[DW_PIXELS + 2], wv[3];
    for (int p = 0; p < DW_PIXELS; p++) acc[p] = wasm_f32x4_splat(0.0f);
    for (int ky = ky0; ky < ky1; ky++) {
      const float *s = src + (ky - ky0) * row_step + j;
      for (int q = 0; q < DW_PIXELS + 2; q++) v[q] = wasm_v128_load(s + q * c);
      for (int kx = 0; kx < 3; kx++) wv[kx] = wasm_v128_load(w + (ky * 3 + kx) * c + j);
      for (int kx = 0; kx < 3; kx++)
        for (int p = 0; p < DW_PIXELS; p++) acc[p] = madd(v[back ? p + 2 - kx : p + kx], wv[kx], acc[p]);
    }
    for (int p = 0; p < DW_PIXELS; p++) wasm_v128_store(out + p * c + j, acc[p]);
  }
  for (; j < c; j++) {
    for (int p = 0; p < DW_PIXELS; p++) {
      float a = 0.0f;
      for (int ky = ky0; ky < ky1; ky++)
        for (int kx = 0; kx < 3; kx++)
          a += src[(ky - ky0) * row_step + (back ? p + 2 - kx : p + kx) * c + j] * w[(ky * 3 + kx) * c + j];
      out[p * c + j] = a;
    }
  }
}

/*
 * The k in [0, count) with 0 <= first + k * step < extent, as [*k0, *k1) (empty: k0 == k1): the valid filter rows of
 * an output row (step < 0 for the input gradient), or the output pixels a filter column reads valid source columns for.
 */
static inline void valid_range(int first, int step, int count, int extent, int *k0, int *k1) {
  int a = 0, b = count;
  while (a < b && (first + a * step < 0 || first + a * step >= extent)) a++;
  while (b > a && (first + (b - 1) * step < 0 || first + (b - 1) * step >= extent)) b--;
  *k0 = a;
  *k1 = b;
}

/* Whether dw3_pixels serves filters of this geometry: three columns wide, column stride and dilation 1. */
static inline int dw3_geometry(const ConvGeom *g) { return g->kw == 3 && g->sw == 1 && g->dw == 1; }

KERNEL(depthwise_conv2d) {
  (void)scratch;
  const ConvParams *q = PARAMS(ConvParams);
  ConvGeom g = q->geom;
  const float *x = q->x, *w = q->w;
  float *y = q->y;
  for (int t = t0; t < t1; t++) {
    int b = t / g.oh, oy = t % g.oh, ky0, ky1;
    valid_range(oy * g.sh - g.ph, g.dh, g.kh, g.h, &ky0, &ky1);
    /* pixels ox..ox+DW_PIXELS-1 read columns ox - pw .. ox - pw + DW_PIXELS + 1 */
    int fast = dw3_geometry(&g) && ky0 < ky1;
    const float *rows = x + (b * g.h + oy * g.sh - g.ph + ky0 * g.dh) * g.w * g.c;
    for (int ox = 0; ox < g.ow;) {
      float *out = y + ((b * g.oh + oy) * g.ow + ox) * g.c;
      if (fast && ox >= g.pw && ox - g.pw + DW_PIXELS + 1 < g.w && ox + DW_PIXELS <= g.ow) {
        dw3_pixels(rows + (ox - g.pw) * g.c, g.dh * g.w * g.c, w, ky0, ky1, out, g.c, 0);
        ox += DW_PIXELS;
        continue;
      }
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
      ox++;
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
    int b = t / g.h, iy = t % g.h, ky0, ky1;
    valid_range(iy + g.ph, -g.dh, g.kh, g.oh, &ky0, &ky1);
    /* pixels ix..ix+DW_PIXELS-1 read dy columns ix + pw - 2 .. ix + pw + DW_PIXELS - 1 */
    int fast = dw3_geometry(&g) && g.sh == 1 && ky0 < ky1;
    const float *rows = dy + (b * g.oh + iy + g.ph - ky0 * g.dh) * g.ow * g.c;
    for (int ix = 0; ix < g.w;) {
      float *out = dx + ((b * g.h + iy) * g.w + ix) * g.c;
      if (fast && ix + g.pw >= 2 && ix + g.pw + DW_PIXELS - 1 < g.ow && ix + DW_PIXELS <= g.w) {
        dw3_pixels(rows + (ix + g.pw - 2) * g.c, -g.dh * g.ow * g.c, w, ky0, ky1, out, g.c, 1);
        ix += DW_PIXELS;
        continue;
      }
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
      ix++;
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

/* acc[kx][v] += x * d for the filter columns kx valid at output pixel ox (x: the source row, column 0). */
static inline void dw3_grad_pixel(v128_t acc[3][2], const float *x, const float *d, int ox, int pw, int width, int c) {
  for (int kx = 0; kx < 3; kx++) {
    int ix = ox - pw + kx;
    if (ix < 0 || ix >= width) continue;
    for (int v = 0; v < 2; v++)
      acc[kx][v] = madd(wasm_v128_load(x + ix * c + 4 * v), wasm_v128_load(d + ox * c + 4 * v), acc[kx][v]);
  }
}

/*
 * The filter gradient of one filter row three columns wide (column stride and dilation 1) from one output row, for
 * 8 channels: sums[kx * c + 0:8] += Σ over output pixels ox in order of x[ox - pw + kx] * d[ox] (valid columns only),
 * the sums add_strided_products takes. Inside the row each source vector is loaded once, kept for the three
 * taps that read it. x, d: the source and output-gradient rows at the block's first channel.
 */
static void dw3_grad_row(float *sums, const float *x, const float *d, int ow, int pw, int width, int c) {
  v128_t acc[3][2];
  for (int kx = 0; kx < 3; kx++)
    for (int v = 0; v < 2; v++) acc[kx][v] = wasm_v128_load(sums + kx * c + 4 * v);
  /* pixels lo..hi-1 read columns ox - pw .. ox - pw + 2, all valid */
  int lo, hi, ox = 0;
  valid_range(-pw, 1, ow, width - 2, &lo, &hi);
  for (; ox < lo; ox++) dw3_grad_pixel(acc, x, d, ox, pw, width, c);
  if (ox < hi) {
    v128_t v0[2], v1[2];
    for (int v = 0; v < 2; v++) {
      v0[v] = wasm_v128_load(x + (ox - pw) * c + 4 * v);
      v1[v] = wasm_v128_load(x + (ox - pw + 1) * c + 4 * v);
    }
    for (; ox < hi; ox++) {
      for (int v = 0; v < 2; v++) {
        v128_t v2 = wasm_v128_load(x + (ox - pw + 2) * c + 4 * v), dv = wasm_v128_load(d + ox * c + 4 * v);
        acc[0][v] = madd(v0[v], dv, acc[0][v]);
        acc[1][v] = madd(v1[v], dv, acc[1][v]);
        acc[2][v] = madd(v2, dv, acc[2][v]);
        v0[v] = v1[v];
        v1[v] = v2;
      }
    }
  }
  for (; ox < ow; ox++) dw3_grad_pixel(acc, x, d, ox, pw, width, c);
  for (int kx = 0; kx < 3; kx++)
    for (int v = 0; v < 2; v++) wasm_v128_store(sums + kx * c + 4 * v, acc[kx][v]);
}

/*
 * Per output row: filters three columns wide with column stride and dilation 1 take blocks of 8 channels through
 * dw3_grad_row, each block over the valid filter rows in turn (the block's slices of those rows, and the cache lines
 * the next block shares, stay in L1; sweeping a whole 56-pixel row per block did not fit); the other channels (and
 * other filters) go by blocks of 16 channels, each tap's products over the row's valid output pixels summed in
 * registers. Either way each tap's sum takes the output pixels in order, rows in order.
 */
KERNEL(depthwise_conv2d_grad_weight) {
  (void)scratch;
  const ConvParams *q = PARAMS(ConvParams);
  ConvGeom g = q->geom;
  const float *x = q->x, *dy = q->dy;
  float *partials = q->partials;
  int rows = g.n * g.oh, taps = g.kh * g.kw, blocked = dw3_geometry(&g) ? g.c & ~7 : 0;
  for (int t = t0; t < t1; t++) {
    float *acc = partials + t * taps * g.c;
    zero_floats(acc, taps * g.c);
    int r1 = min_int((t + 1) * DW_CHUNK, rows);
    for (int r = t * DW_CHUNK; r < r1; r++) {
      int b = r / g.oh, oy = r % g.oh;
      const float *d = dy + (b * g.oh + oy) * g.ow * g.c;
      for (int j = 0; j < blocked; j += 8) {
        for (int ky = 0; ky < g.kh; ky++) {
          int iy = oy * g.sh - g.ph + ky * g.dh;
          if (iy < 0 || iy >= g.h) continue;
          const float *xrow = x + (b * g.h + iy) * g.w * g.c;
          dw3_grad_row(acc + ky * 3 * g.c + j, xrow + j, d + j, g.ow, g.pw, g.w, g.c);
        }
      }
      for (int j = blocked; j < g.c; j += 16) {
        int width = min_int(16, g.c - j);
        for (int ky = 0; ky < g.kh; ky++) {
          int iy = oy * g.sh - g.ph + ky * g.dh;
          if (iy < 0 || iy >= g.h) continue;
          for (int kx = 0; kx < g.kw; kx++) {
            int shift = kx * g.dw - g.pw, ox0, ox1;
            valid_range(shift, g.sw, g.ow, g.w, &ox0, &ox1);
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
