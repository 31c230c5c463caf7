/*
 * Blocking constants of the conv2d kernels (NHWC activations, HWIO filters). Their parameters are ConvParams and
 * their geometry ConvGeom, generated into params.h from src/core/param_blocks.ts.
 */
#ifndef FACEBENCH_CONV_H
#define FACEBENCH_CONV_H

#include "simd.h"

/* Output rows (N*OH*OW) per chunk of the filter-gradient reduction: fixed, so sums do not depend on threads. */
#define CONV_GRAD_CHUNK 512
/* Output rows (b, oy) per chunk of the depthwise filter gradient. */
#define DW_CHUNK 8

/* Output tiles (2x2 each) per task of the Winograd convolution (winograd.c). */
#define WINO_MC 64
/* Output tiles per chunk of the Winograd filter gradient (its partial sums are added in chunk order). */
#define WINO_GRAD_CHUNK 128

#endif
