/*
 * The packed, register-blocked SGEMM shared by matmul and the convolutions.
 */
#ifndef FACEBENCH_GEMM_H
#define FACEBENCH_GEMM_H

#include "simd.h"

/* A strided matrix view: element (i, j) is at ptr[i * rs + j * cs]. */
typedef struct {
  const float *ptr;
  int rs;
  int cs;
} MatView;

/* Rows of the M dimension one task computes (fixed, so the split does not depend on the thread count). */
#define GEMM_MC 64
/* Blocking of K and N (packed B panel KC x NC stays in L2; one 8-column micro-panel in L1). */
#define GEMM_KC 256
#define GEMM_NC 512
/* Floats of scratch one gemm_block call needs. */
#define GEMM_SCRATCH (GEMM_MC * GEMM_KC + GEMM_KC * GEMM_NC)

/*
 * C[0:m, 0:n] = A[0:m, 0:k] . B[0:k, 0:n] (or += when accumulate), m <= GEMM_MC. C has row stride ldc.
 * `packed` is B packed whole by `pack_b` (K x N rounded up to 8 columns; shared by every task of a call), or 0
 * to pack B here, per block, into scratch. Each C element is summed over K in ascending order, in KC blocks.
 */
void gemm_block(int m, int n, int k, MatView a, MatView b, const float *packed, float *c, int ldc, int accumulate,
                float *scratch);

#endif
