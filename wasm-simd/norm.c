/*
 * Batch normalisation (forward, backward), PReLU (forward, backward), the fused channel affine + PReLU epilogue,
 * row L2 normalisation and layer normalisation (forward, backward), vectorised over channels (NHWC: channels are
 * contiguous) where they reduce over rows.
 *
 * Per-channel sums are taken in chunks of NORM_CHUNK rows (`channel_sums`, one task per chunk, each chunk summed
 * in row order into its own partial), and the host adds the partials in chunk order (`sum_partials`), so the sums
 * do not depend on the thread count. batch_norm and batch_norm_grad are then finished by phase kernels; with PReLU
 * slopes they serve batch_norm_prelu and its gradient, which recompute the normalised map instead of storing it.
 * batch_norm_grad takes its two sums (plain and cross) in one pass over dy and x (SUM_PLAIN_AND_CROSS), each
 * accumulated exactly as its single-sum mode does, so the fused pass gives the same bits.
 */
#include "simd.h"

enum { SUM_PLAIN, SUM_SQUARED_DEVIATION, SUM_CROSS, SUM_PLAIN_AND_CROSS };

/* Rows the per-channel sums take per pass along the channels (each sum still adds them one at a time, in order). */
#define SUM_ROWS 8
/*
 * The same for batch_norm_prelu_grad's three sums over x and dy. 4 rather than 2: a [16, 56, 56, 128] map (beyond the
 * caches) takes 1.05–1.10 instead of 1.29–1.36 ns per element on one thread (AMD EPYC; the op alone, timed over
 * repeated calls, builds alternated); maps that fit the caches take the same time; 8 rows were slower
 * (1.44–1.49).
 */
#define PRELU_SUM_ROWS 4

/* The term a row adds to channel sums of `mode` (not SUM_PLAIN_AND_CROSS): a, (a - shift)^2 or a * (b - shift). */
static inline v128_t sum_term(int mode, v128_t a, v128_t b, v128_t shift) {
  if (mode == SUM_SQUARED_DEVIATION) {
    v128_t d = wasm_f32x4_sub(a, shift);
    return wasm_f32x4_mul(d, d);
  }
  return mode == SUM_CROSS ? wasm_f32x4_mul(a, wasm_f32x4_sub(b, shift)) : a;
}

/*
 * Adds rows r..r+n-1 to the channel sums of channel_sums (acc, and with SUM_PLAIN_AND_CROSS the cross sums), one
 * row after another for each channel, so each sum takes its terms in row order exactly as a register accumulator
 * would. The rows are read along their length (a few rows at once, the sums of a vector of channels loaded and
 * stored once per group): a walk down a block of channels is one dependent add per row and reads each row's cache
 * lines in separate sweeps. Inlined with a constant mode, and with n = SUM_ROWS for whole groups.
 */
static inline void channel_sums_rows(const ChannelSumsParams *q, int mode, int r, int n, float *acc, float *cross) {
  int c = q->c, j = 0;
  const float *a = q->a + r * c, *b = q->b + r * c, *shift = q->shift;
  int with_b = mode == SUM_CROSS || mode == SUM_PLAIN_AND_CROSS;
  for (; j + 4 <= c; j += 4) {
    v128_t sum = wasm_v128_load(acc + j);
    v128_t sum_cross = mode == SUM_PLAIN_AND_CROSS ? wasm_v128_load(cross + j) : sum;
    v128_t sh = mode == SUM_PLAIN ? wasm_f32x4_splat(0.0f) : wasm_v128_load(shift + j);
    for (int k = 0; k < n; k++) {
      v128_t av = wasm_v128_load(a + k * c + j);
      v128_t bv = with_b ? wasm_v128_load(b + k * c + j) : av;
      if (mode == SUM_PLAIN_AND_CROSS) {
        sum_cross = wasm_f32x4_add(sum_cross, sum_term(SUM_CROSS, av, bv, sh));
        sum = wasm_f32x4_add(sum, av);
      } else {
        sum = wasm_f32x4_add(sum, sum_term(mode, av, bv, sh));
      }
    }
    wasm_v128_store(acc + j, sum);
    if (mode == SUM_PLAIN_AND_CROSS) wasm_v128_store(cross + j, sum_cross);
  }
  for (; j < c; j++) {
    float sum = acc[j], sum_cross = mode == SUM_PLAIN_AND_CROSS ? cross[j] : 0.0f;
    for (int k = 0; k < n; k++) {
      float v = a[k * c + j];
      if (mode == SUM_PLAIN_AND_CROSS) sum_cross += v * (b[k * c + j] - shift[j]);
      sum += mode == SUM_SQUARED_DEVIATION ? (v - shift[j]) * (v - shift[j])
             : mode == SUM_CROSS           ? v * (b[k * c + j] - shift[j])
                                           : v;
    }
    acc[j] = sum;
    if (mode == SUM_PLAIN_AND_CROSS) cross[j] = sum_cross;
  }
}

/* channel_sums of one chunk of rows (r0..r1), constant mode: sums from +0, taking SUM_ROWS rows at a time. */
static inline void channel_sums_chunk(const ChannelSumsParams *q, int mode, int r0, int r1, float *acc,
                                      float *cross) {
  int r = r0;
  zero_floats(acc, q->c);
  if (mode == SUM_PLAIN_AND_CROSS) zero_floats(cross, q->c);
  for (; r + SUM_ROWS <= r1; r += SUM_ROWS) channel_sums_rows(q, mode, r, SUM_ROWS, acc, cross);
  if (r < r1) channel_sums_rows(q, mode, r, r1 - r, acc, cross);
}

/*
 * partials[t][j] = sum over rows of chunk t of: a (plain), (a - shift)^2 (squared deviation) or a * (b - shift)
 * (cross), added in row order from 0. SUM_PLAIN_AND_CROSS: partials holds [2][chunks][c], the plain sums first, then
 * the cross sums.
 * Parameters: ChannelSumsParams. Tasks: chunks.
 */
KERNEL(channel_sums) {
  (void)scratch;
  const ChannelSumsParams *q = PARAMS(ChannelSumsParams);
  int rows = q->rows, c = q->c;
  int chunks = (rows + NORM_CHUNK - 1) / NORM_CHUNK;
  for (int t = t0; t < t1; t++) {
    float *acc = q->partials + t * c, *cross = acc + chunks * c;
    int r0 = t * NORM_CHUNK, r1 = min_int(r0 + NORM_CHUNK, rows);
    switch (q->mode) {
    case SUM_PLAIN: channel_sums_chunk(q, SUM_PLAIN, r0, r1, acc, cross); break;
    case SUM_SQUARED_DEVIATION: channel_sums_chunk(q, SUM_SQUARED_DEVIATION, r0, r1, acc, cross); break;
    case SUM_CROSS: channel_sums_chunk(q, SUM_CROSS, r0, r1, acc, cross); break;
    default: channel_sums_chunk(q, SUM_PLAIN_AND_CROSS, r0, r1, acc, cross); break;
    }
  }
}

/*
 * y[r, j] = z > 0 ? z : alpha[j] * z with z = x[r, j] * scale[j] + offset[j], for rows in the tasks; no affine
 * step when scale is 0, no PReLU when alpha is 0. Inlined, so calls with a constant 0 drop that step's code.
 */
static inline void affine_prelu_rows(const float *x, float *y, const float *scale, const float *offset,
                                     const float *alpha, int c, int t0, int t1) {
  v128_t zero = wasm_f32x4_splat(0.0f);
  for (int r = t0; r < t1; r++) {
    const float *xr = x + r * c;
    float *yr = y + r * c;
    int j = 0;
    for (; j + 4 <= c; j += 4) {
      v128_t v = wasm_v128_load(xr + j);
      if (scale) v = wasm_f32x4_add(wasm_f32x4_mul(v, wasm_v128_load(scale + j)), wasm_v128_load(offset + j));
      if (alpha) v = wasm_v128_bitselect(v, wasm_f32x4_mul(v, wasm_v128_load(alpha + j)), wasm_f32x4_gt(v, zero));
      wasm_v128_store(yr + j, v);
    }
    for (; j < c; j++) {
      float v = scale ? xr[j] * scale[j] + offset[j] : xr[j];
      yr[j] = alpha && !(v > 0) ? alpha[j] * v : v;
    }
  }
}

/*
 * The affine form of batch norm for channel j: scale = invStd * gamma, offset = beta - mean * scale. The forward
 * pass and the recomputation of its output in batch_norm_prelu_grad share it, so both get the same bits.
 */
static inline void fold_channel(const float *gamma, const float *beta, const float *mean, const float *inv_std,
                                float *scale, float *offset, int j) {
  scale[j] = inv_std[j] * gamma[j];
  offset[j] = beta[j] - mean[j] * scale[j];
}

/*
 * Parameters: BatchNormParams (sums: C floats; coefficients: scale and offset, 2C floats; alpha: PReLU slopes of
 * batch_norm_prelu, 0 for batch_norm).
 * Phase 0 (one task): mean = sums / rows. Phase 1 (one task): with sums = squared deviations (training), the
 * variance, running statistics, invStd and the affine coefficients. Phase 2 (tasks: rows): y, with the PReLU when
 * alpha is given (the same arithmetic as batch_norm's output passed through prelu).
 */
KERNEL(batch_norm) {
  (void)scratch;
  const BatchNormParams *q = PARAMS(BatchNormParams);
  const float *x = q->x, *gamma = q->gamma, *beta = q->beta, *sums = q->sums, *alpha = q->alpha;
  float *runMean = q->running_mean, *runVar = q->running_var, *y = q->y, *mean = q->mean, *invStd = q->inv_std;
  int rows = q->rows, c = q->c, training = q->training, phase = q->phase;
  double momentum = q->momentum, eps = q->eps;
  float *scale = q->coefficients, *offset = scale + c;
  if (phase == 0) {
    for (int j = 0; j < c; j++) mean[j] = sums[j] / rows;
  } else if (phase == 1) {
    for (int j = 0; j < c; j++) {
      if (training) {
        double var = (double)sums[j] / rows;
        runMean[j] = (float)((1 - momentum) * runMean[j] + momentum * mean[j]);
        runVar[j] = (float)((1 - momentum) * runVar[j] + momentum * var * rows / (rows - 1));
        invStd[j] = (float)(1.0 / __builtin_sqrt(var + eps));
      } else {
        mean[j] = runMean[j];
        invStd[j] = (float)(1.0 / __builtin_sqrt((double)runVar[j] + eps));
      }
      fold_channel(gamma, beta, mean, invStd, scale, offset, j);
    }
  } else if (alpha) {
    affine_prelu_rows(x, y, scale, offset, alpha, c, t0, t1);
  } else {
    affine_prelu_rows(x, y, scale, offset, 0, c, t0, t1);
  }
}

/* batch_norm_prelu: batch_norm's phases, with BatchNormParams.alpha set. */
KERNEL(batch_norm_prelu) { batch_norm(p, t0, t1, scratch); }

/*
 * The PReLU gradient at z = x * scale + offset (batch_norm_prelu's normalised map, recomputed with the forward
 * pass's arithmetic): dz = z > 0 ? dy : alpha * dy, and the dalpha term z > 0 ? 0 : z * dy, as prelu_grad computes
 * them.
 */
static inline v128_t prelu_dz(v128_t xv, v128_t g, const float *scale, const float *offset, const float *alpha,
                              v128_t *slope_term) {
  v128_t zero = wasm_f32x4_splat(0.0f);
  v128_t z = wasm_f32x4_add(wasm_f32x4_mul(xv, wasm_v128_load(scale)), wasm_v128_load(offset));
  v128_t pos = wasm_f32x4_gt(z, zero);
  *slope_term = wasm_v128_bitselect(zero, wasm_f32x4_mul(z, g), pos);
  return wasm_v128_bitselect(g, wasm_f32x4_mul(wasm_v128_load(alpha), g), pos);
}

/* The scalar form of prelu_dz for channel j. */
static inline float prelu_dz_scalar(float xv, float g, const float *scale, const float *offset, const float *alpha,
                                    int j, float *slope_term) {
  float z = xv * scale[j] + offset[j];
  int pos = z > 0;
  *slope_term = pos ? 0.0f : z * g;
  return pos ? g : alpha[j] * g;
}

/*
 * Adds rows r..r+n-1 to batch_norm_prelu_grad's sums (plain Σdz, cross Σdz·(x − mean), slope Σz·dy over
 * z ≤ 0), one row after another for each channel, read along the rows as channel_sums_rows reads them. Inlined with
 * n = PRELU_SUM_ROWS for whole groups.
 */
static inline void prelu_bn_sums_rows(const BatchNormGradParams *q, const float *scale, const float *offset, int r,
                                      int n, float *plain, float *cross, float *slope) {
  int c = q->c, j = 0;
  const float *dy = q->dy + r * c, *x = q->x + r * c, *mean = q->mean, *alpha = q->alpha;
  for (; j + 4 <= c; j += 4) {
    v128_t p = wasm_v128_load(plain + j), d = wasm_v128_load(cross + j), s = wasm_v128_load(slope + j);
    v128_t m = wasm_v128_load(mean + j);
    for (int k = 0; k < n; k++) {
      v128_t xv = wasm_v128_load(x + k * c + j), slope_term;
      v128_t dz = prelu_dz(xv, wasm_v128_load(dy + k * c + j), scale + j, offset + j, alpha + j, &slope_term);
      s = wasm_f32x4_add(s, slope_term);
      d = wasm_f32x4_add(d, wasm_f32x4_mul(dz, wasm_f32x4_sub(xv, m)));
      p = wasm_f32x4_add(p, dz);
    }
    wasm_v128_store(plain + j, p);
    wasm_v128_store(cross + j, d);
    wasm_v128_store(slope + j, s);
  }
  for (; j < c; j++) {
    float sum_plain = plain[j], sum_cross = cross[j], sum_slope = slope[j];
    for (int k = 0; k < n; k++) {
      float xv = x[k * c + j], slope_term;
      float dz = prelu_dz_scalar(xv, dy[k * c + j], scale, offset, alpha, j, &slope_term);
      sum_slope += slope_term;
      sum_cross += dz * (xv - mean[j]);
      sum_plain += dz;
    }
    plain[j] = sum_plain;
    cross[j] = sum_cross;
    slope[j] = sum_slope;
  }
}

/*
 * batch_norm_prelu_grad's sums, for the chunks t0..t1 of NORM_CHUNK rows: Σdz, Σdz·(x − mean) and Σz·dy over
 * z ≤ 0 into partials [3][chunks][c], each accumulated in row order from +0 exactly as channel_sums
 * (SUM_PLAIN_AND_CROSS over dz) and prelu_grad accumulate them, so the sums carry the bits of prelu_grad followed by
 * batch_norm_grad.
 */
static void prelu_bn_sums(const BatchNormGradParams *q, const float *scale, const float *offset, int t0, int t1) {
  int rows = q->rows, c = q->c;
  int chunks = (rows + NORM_CHUNK - 1) / NORM_CHUNK;
  for (int t = t0; t < t1; t++) {
    float *plain = q->partials + t * c, *cross = plain + chunks * c, *slope = cross + chunks * c;
    int r = t * NORM_CHUNK, r1 = min_int(r + NORM_CHUNK, rows);
    zero_floats(plain, c);
    zero_floats(cross, c);
    zero_floats(slope, c);
    for (; r + PRELU_SUM_ROWS <= r1; r += PRELU_SUM_ROWS)
      prelu_bn_sums_rows(q, scale, offset, r, PRELU_SUM_ROWS, plain, cross, slope);
    if (r < r1) prelu_bn_sums_rows(q, scale, offset, r, r1 - r, plain, cross, slope);
  }
}

/* batch_norm_grad's per-channel coefficients: the five C-float planes of BatchNormGradParams.coefficients. */
typedef struct {
  float *k, *k1, *k2, *scale, *offset;
} GradCoefficients;

static inline GradCoefficients grad_coefficients(const BatchNormGradParams *q) {
  float *k = q->coefficients;
  GradCoefficients co = {k, k + q->c, k + 2 * q->c, k + 3 * q->c, k + 4 * q->c};
  return co;
}

/*
 * batch_norm_grad's dx for row r: dx = k*dz + k1 + (x - mean)*k2, with dz = dy or the PReLU gradient when alpha is
 * given. A vector's coefficients are loaded before its x and dy: the same arithmetic, about 10% faster under V8 than
 * loading each at its use (benchmarks/README.md, "What V8 makes of a kernel loop").
 */
static inline void batch_norm_dx_row(const BatchNormGradParams *q, int r) {
  int c = q->c, j = 0;
  const float *dy = q->dy + r * c, *x = q->x + r * c, *mean = q->mean, *alpha = q->alpha;
  GradCoefficients co = grad_coefficients(q);
  const float *k = co.k, *k1 = co.k1, *k2 = co.k2, *scale = co.scale, *offset = co.offset;
  float *dx = q->dx + r * c;
  for (; j + 4 <= c; j += 4) {
    v128_t m = wasm_v128_load(mean + j), kv = wasm_v128_load(k + j), k1v = wasm_v128_load(k1 + j);
    v128_t k2v = wasm_v128_load(k2 + j);
    v128_t xv = wasm_v128_load(x + j), dz = wasm_v128_load(dy + j), unused;
    if (alpha) dz = prelu_dz(xv, dz, scale + j, offset + j, alpha + j, &unused);
    v128_t v = wasm_f32x4_add(wasm_f32x4_mul(kv, dz), k1v);
    wasm_v128_store(dx + j, wasm_f32x4_add(v, wasm_f32x4_mul(wasm_f32x4_sub(xv, m), k2v)));
  }
  for (; j < c; j++) {
    float unused, dz = alpha ? prelu_dz_scalar(x[j], dy[j], scale, offset, alpha, j, &unused) : dy[j];
    dx[j] = k[j] * dz + k1[j] + (x[j] - mean[j]) * k2[j];
  }
}

/* The phases of batch_norm_grad (batch_norm_prelu_grad runs all four; batch_norm_grad the last two). */
enum { GRAD_FOLD, GRAD_PRELU_SUMS, GRAD_COEFFICIENTS, GRAD_DX };

/*
 * Parameters: BatchNormGradParams (coefficients: 5C floats). For batch_norm_grad, dbeta and dgamma hold the plain
 * and cross channel sums on entry; batch_norm_prelu_grad (alpha not 0) takes them in its own phase.
 * GRAD_FOLD (one task): the forward pass's scale and offset. GRAD_PRELU_SUMS (tasks: chunks of NORM_CHUNK rows): the
 * sums' chunk partials (prelu_bn_sums). GRAD_COEFFICIENTS (one task): dgamma *= invStd and the coefficients of
 * dx = k*dz + k1 + (x - mean)*k2. GRAD_DX (tasks: rows): dx, with dz = dy, or the PReLU gradient when alpha is given.
 */
KERNEL(batch_norm_grad) {
  (void)scratch;
  const BatchNormGradParams *q = PARAMS(BatchNormGradParams);
  const float *gamma = q->gamma, *mean = q->mean, *invStd = q->inv_std;
  float *dgamma = q->dgamma, *dbeta = q->dbeta;
  int rows = q->rows, c = q->c, training = q->training, phase = q->phase;
  GradCoefficients co = grad_coefficients(q);
  if (phase == GRAD_FOLD) {
    for (int j = 0; j < c; j++) fold_channel(gamma, q->beta, mean, invStd, co.scale, co.offset, j);
    return;
  }
  if (phase == GRAD_PRELU_SUMS) {
    prelu_bn_sums(q, co.scale, co.offset, t0, t1);
    return;
  }
  if (phase == GRAD_COEFFICIENTS) {
    for (int j = 0; j < c; j++) {
      dgamma[j] *= invStd[j];
      co.k[j] = gamma[j] * invStd[j];
      co.k1[j] = training ? -co.k[j] * dbeta[j] / rows : 0.0f;
      co.k2[j] = training ? -co.k[j] * invStd[j] * dgamma[j] / rows : 0.0f;
    }
    return;
  }
  for (int r = t0; r < t1; r++) batch_norm_dx_row(q, r);
}

/* batch_norm_prelu_grad: batch_norm_grad's four phases, with BatchNormGradParams.alpha set. */
KERNEL(batch_norm_prelu_grad) { batch_norm_grad(p, t0, t1, scratch); }

/* ChannelAffineParams: x, alpha, y, c. Tasks: rows. */
KERNEL(prelu) {
  (void)scratch;
  const ChannelAffineParams *q = PARAMS(ChannelAffineParams);
  affine_prelu_rows(q->x, q->y, 0, 0, q->alpha, q->c, t0, t1);
}

/*
 * The fused per-channel epilogue: z = x * scale + shift, then PReLU (z > 0 ? z : alpha * z) when alpha is given.
 * ChannelAffineParams (alpha 0: no PReLU; no tensor lives at address 0). Tasks: rows.
 */
KERNEL(channel_affine_prelu) {
  (void)scratch;
  const ChannelAffineParams *q = PARAMS(ChannelAffineParams);
  const float *x = q->x, *scale = q->scale, *shift = q->shift, *alpha = q->alpha;
  float *y = q->y;
  int c = q->c;
  if (alpha) {
    affine_prelu_rows(x, y, scale, shift, alpha, c, t0, t1);
  } else {
    affine_prelu_rows(x, y, scale, shift, 0, c, t0, t1);
  }
}

/*
 * dx and per-chunk partials of dalpha (summed in chunk order by the host).
 * Parameters: PreluGradParams. Tasks: chunks of NORM_CHUNK rows.
 */
KERNEL(prelu_grad) {
  (void)scratch;
  const PreluGradParams *q = PARAMS(PreluGradParams);
  const float *dy = q->dy, *x = q->x, *alpha = q->alpha;
  float *dx = q->dx, *partials = q->partials;
  int rows = q->rows, c = q->c;
  v128_t zero = wasm_f32x4_splat(0.0f);
  for (int t = t0; t < t1; t++) {
    float *acc = partials + t * c;
    zero_floats(acc, c);
    int r1 = min_int((t + 1) * NORM_CHUNK, rows);
    for (int r = t * NORM_CHUNK; r < r1; r++) {
      const float *xr = x + r * c, *gr = dy + r * c;
      float *dxr = dx + r * c;
      int j = 0;
      for (; j + 4 <= c; j += 4) {
        v128_t v = wasm_v128_load(xr + j), g = wasm_v128_load(gr + j);
        v128_t pos = wasm_f32x4_gt(v, zero);
        wasm_v128_store(dxr + j, wasm_v128_bitselect(g, wasm_f32x4_mul(wasm_v128_load(alpha + j), g), pos));
        v128_t term = wasm_v128_bitselect(zero, wasm_f32x4_mul(v, g), pos);
        wasm_v128_store(acc + j, wasm_f32x4_add(wasm_v128_load(acc + j), term));
      }
      for (; j < c; j++) {
        int pos = xr[j] > 0;
        dxr[j] = pos ? gr[j] : alpha[j] * gr[j];
        acc[j] += pos ? 0.0f : xr[j] * gr[j];
      }
    }
  }
}

/* Parameters: L2NormalizeParams. Tasks: rows. */
KERNEL(l2_normalize) {
  (void)scratch;
  const L2NormalizeParams *q = PARAMS(L2NormalizeParams);
  const float *x = q->x;
  float *y = q->y, *norm = q->norm;
  int d = q->d;
  double eps = q->eps;
  for (int r = t0; r < t1; r++) {
    double sq = 0;
    for (int j = 0; j < d; j++) sq += (double)x[r * d + j] * x[r * d + j];
    double nr = __builtin_wasm_max_f64(__builtin_sqrt(sq), eps);
    norm[r] = (float)nr;
    for (int j = 0; j < d; j++) y[r * d + j] = (float)(x[r * d + j] / nr);
  }
}

/*
 * Layer norm over the last axis, each row in double precision in index order like the reference: mean, biased
 * variance from the deviations, y = (x - mean) * inv_std * gamma + beta. Parameters: LayerNormParams. Tasks: rows.
 */
KERNEL(layer_norm) {
  (void)scratch;
  const LayerNormParams *q = PARAMS(LayerNormParams);
  const float *x = q->x, *gamma = q->gamma, *beta = q->beta;
  float *y = q->y, *mean_out = q->mean, *inv_std_out = q->inv_std;
  int d = q->d;
  double eps = q->eps;
  for (int r = t0; r < t1; r++) {
    const float *xr = x + r * d;
    float *yr = y + r * d;
    double s = 0;
    for (int j = 0; j < d; j++) s += xr[j];
    double mean = s / d;
    double sq = 0;
    for (int j = 0; j < d; j++) sq += (xr[j] - mean) * (xr[j] - mean);
    double inv_std = 1 / __builtin_sqrt(sq / d + eps);
    mean_out[r] = (float)mean;
    inv_std_out[r] = (float)inv_std;
    for (int j = 0; j < d; j++) yr[j] = (float)((xr[j] - mean) * inv_std * gamma[j] + beta[j]);
  }
}

/*
 * Layer norm backward, per row in double precision like the reference: with xhat = (x - mean) * inv_std and
 * g = dy * gamma, dx = inv_std * (g - sum(g) / d - xhat * sum(g * xhat) / d); dy_xhat = dy * xhat for the host to
 * sum over rows into dgamma (with dbeta, by channel_sums in chunk order). Parameters: LayerNormGradParams.
 * Tasks: rows.
 */
KERNEL(layer_norm_grad) {
  (void)scratch;
  const LayerNormGradParams *q = PARAMS(LayerNormGradParams);
  const float *dy = q->dy, *x = q->x, *gamma = q->gamma, *mean = q->mean, *inv_std = q->inv_std;
  float *dx = q->dx, *dy_xhat = q->dy_xhat;
  int d = q->d;
  for (int r = t0; r < t1; r++) {
    const float *xr = x + r * d, *gr = dy + r * d;
    float *dxr = dx + r * d, *pr = dy_xhat + r * d;
    double m = mean[r], s = inv_std[r];
    double sum_g = 0, sum_g_xhat = 0;
    for (int j = 0; j < d; j++) {
      double xhat = (xr[j] - m) * s;
      double g = (double)gr[j] * gamma[j];
      sum_g += g;
      sum_g_xhat += g * xhat;
      pr[j] = (float)(gr[j] * xhat);
    }
    for (int j = 0; j < d; j++) {
      double xhat = (xr[j] - m) * s;
      dxr[j] = (float)(s * ((double)gr[j] * gamma[j] - sum_g / d - xhat * sum_g_xhat / d));
    }
  }
}
