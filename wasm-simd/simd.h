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

/* Zero `n` floats. */
static inline void zero_floats(float *dst, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(dst + i, wasm_f32x4_splat(0.0f));
  for (; i < n; i++) dst[i] = 0.0f;
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
