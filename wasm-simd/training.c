/*
 * Constant fill, Threefry dropout masks and the fused SGD update.
 */
#include "simd.h"


/* p: 0 y, 1 n, 2 value bits (f32 or i32). Tasks: chunks. */
KERNEL(fill) {
  (void)scratch;
  int32_t *y = IPTR(0);
  int32_t bits = PI(2);
  int end = chunk_end(t1, PI(1));
  for (int i = t0 * ELEM_CHUNK; i < end; i++) y[i] = bits;
}

static inline uint32_t rotl(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }

/* Threefry-2x32-20, first output word (same as src/core/rng.ts). */
static uint32_t threefry_word0(uint32_t k0, uint32_t k1, uint32_t c0, uint32_t c1) {
  uint32_t ks[3] = {k0, k1, 0x1bd11bdau ^ k0 ^ k1};
  uint32_t x0 = c0 + ks[0], x1 = c1 + ks[1];
#define MIX(r) x0 += x1, x1 = rotl(x1, r) ^ x0
  for (uint32_t inj = 1; inj <= 5; inj++) {
    if (inj % 2) {
      MIX(13), MIX(15), MIX(26), MIX(6);
    } else {
      MIX(17), MIX(29), MIX(16), MIX(24);
    }
    x0 += ks[inj % 3];
    x1 += ks[(inj + 1) % 3] + inj;
  }
#undef MIX
  return x0;
}

/*
 * p: 0 x, 1 y, 2 mask, 3 n, 4 key0, 5 key1, 6 offset low, 7 offset high, 8 keep threshold (24-bit integer:
 * keep when bits >> 8 >= threshold), 9 keep scale (f32 bits). Tasks: chunks.
 */
KERNEL(dropout) {
  (void)scratch;
  const float *x = PTR(0);
  float *y = PTR(1), *mask = PTR(2);
  uint32_t k0 = (uint32_t)PI(4), k1 = (uint32_t)PI(5);
  uint64_t offset = (uint64_t)(uint32_t)PI(6) | ((uint64_t)(uint32_t)PI(7) << 32);
  uint32_t threshold = (uint32_t)PI(8);
  float keep = PF(9);
  int end = chunk_end(t1, PI(3));
  for (int i = t0 * ELEM_CHUNK; i < end; i++) {
    uint64_t block = offset + (uint64_t)i;
    uint32_t bits = threefry_word0(k0, k1, (uint32_t)block, (uint32_t)(block >> 32));
    float m = (bits >> 8) >= threshold ? keep : 0.0f;
    mask[i] = m;
    y[i] = x[i] * m;
  }
}

/*
 * In place, PyTorch semantics in double precision like the reference:
 * g = grad + wd*p; v = momentum*v + g; step = nesterov ? g + momentum*v : v; p -= lr*step.
 * p: 0 param, 1 grad, 2 velocity, 3 n, 4-5 lr, 6-7 momentum, 8-9 weight decay, 10 nesterov. Tasks: chunks.
 */
KERNEL(sgd_update) {
  (void)scratch;
  float *param = PTR(0), *v = PTR(2);
  const float *grad = PTR(1);
  double lr = PD(4), momentum = PD(6), wd = PD(8);
  int nesterov = PI(10);
  int end = chunk_end(t1, PI(3));
  for (int i = t0 * ELEM_CHUNK; i < end; i++) {
    double g = (double)grad[i] + wd * param[i];
    v[i] = (float)(momentum * v[i] + g);
    double step = nesterov ? g + momentum * v[i] : (double)v[i];
    param[i] = (float)(param[i] - lr * step);
  }
}
