/*
 * Shared definitions of the facebench WASM-SIMD kernels.
 *
 * Calling convention of every exported kernel: `void op(const int32_t *p, int t0, int t1, float *scratch)`.
 * `p` points at a parameter block written by src/backends/wasm: the kernel family's struct of params.h
 * (generated from src/core/param_blocks/), read through PARAMS(type); pointers are byte offsets into the shared
 * linear memory. A kernel runs tasks [t0, t1); the TypeScript side splits the task range over threads, and every
 * task writes a disjoint part of the output with a summation order that does not depend on the split, so results
 * are bit-identical for any thread count. `scratch` is the calling thread's private buffer.
 */
#ifndef FACEBENCH_SIMD_H
#define FACEBENCH_SIMD_H

#include <stdint.h>
#include <wasm_simd128.h>

#include "params.h"

#define KERNEL(name) __attribute__((export_name(#name))) void name(const int32_t *p, int t0, int t1, float *scratch)

/*
 * acc + a * b. The default build multiplies and adds (two roundings, the same on every CPU); the `fast` build
 * (-DFACEBENCH_FAST -mrelaxed-simd) uses relaxed multiply-add, which is fused on some CPUs and not on others.
 */
static inline v128_t madd(v128_t a, v128_t b, v128_t acc) {
#ifdef FACEBENCH_FAST
  return wasm_f32x4_relaxed_madd(a, b, acc);
#else
  return wasm_f32x4_add(acc, wasm_f32x4_mul(a, b));
#endif
}

/* The parameter block as the named struct `type` of params.h. */
#define PARAMS(type) ((const type *)p)

/* Math functions imported from the host (JavaScript Math), evaluated in double precision like the reference. */
#define IMPORT(name) __attribute__((import_module("env"), import_name(#name)))
IMPORT(exp) double host_exp(double);
IMPORT(log) double host_log(double);
IMPORT(tanh) double host_tanh(double);
IMPORT(sin) double host_sin(double);
IMPORT(cos) double host_cos(double);
IMPORT(acos) double host_acos(double);
IMPORT(pow) double host_pow(double, double);

static inline float fmax_nan(float a, float b) { return __builtin_wasm_max_f32(a, b); }
static inline float fmin_nan(float a, float b) { return __builtin_wasm_min_f32(a, b); }
static inline int isnan_f(float x) { return x != x; }

/* The smaller of two ints (block and tile sizes clipped at the end of a range). */
static inline int min_int(int a, int b) { return a < b ? a : b; }
static inline int max_int(int a, int b) { return a > b ? a : b; }

/* Zero `n` floats. */
static inline void zero_floats(float *dst, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(dst + i, wasm_f32x4_splat(0.0f));
  for (; i < n; i++) dst[i] = 0.0f;
}

/*
 * e^x in each float32 lane (Cephes' expf: x = n ln2 + r with |r| <= ln2 / 2, r from a two-part ln2, e^r by a
 * degree-7 polynomial, 2^n put into the exponent bits). Plain IEEE operations only (no relaxed SIMD), so every CPU
 * gives the same bits. Accurate to about 2 ulp for -87.3 <= x <= 88; below -87.3 (e^x under FLT_MIN, -inf
 * included) the result is 0, above 88 it saturates at e^88; NaN stays NaN.
 */
static inline v128_t exp_f32x4(v128_t x) {
  v128_t underflow = wasm_f32x4_lt(x, wasm_f32x4_splat(-87.33654f));
  v128_t v = wasm_f32x4_min(wasm_f32x4_max(x, wasm_f32x4_splat(-87.33654f)), wasm_f32x4_splat(88.0f));
  v128_t n = wasm_f32x4_nearest(wasm_f32x4_mul(v, wasm_f32x4_splat(1.44269504088896341f)));
  v128_t r = wasm_f32x4_sub(v, wasm_f32x4_mul(n, wasm_f32x4_splat(0.693359375f)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(n, wasm_f32x4_splat(-2.12194440e-4f)));
  v128_t p = wasm_f32x4_splat(1.9875691500e-4f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.3981999507e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(8.3334519073e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(4.1665795894e-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.6666665459e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(5.0000001201e-1f));
  v128_t e = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(p, r), r), r), wasm_f32x4_splat(1.0f));
  v128_t scale = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23);
  return wasm_v128_andnot(wasm_f32x4_mul(e, scale), underflow);
}

/* Elements per task of the element-wise kernels (unary ops, fill, dropout, sgd_update). */
#define ELEM_CHUNK 16384

/* End of the element range of tasks [.., t1) over n elements. */
static inline int chunk_end(int t1, int n) { return min_int(t1 * ELEM_CHUNK, n); }

/* Rows per chunk of the per-channel sums (batch norm, PReLU): fixed, so sums do not depend on threads. */
#define NORM_CHUNK 64

/* Maximum tensor rank of the strided (broadcast / movement / reduction) kernels. */
#define MAX_RANK 6

#endif
