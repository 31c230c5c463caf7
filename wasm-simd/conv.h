/*
 * Convolution geometry shared by the conv2d kernels (NHWC activations, HWIO filters).
 */
#ifndef FACEBENCH_CONV_H
#define FACEBENCH_CONV_H

#include "simd.h"

/* Geometry slots 0..15 of every convolution parameter block. */
typedef struct {
  int n, h, w, c, oh, ow, o, kh, kw, sh, sw, ph, pw, dh, dw, groups;
} ConvGeom;

static inline ConvGeom conv_geom(const int32_t *p) {
  ConvGeom g = {p[0], p[1], p[2],  p[3],  p[4],  p[5],  p[6],  p[7],
                p[8], p[9], p[10], p[11], p[12], p[13], p[14], p[15]};
  return g;
}

/* Output rows (N*OH*OW) per chunk of the filter-gradient reduction: fixed, so sums do not depend on threads. */
#define CONV_GRAD_CHUNK 512
/* Output rows (b, oy) per chunk of the depthwise filter gradient. */
#define DW_CHUNK 8

/* Output tiles (2x2 each) per task of the Winograd convolution (winograd.c). */
#define WINO_MC 64
/* Output tiles per chunk of the Winograd filter gradient (its partial sums are added in chunk order). */
#define WINO_GRAD_CHUNK 128

#endif
