/*
 * conv2d for 3x3 filters with stride 1, dilation 1 and one group (and conv2d_grad_input of such a convolution,
 * itself one: dy convolved with the filter rotated by 180 degrees, I and O swapped, padding 2 - p), by Winograd's
 * minimal filtering F(2x2, 3x3) (Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks", 2016): each
 * 2x2 output tile is A^T [(G g G^T) . (B^T d B)] A over a 4x4 input tile d, so the 36 multiplies per tile and
 * channel pair of the direct form become 16, done as 16 GEMMs [tiles, C] x [C, O] by the packed SGEMM of gemm.c.
 * The filter gradient (conv2d_grad_weight) uses the transposed algorithm; see the second half of this file.
 *
 *   B^T = | 1  0 -1  0 |     G = | 1    0    0   |     A^T = | 1  1  1  0 |
 *         | 0  1  1  0 |         | 1/2  1/2  1/2 |           | 0  1 -1 -1 |
 *         | 0 -1  1  0 |         | 1/2 -1/2  1/2 |
 *         | 0  1  0 -1 |         | 0    0    1   |
 *
 * Every output element is computed by the same sequence of operations whatever the thread count (tasks own
 * disjoint tiles), so results are deterministic; they differ from the direct convolution by rounding only.
 *
 * Phases (the host, src/backends/wasm/kernels/linalg.ts, runs them in order):
 *   winograd_filter:  U[xi][c][o] = (G g G^T)[xi] for every (c, o)     ConvParams: w, transformed (U), flip
 *                     tasks: input channels                              (1: w is the forward filter of an input
 *                                                                         gradient computed as this convolution)
 *   (pack_b, batched: the 16 matrices U[xi] packed for the GEMM)
 *   conv2d_winograd:  y from x and the packed U                          ConvParams: x, packed (U), y
 *                     tasks: WINO_MC-tile blocks of N * ceil(OH/2) * ceil(OW/2)
 */
#include "conv.h"
#include "gemm.h"

/* The first min(lanes, 4) floats at s, zero-filled to a vector. */
static inline v128_t load_lanes(const float *s, int lanes) {
  if (lanes >= 4) return wasm_v128_load(s);
  float t[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  for (int q = 0; q < lanes; q++) t[q] = s[q];
  return wasm_v128_load(t);
}

/* Stores the first min(lanes, 4) lanes of v at d. */
static inline void store_lanes(float *d, v128_t v, int lanes) {
  if (lanes >= 4) {
    wasm_v128_store(d, v);
    return;
  }
  float t[4];
  wasm_v128_store(t, v);
  for (int q = 0; q < lanes; q++) d[q] = t[q];
}

/* (G g G^T) for one channel pair, 4 output channels at once: g[ky * 3 + kx] -> u[i * 4 + j]. */
static inline void filter_transform(const v128_t g[9], v128_t u[16]) {
  v128_t half = wasm_f32x4_splat(0.5f), t[12];
  for (int kx = 0; kx < 3; kx++) {
    v128_t g0 = g[kx], g1 = g[3 + kx], g2 = g[6 + kx];
    v128_t s = wasm_f32x4_add(g0, g2);
    t[kx] = g0;
    t[3 + kx] = wasm_f32x4_mul(wasm_f32x4_add(s, g1), half);
    t[6 + kx] = wasm_f32x4_mul(wasm_f32x4_sub(s, g1), half);
    t[9 + kx] = g2;
  }
  for (int i = 0; i < 4; i++) {
    v128_t r0 = t[i * 3], r1 = t[i * 3 + 1], r2 = t[i * 3 + 2];
    v128_t s = wasm_f32x4_add(r0, r2);
    u[i * 4] = r0;
    u[i * 4 + 1] = wasm_f32x4_mul(wasm_f32x4_add(s, r1), half);
    u[i * 4 + 2] = wasm_f32x4_mul(wasm_f32x4_sub(s, r1), half);
    u[i * 4 + 3] = r2;
  }
}

/*
 * Tap k (ky * 3 + kx) of the filter for input channel c and output channels o..o+lanes-1 (zero beyond). Without
 * `flip` the filter is the HWIO tensor of this convolution; with `flip` it is the filter of the forward
 * convolution whose input gradient this is, read rotated by 180 degrees with I and O swapped.
 */
static inline v128_t filter_taps(const ConvGeom *g, const float *w, int flip, int k, int c, int o, int lanes) {
  float t[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  for (int q = 0; q < lanes; q++) t[q] = flip ? w[((8 - k) * g->o + o + q) * g->c + c] : w[(k * g->c + c) * g->o + o + q];
  return wasm_v128_load(t);
}

KERNEL(winograd_filter) {
  (void)scratch;
  const ConvParams *q = PARAMS(ConvParams);
  ConvGeom g = q->geom;
  const float *w = q->w;
  float *u = q->transformed;
  int flip = q->flip, plane = g.c * g.o;
  for (int c = t0; c < t1; c++) {
    for (int o = 0; o < g.o; o += 4) {
      int lanes = min_int(g.o - o, 4);
      v128_t taps[9], out[16];
      for (int k = 0; k < 9; k++) taps[k] = filter_taps(&g, w, flip, k, c, o, lanes);
      filter_transform(taps, out);
      for (int xi = 0; xi < 16; xi++) store_lanes(u + xi * plane + c * g.o + o, out[xi], lanes);
    }
  }
}

/* (B^T d B) of a 4x4 tile d[i * 4 + j] (4 channels per vector), in place. */
static inline void input_transform(v128_t d[16]) {
  for (int j = 0; j < 4; j++) {
    v128_t d0 = d[j], d1 = d[4 + j], d2 = d[8 + j], d3 = d[12 + j];
    d[j] = wasm_f32x4_sub(d0, d2);
    d[4 + j] = wasm_f32x4_add(d1, d2);
    d[8 + j] = wasm_f32x4_sub(d2, d1);
    d[12 + j] = wasm_f32x4_sub(d1, d3);
  }
  for (int i = 0; i < 4; i++) {
    v128_t d0 = d[i * 4], d1 = d[i * 4 + 1], d2 = d[i * 4 + 2], d3 = d[i * 4 + 3];
    d[i * 4] = wasm_f32x4_sub(d0, d2);
    d[i * 4 + 1] = wasm_f32x4_add(d1, d2);
    d[i * 4 + 2] = wasm_f32x4_sub(d2, d1);
    d[i * 4 + 3] = wasm_f32x4_sub(d1, d3);
  }
}

/* Where tile `tile` of the output starts: image, first output row and column. */
typedef struct {
  int b, oy, ox;
} TileAt;

/* Number of 2x2 output tiles of all images. */
static inline int tile_count(const ConvGeom *g) { return g->n * ((g->oh + 1) / 2) * ((g->ow + 1) / 2); }

static inline TileAt tile_at(const ConvGeom *g, int tile) {
  int tw = (g->ow + 1) / 2, th = (g->oh + 1) / 2;
  TileAt at = {tile / (th * tw), tile / tw % th * 2, tile % tw * 2};
  return at;
}

/*
 * Transforms input tiles [t0, t0 + tiles) for the 16 GEMMs; matrix xi starts at out + xi * stride. `packed`: the
 * packed-A layout, element (tile i, channel c) at (i / 4) * 4C + c * 4 + i % 4 (see gemm_block_packed_a); else
 * plain rows, element (i, c) at i * C + c (rows beyond `tiles` are not written).
 */
static void transform_inputs(const ConvGeom *g, const float *x, int t0, int tiles, float *pa, int panels,
                             int packed) {
  for (int i0 = 0; i0 < tiles; i0 += 4) {
    const float *src[4][16];
    for (int r = 0; r < 4; r++) {
      TileAt at = tile_at(g, t0 + i0 + r);
      for (int k = 0; k < 16; k++) {
        int iy = at.oy - g->ph + k / 4, ix = at.ox - g->pw + k % 4;
        int inside = i0 + r < tiles && iy >= 0 && iy < g->h && ix >= 0 && ix < g->w;
        src[r][k] = inside ? x + ((at.b * g->h + iy) * g->w + ix) * g->c : 0;
      }
    }
    float *panel = pa + i0 * g->c;
    for (int c = 0; c < g->c; c += 4) {
      /* v[xi][r]: the 4 channels c..c+3 of tile r at transform position xi */
      v128_t v[16][4];
      for (int r = 0; r < 4; r++) {
        v128_t d[16];
        for (int k = 0; k < 16; k++) {
          d[k] = src[r][k] ? load_lanes(src[r][k] + c, g->c - c) : wasm_f32x4_splat(0.0f);
        }
        input_transform(d);
        for (int xi = 0; xi < 16; xi++) v[xi][r] = d[xi];
      }
      for (int xi = 0; xi < 16; xi++) {
        if (!packed) {
          for (int r = 0; r < 4 && i0 + r < tiles; r++) {
            store_lanes(pa + xi * panels + (i0 + r) * g->c + c, v[xi][r], g->c - c);
          }
          continue;
        }
        float *dst = panel + xi * panels + c * 4;
        if (c + 4 <= g->c) {
          store_4x4_transposed(dst, v[xi][0], v[xi][1], v[xi][2], v[xi][3]);
        } else {
          float block[16];
          store_4x4_transposed(block, v[xi][0], v[xi][1], v[xi][2], v[xi][3]);
          for (int q = 0; c + q < g->c; q++) {
            for (int r = 0; r < 4; r++) dst[q * 4 + r] = block[q * 4 + r];
          }
        }
      }
    }
  }
}

/* y of tiles [t0, t0 + tiles) = A^T m A, from the 16 GEMM results m[xi][tile][o] (row stride O, matrix stride mstride). */
static void transform_outputs(const ConvGeom *g, const float *m, int mstride, int t0, int tiles, float *y) {
  for (int i = 0; i < tiles; i++) {
    TileAt at = tile_at(g, t0 + i);
    int rows = min_int(g->oh - at.oy, 2), cols = min_int(g->ow - at.ox, 2);
    float *out = y + ((at.b * g->oh + at.oy) * g->ow + at.ox) * g->o;
    const float *mt = m + i * g->o;
    for (int o = 0; o < g->o; o += 4) {
      v128_t s[8];
      int lanes = g->o - o;
      for (int j = 0; j < 4; j++) {
        v128_t m0 = load_lanes(mt + j * mstride + o, lanes), m1 = load_lanes(mt + (4 + j) * mstride + o, lanes);
        v128_t m2 = load_lanes(mt + (8 + j) * mstride + o, lanes), m3 = load_lanes(mt + (12 + j) * mstride + o, lanes);
        s[j] = wasm_f32x4_add(wasm_f32x4_add(m0, m1), m2);
        s[4 + j] = wasm_f32x4_sub(wasm_f32x4_sub(m1, m2), m3);
      }
      for (int r = 0; r < rows; r++) {
        v128_t s0 = s[r * 4], s1 = s[r * 4 + 1], s2 = s[r * 4 + 2], s3 = s[r * 4 + 3];
        v128_t px[2] = {wasm_f32x4_add(wasm_f32x4_add(s0, s1), s2), wasm_f32x4_sub(wasm_f32x4_sub(s1, s2), s3)};
        for (int q = 0; q < cols; q++) store_lanes(out + (r * g->ow + q) * g->o + o, px[q], lanes);
      }
    }
  }
}

KERNEL(conv2d_winograd) {
  const ConvParams *q = PARAMS(ConvParams);
  ConvGeom g = q->geom;
  const float *x = q->x, *packed = q->packed;
  float *y = q->y;
  int tiles_total = tile_count(&g);
  int panels = WINO_MC * g.c, mstride = WINO_MC * g.o;
  int npad = (g.o + 7) / 8 * 8;
  float *pa = scratch, *m = scratch + 16 * panels;
  MatView unused = {0, 0, 0};
  for (int t = t0; t < t1; t++) {
    int first = t * WINO_MC;
    int tiles = min_int(tiles_total - first, WINO_MC);
    transform_inputs(&g, x, first, tiles, pa, panels, 1);
    for (int xi = 0; xi < 16; xi++) {
      gemm_block_packed_a(tiles, g.o, g.c, pa + xi * panels, unused, packed + xi * g.c * npad, m + xi * mstride,
                          g.o, 0, scratch);
    }
    transform_outputs(&g, m, mstride, first, tiles, y);
  }
}

/*
 * The filter gradient of such a convolution, by the transposition of F(2x2, 3x3): for each tile,
 * dW = G^T [(A dy A^T) . (B^T d B)] G, so U[xi][c][o] = sum over tiles of V[xi][tile][c] * D[xi][tile][o] is 16 GEMMs
 * [C, tiles] x [tiles, O], and dW = G^T U G per (c, o).
 *   conv2d_grad_weight_winograd: partials[t] = U of tile chunk t     ConvParams: x, dy, partials
 *                                tasks: WINO_GRAD_CHUNK-tile chunks
 *   (sum_partials adds the chunks in chunk order)
 *   winograd_filter_grad:        dw from U                           ConvParams: transformed (U), dw; tasks: C
 */

/* (A dy A^T) of the 2x2 output-gradient tiles [t0, t0 + tiles): D[xi][i][o] at d + xi * stride + i * O + o. */
static void transform_output_grads(const ConvGeom *g, const float *dy, int t0, int tiles, float *d, int stride) {
  for (int i = 0; i < tiles; i++) {
    TileAt at = tile_at(g, t0 + i);
    const float *src[4];
    for (int k = 0; k < 4; k++) {
      int oy = at.oy + k / 2, ox = at.ox + k % 2;
      src[k] = oy < g->oh && ox < g->ow ? dy + ((at.b * g->oh + oy) * g->ow + ox) * g->o : 0;
    }
    for (int o = 0; o < g->o; o += 4) {
      int lanes = min_int(g->o - o, 4);
      v128_t q[4];
      for (int k = 0; k < 4; k++) q[k] = src[k] ? load_lanes(src[k] + o, lanes) : wasm_f32x4_splat(0.0f);
      /* rows: (A dy) with A = [1 0; 1 1; 1 -1; 0 -1], then the same over columns */
      v128_t r[4][2];
      for (int j = 0; j < 2; j++) {
        v128_t a = q[j], b = q[2 + j];
        r[0][j] = a;
        r[1][j] = wasm_f32x4_add(a, b);
        r[2][j] = wasm_f32x4_sub(a, b);
        r[3][j] = wasm_f32x4_neg(b);
      }
      for (int row = 0; row < 4; row++) {
        v128_t a = r[row][0], b = r[row][1];
        v128_t out[4] = {a, wasm_f32x4_add(a, b), wasm_f32x4_sub(a, b), wasm_f32x4_neg(b)};
        for (int col = 0; col < 4; col++) store_lanes(d + (row * 4 + col) * stride + i * g->o + o, out[col], lanes);
      }
    }
  }
}

KERNEL(conv2d_grad_weight_winograd) {
  const ConvParams *q = PARAMS(ConvParams);
  ConvGeom g = q->geom;
  const float *x = q->x, *dy = q->dy;
  float *partials = q->partials;
  int tiles_total = tile_count(&g);
  int vstride = WINO_GRAD_CHUNK * g.c, dstride = WINO_GRAD_CHUNK * g.o;
  float *v = scratch + GEMM_SCRATCH, *d = v + 16 * vstride;
  for (int t = t0; t < t1; t++) {
    int first = t * WINO_GRAD_CHUNK;
    int tiles = min_int(tiles_total - first, WINO_GRAD_CHUNK);
    transform_inputs(&g, x, first, tiles, v, vstride, 0);
    transform_output_grads(&g, dy, first, tiles, d, dstride);
    float *u = partials + t * 16 * g.c * g.o;
    for (int xi = 0; xi < 16; xi++) {
      MatView b = {d + xi * dstride, g.o, 1};
      for (int i0 = 0; i0 < g.c; i0 += GEMM_MC) {
        int rows = min_int(g.c - i0, GEMM_MC);
        MatView a = {v + xi * vstride + i0, 1, g.c};
        gemm_block(rows, g.o, tiles, a, b, 0, u + (xi * g.c + i0) * g.o, g.o, 0, scratch);
      }
    }
  }
}

/* G^T u G for one channel pair, 4 output channels at once: u[i * 4 + j] -> w[ky * 3 + kx]. */
static inline void filter_grad_transform(const v128_t u[16], v128_t w[9]) {
  v128_t half = wasm_f32x4_splat(0.5f), t[12];
  for (int j = 0; j < 4; j++) {
    v128_t u0 = u[j], u1 = u[4 + j], u2 = u[8 + j], u3 = u[12 + j];
    v128_t s = wasm_f32x4_mul(wasm_f32x4_add(u1, u2), half);
    t[j] = wasm_f32x4_add(u0, s);
    t[4 + j] = wasm_f32x4_mul(wasm_f32x4_sub(u1, u2), half);
    t[8 + j] = wasm_f32x4_add(s, u3);
  }
  for (int ky = 0; ky < 3; ky++) {
    v128_t r0 = t[ky * 4], r1 = t[ky * 4 + 1], r2 = t[ky * 4 + 2], r3 = t[ky * 4 + 3];
    v128_t s = wasm_f32x4_mul(wasm_f32x4_add(r1, r2), half);
    w[ky * 3] = wasm_f32x4_add(r0, s);
    w[ky * 3 + 1] = wasm_f32x4_mul(wasm_f32x4_sub(r1, r2), half);
    w[ky * 3 + 2] = wasm_f32x4_add(s, r3);
  }
}

KERNEL(winograd_filter_grad) {
  (void)scratch;
  const ConvParams *q = PARAMS(ConvParams);
  ConvGeom g = q->geom;
  const float *u = q->transformed;
  float *dw = q->dw;
  int plane = g.c * g.o;
  for (int c = t0; c < t1; c++) {
    for (int o = 0; o < g.o; o += 4) {
      int lanes = min_int(g.o - o, 4);
      v128_t in[16], out[9];
      for (int xi = 0; xi < 16; xi++) in[xi] = load_lanes(u + xi * plane + c * g.o + o, lanes);
      filter_grad_transform(in, out);
      for (int k = 0; k < 9; k++) store_lanes(dw + (k * g.c + c) * g.o + o, out[k], lanes);
    }
  }
}
