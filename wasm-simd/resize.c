/*
 * Bilinear resizing on NHWC with PyTorch's source coordinates (upsample_bilinear2d and its gradient).
 * Parameters (ResizeParams): the geometry (ResizeGeom: input n, h, w, c; output oh, ow; align_corners), src (x or dy),
 * dst (y or dx). Forward tasks: output rows (n, oy). Gradient tasks: images (each scatters into its own dx image, in
 * output order, so sums do not depend on the thread count).
 */
#include "simd.h"

/* The two input taps of an output coordinate along one axis and their weights (w0 + w1 = 1). */
typedef struct {
  int i0, i1;
  float w0, w1;
} Tap;

/* PyTorch's rule: source o·(in − 1)/(out − 1) with align_corners, else (o + ½)·in/out − ½ clamped at 0. */
static Tap tap(int o, int in, int out, int align_corners) {
  float src;
  if (align_corners) {
    src = out > 1 ? (float)o * ((float)(in - 1) / (float)(out - 1)) : 0.0f;
  } else {
    src = ((float)in / (float)out) * ((float)o + 0.5f) - 0.5f;
    if (src < 0.0f) src = 0.0f;
  }
  int i0 = (int)src;
  float w1 = src - (float)i0;
  if (w1 > 1.0f) w1 = 1.0f;
  Tap t = {i0, i0 < in - 1 ? i0 + 1 : i0, 1.0f - w1, w1};
  return t;
}

KERNEL(upsample_bilinear2d) {
  (void)scratch;
  const ResizeParams *q = PARAMS(ResizeParams);
  ResizeGeom g = q->geom;
  const float *x = q->src;
  float *y = q->dst;
  for (int t = t0; t < t1; t++) {
    int b = t / g.oh, oy = t % g.oh;
    Tap r = tap(oy, g.h, g.oh, g.align_corners);
    const float *row0 = x + (b * g.h + r.i0) * g.w * g.c;
    const float *row1 = x + (b * g.h + r.i1) * g.w * g.c;
    for (int ox = 0; ox < g.ow; ox++) {
      Tap k = tap(ox, g.w, g.ow, g.align_corners);
      const float *p00 = row0 + k.i0 * g.c, *p01 = row0 + k.i1 * g.c;
      const float *p10 = row1 + k.i0 * g.c, *p11 = row1 + k.i1 * g.c;
      float *out = y + ((b * g.oh + oy) * g.ow + ox) * g.c;
      v128_t rw0 = wasm_f32x4_splat(r.w0), rw1 = wasm_f32x4_splat(r.w1);
      v128_t kw0 = wasm_f32x4_splat(k.w0), kw1 = wasm_f32x4_splat(k.w1);
      int j = 0;
      for (; j + 4 <= g.c; j += 4) {
        v128_t top = wasm_f32x4_add(wasm_f32x4_mul(kw0, wasm_v128_load(p00 + j)),
                                    wasm_f32x4_mul(kw1, wasm_v128_load(p01 + j)));
        v128_t bottom = wasm_f32x4_add(wasm_f32x4_mul(kw0, wasm_v128_load(p10 + j)),
                                       wasm_f32x4_mul(kw1, wasm_v128_load(p11 + j)));
        wasm_v128_store(out + j, wasm_f32x4_add(wasm_f32x4_mul(rw0, top), wasm_f32x4_mul(rw1, bottom)));
      }
      for (; j < g.c; j++) {
        out[j] = r.w0 * (k.w0 * p00[j] + k.w1 * p01[j]) + r.w1 * (k.w0 * p10[j] + k.w1 * p11[j]);
      }
    }
  }
}

/* src dy [N,OH,OW,C], dst dx [N,H,W,C], the geometry of the forward pass. Tasks: images. */
KERNEL(upsample_bilinear2d_grad) {
  (void)scratch;
  const ResizeParams *q = PARAMS(ResizeParams);
  ResizeGeom g = q->geom;
  const float *dy = q->src;
  float *dx = q->dst;
  for (int b = t0; b < t1; b++) {
    float *image = dx + b * g.h * g.w * g.c;
    zero_floats(image, g.h * g.w * g.c);
    for (int oy = 0; oy < g.oh; oy++) {
      Tap r = tap(oy, g.h, g.oh, g.align_corners);
      for (int ox = 0; ox < g.ow; ox++) {
        Tap k = tap(ox, g.w, g.ow, g.align_corners);
        const float *d = dy + ((b * g.oh + oy) * g.ow + ox) * g.c;
        const int at[4] = {r.i0 * g.w + k.i0, r.i0 * g.w + k.i1, r.i1 * g.w + k.i0, r.i1 * g.w + k.i1};
        const float weight[4] = {r.w0 * k.w0, r.w0 * k.w1, r.w1 * k.w0, r.w1 * k.w1};
        for (int m = 0; m < 4; m++) {
          float *dst = image + at[m] * g.c;
          for (int j = 0; j < g.c; j++) dst[j] += weight[m] * d[j];
        }
      }
    }
  }
}
