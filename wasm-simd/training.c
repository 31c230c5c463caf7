/*
 * Constant fill, Threefry dropout masks and the fused SGD and AdamW updates.
 */
#include "simd.h"


/* FillParams: y, n, value bits (f32 or i32). Tasks: chunks. */
KERNEL(fill) {
  (void)scratch;
  const FillParams *q = PARAMS(FillParams);
  int32_t *y = q->y;
  int32_t bits = q->bits;
  int end = chunk_end(t1, q->n);
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
 * DropoutParams: x, y, mask, n, key, 64-bit counter offset, keep threshold (24-bit integer: keep when
 * bits >> 8 >= threshold), keep scale. Tasks: chunks.
 */
KERNEL(dropout) {
  (void)scratch;
  const DropoutParams *q = PARAMS(DropoutParams);
  const float *x = q->x;
  float *y = q->y, *mask = q->mask;
  uint32_t k0 = (uint32_t)q->key0, k1 = (uint32_t)q->key1;
  uint64_t offset = (uint64_t)(uint32_t)q->offset_lo | ((uint64_t)(uint32_t)q->offset_hi << 32);
  uint32_t threshold = (uint32_t)q->threshold;
  float keep = q->scale;
  int end = chunk_end(t1, q->n);
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
 * Parameters: SgdParams. Tasks: chunks.
 */
KERNEL(sgd_update) {
  (void)scratch;
  const SgdParams *q = PARAMS(SgdParams);
  float *param = q->param, *v = q->velocity;
  const float *grad = q->grad;
  double lr = q->lr, momentum = q->momentum, wd = q->weight_decay;
  int nesterov = q->nesterov;
  int end = chunk_end(t1, q->n);
  for (int i = t0 * ELEM_CHUNK; i < end; i++) {
    double g = (double)grad[i] + wd * param[i];
    v[i] = (float)(momentum * v[i] + g);
    double step = nesterov ? g + momentum * v[i] : (double)v[i];
    param[i] = (float)(param[i] - lr * step);
  }
}

/*
 * In place, PyTorch AdamW in double precision like the reference, with host-derived scalars (decay factor
 * 1 - lr*wd, step size lr / (1 - beta1^t), sqrt(1 - beta2^t)); each moment is rounded to float when stored and
 * read back as stored. Parameters: AdamwParams. Tasks: chunks.
 */
KERNEL(adamw_update) {
  (void)scratch;
  const AdamwParams *q = PARAMS(AdamwParams);
  float *param = q->param, *m = q->exp_avg, *v = q->exp_avg_sq;
  const float *grad = q->grad;
  double decay = q->decay_factor, beta1 = q->beta1, beta2 = q->beta2, eps = q->eps;
  double step_size = q->step_size, bc2_sqrt = q->bias_correction2_sqrt;
  int end = chunk_end(t1, q->n);
  for (int i = t0 * ELEM_CHUNK; i < end; i++) {
    double g = grad[i];
    double decayed = param[i] * decay;
    m[i] = (float)(beta1 * m[i] + (1 - beta1) * g);
    v[i] = (float)(beta2 * v[i] + (1 - beta2) * g * g);
    double denom = __builtin_sqrt((double)v[i]) / bc2_sqrt + eps;
    param[i] = (float)(decayed - step_size * m[i] / denom);
  }
}
