/*
 * The blocking constants the host needs to size task ranges, scratch and partial buffers.
 */
#include "conv.h"
#include "gemm.h"

/* Returns constant `which`: 0 GEMM_MC, 1 GEMM_SCRATCH (floats), 2 CONV_GRAD_CHUNK, 3 ELEM_CHUNK, 4 DW_CHUNK, 5 NORM_CHUNK, 6 GEMM_KC, 7 WINO_MC,
 * 8 WINO_GRAD_CHUNK, 9 WINO4_MC, 10 WINO4_GRAD_CHUNK, 11 WINO_PLANE_PAD. */
__attribute__((export_name("blocking"))) int32_t blocking(int32_t which) {
  switch (which) {
    case 0: return GEMM_MC;
    case 1: return GEMM_SCRATCH;
    case 2: return CONV_GRAD_CHUNK;
    case 3: return ELEM_CHUNK;
    case 4: return DW_CHUNK;
    case 5: return NORM_CHUNK;
    case 6: return GEMM_KC;
    case 7: return WINO_MC;
    case 8: return WINO_GRAD_CHUNK;
    case 9: return WINO4_MC;
    case 10: return WINO4_GRAD_CHUNK;
    case 11: return WINO_PLANE_PAD;
    default: return -1;
  }
}
