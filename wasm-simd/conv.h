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

/*
 * Most output tiles per task of the Winograd convolution (winograd.c; the host evens the blocks out below this,
 * ConvParams.block): 2x2 tiles of F(2x2, 3x3), 4x4 of F(4x4, 3x3).
 */
#define WINO_MC 64
#define WINO4_MC 32
/*
 * Output tiles per chunk of the Winograd filter gradient (its partial sums are added in chunk order), of F(2x2, 3x3)
 * and F(4x4, 3x3).
 */
#define WINO_GRAD_CHUNK 128
#define WINO4_GRAD_CHUNK 64
/*
 * Floats left free after each plane of a Winograd transform (the (m + 2)^2 planes of the packed filter, of the
 * transformed tiles and of the GEMM products), so that planes whose size is a power of two do not start a power of
 * two apart: such planes map to the same cache sets, and writing or reading one vector of each of 36 planes in turn
 * evicted lines before they were used up (a 512 -> 512 filter transform ran at 3 GB/s).
 */
#define WINO_PLANE_PAD 16
static inline int wino_plane(int floats) { return floats + WINO_PLANE_PAD; }

#endif
