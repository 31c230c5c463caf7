/*
 * What this build's multiply-add does on the running CPU. The `fast` build's relaxed multiply-add is fused (one
 * rounding) where V8 lowers it to an FMA instruction (x86-64 with FMA3, arm64) and a multiply then an add
 * elsewhere; results are bit-identical across CPUs only between machines where it does the same.
 */
#include "simd.h"

/* Operands whose exact product 1 + 2^-11 + 2^-24 rounds to 1 + 2^-11 in float32: a fused multiply-add keeps the
 * 2^-24, a multiply then add loses it. Read through volatiles so the compiler cannot fold the answer. */
static volatile float probe_factor = 1.0f + 0x1p-12f;
static volatile float probe_addend = -(1.0f + 0x1p-11f);

/* 1 when `madd` rounds once (fused), 0 when it rounds the product and then the sum. */
__attribute__((export_name("multiply_add_fused"))) int32_t multiply_add_fused(void) {
  v128_t factor = wasm_f32x4_splat(probe_factor);
  v128_t sum = madd(factor, factor, wasm_f32x4_splat(probe_addend));
  return wasm_f32x4_extract_lane(sum, 0) != 0.0f;
}
