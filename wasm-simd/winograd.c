/*
 * conv2d for 3x3 filters with stride 1, dilation 1 and one group (and conv2d_grad_input of such a convolution,
 * itself one: dy convolved with the filter rotated by 180 degrees, I and O swapped, padding 2 - p), by Winograd's
 * minimal filtering (Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks", 2016): each m x m output
 * tile is A^T [(G g G^T) . (B^T d B)] A over an a x a input tile d (a = m + 2), so the 9 m^2 multiplies per tile
 * and channel pair of the direct form become a^2, done as a^2 GEMMs [tiles, C] x [C, O] by the packed SGEMM of
 * gemm.c. Two tile sizes (ConvParams.tile): F(2x2, 3x3) (m = 2, 16 products for 36 multiplies) and F(4x4, 3x3)
 * (m = 4, 36 products for 144 multiplies; interpolation points 0, +-1, +-2, larger transform coefficients, so more
 * rounding). The filter gradient (conv2d_grad_weight) uses the transposed algorithm; see the second half of this
 * file. The forward of a stride-2 3x3 convolution (the host takes it in eval mode only) has a form of its own,
 * F(4x4, 3x3) at stride 2 (ConvParams.tile 4 with geom.sh 2): its polyphase parts as one 9 x 9 transform, 81 products
 * for 144 multiplies (see g_1d_s2); every function below takes the stride s with m, and a = tile_side(m, s).
 *
 *   F(2x2, 3x3):
 *   B^T = | 1  0 -1  0 |     G = | 1    0    0   |     A^T = | 1  1  1  0 |
 *         | 0  1  1  0 |         | 1/2  1/2  1/2 |           | 0  1 -1 -1 |
 *         | 0 -1  1  0 |         | 1/2 -1/2  1/2 |
 *         | 0  1  0 -1 |         | 0    0    1   |
 *
 *   F(4x4, 3x3):
 *   B^T = | 4  0 -5  0  1  0 |   G = |  1/4    0     0   |   A^T = | 1  1  1  1  1  0 |
 *         | 0 -4 -4  1  1  0 |       | -1/6  -1/6  -1/6  |         | 0  1 -1  2 -2  0 |
 *         | 0  4 -4 -1  1  0 |       | -1/6   1/6  -1/6  |         | 0  1  1  4  4  0 |
 *         | 0 -2 -1  2  1  0 |       |  1/24  1/12  1/6  |         | 0  1 -1  8 -8  1 |
 *         | 0  2 -1 -2  1  0 |       |  1/24 -1/12  1/6  |
 *         | 0  4  0 -5  0  1 |       |  0     0     1    |
 *
 * Every output element is computed by the same sequence of operations whatever the thread count (tasks own
 * disjoint tiles), so results are deterministic; they differ from the direct convolution by rounding only.
 *
 * Phases (the host, src/backends/wasm/kernels/linalg.ts, runs them in order):
 *   winograd_filter:  U[xi][c][o] = (G g G^T)[xi] for every (c, o),     ConvParams: w, packed (U), flip, tile
 *                     written in pack_b's layout for the GEMMs           (1: w is the forward filter of an input
 *                     tasks: input channels (with flip: 8-column          gradient computed as this convolution)
 *                     panels of the output channels)
 *   conv2d_winograd:  y from x and the packed U                          ConvParams: x, packed (U), y, tile,
 *                     tasks: blocks of `block` tiles (at most WINO_MC     block, col_parts
 *                     for m = 2, WINO4_MC for m = 4) of the
 *                     N * ceil(OH/m) * ceil(OW/m) tiles, each cut into
 *                     col_parts parts of the output channels
 *                     (column_part; a task reuses the transformed inputs
 *                     of the previous one when it continues the same
 *                     block); a tile's arithmetic does not depend on
 *                     which block holds it
 *
 * The transforms are written once for both tile sizes: every function takes m, and the kernels call them with a
 * constant m, so the compiler specialises each. The m = 2 arithmetic (operations and their order) is the one this
 * file had before F(4x4, 3x3) was added, so its results did not change by a bit.
 */
#include "conv.h"
#include "gemm.h"

/* Side and points of the largest input tile (9x9, F(4x4, 3x3) with stride 2). */
#define MAX_SIDE 9
#define MAX_POINTS 81

/* Side of the input tile (and of the transforms) of F(m x m, 3x3) with stride s: m + 2, or 2m + 1 at stride 2. */
static inline int tile_side(int m, int s) { return s == 1 ? m + 2 : 2 * m + 1; }

#define SPLAT(v) wasm_f32x4_splat(v)
#define ADD(a, b) wasm_f32x4_add(a, b)
#define SUB(a, b) wasm_f32x4_sub(a, b)
#define MUL(a, b) wasm_f32x4_mul(a, b)

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

/*
 * The one-dimensional transforms, each from `in` (element k at in[k * is]) to `out` (element k at out[k * os]);
 * every input is read before any output is written, so in == out is allowed.
 */

/* G at stride 1: 3 filter taps to m + 2 points. */
static inline void g_1d_s1(int m, const v128_t *in, int is, v128_t *out, int os) {
  v128_t g0 = in[0], g1 = in[is], g2 = in[2 * is], s = ADD(g0, g2);
  if (m == 2) {
    v128_t half = SPLAT(0.5f);
    out[0] = g0;
    out[os] = MUL(ADD(s, g1), half);
    out[2 * os] = MUL(SUB(s, g1), half);
    out[3 * os] = g2;
    return;
  }
  v128_t p = ADD(MUL(g0, SPLAT(0.25f)), g2), h = MUL(g1, SPLAT(0.5f));
  v128_t minus_sixth = SPLAT(-1.0f / 6.0f), sixth = SPLAT(1.0f / 6.0f);
  out[0] = MUL(g0, SPLAT(0.25f));
  out[os] = MUL(ADD(s, g1), minus_sixth);
  out[2 * os] = MUL(SUB(s, g1), minus_sixth);
  out[3 * os] = MUL(ADD(p, h), sixth);
  out[4 * os] = MUL(SUB(p, h), sixth);
  out[5 * os] = g2;
}

/* B^T at stride 1: m + 2 input points to m + 2 transformed points. */
static inline void bt_1d_s1(int m, const v128_t *in, int is, v128_t *out, int os) {
  if (m == 2) {
    v128_t d0 = in[0], d1 = in[is], d2 = in[2 * is], d3 = in[3 * is];
    out[0] = SUB(d0, d2);
    out[os] = ADD(d1, d2);
    out[2 * os] = SUB(d2, d1);
    out[3 * os] = SUB(d1, d3);
    return;
  }
  v128_t d0 = in[0], d1 = in[is], d2 = in[2 * is], d3 = in[3 * is], d4 = in[4 * is], d5 = in[5 * is];
  v128_t four = SPLAT(4.0f), five = SPLAT(5.0f);
  v128_t t1 = SUB(d4, MUL(d2, four)), t2 = SUB(d3, MUL(d1, four));
  v128_t t3 = SUB(d4, d2), t4 = MUL(SUB(d3, d1), SPLAT(2.0f));
  out[0] = ADD(SUB(MUL(d0, four), MUL(d2, five)), d4);
  out[os] = ADD(t1, t2);
  out[2 * os] = SUB(t1, t2);
  out[3 * os] = ADD(t3, t4);
  out[4 * os] = SUB(t3, t4);
  out[5 * os] = ADD(SUB(MUL(d1, four), MUL(d3, five)), d5);
}

/* A^T at stride 1: m + 2 products to m outputs. */
static inline void at_1d_s1(int m, const v128_t *in, int is, v128_t *out, int os) {
  if (m == 2) {
    v128_t m0 = in[0], m1 = in[is], m2 = in[2 * is], m3 = in[3 * is];
    out[0] = ADD(ADD(m0, m1), m2);
    out[os] = SUB(SUB(m1, m2), m3);
    return;
  }
  v128_t m0 = in[0], m5 = in[5 * is];
  v128_t a = ADD(in[is], in[2 * is]), b = SUB(in[is], in[2 * is]);
  v128_t c = ADD(in[3 * is], in[4 * is]), d = SUB(in[3 * is], in[4 * is]);
  out[0] = ADD(ADD(m0, a), c);
  out[os] = ADD(b, MUL(d, SPLAT(2.0f)));
  out[2 * os] = ADD(a, MUL(c, SPLAT(4.0f)));
  out[3 * os] = ADD(ADD(b, MUL(d, SPLAT(8.0f))), m5);
}

/*
 * The stride-2 form (s = 2, m = 4), one dimension: output j of a tile is w0 d[2j] + w2 d[2j + 2] + w1 d[2j + 1] over
 * its 9 inputs, the 2-tap correlation of the 5 even inputs with (w0, w2) by F(4, 2) (interpolation points 0, 1, -1,
 * 2 and infinity; 5 products) plus the 4 odd inputs times w1 (4 products): 9 points in all, 81 in two dimensions for
 * 16 outputs instead of 144 multiplies. Points 0-4 are F(4, 2)'s, 5-8 the odd inputs'.
 *   F(4, 2):  B^T = | 2 -1 -2  1  0 |   G = | 1/2   0   |   A^T = | 1  1  1  1  0 |
 *                   | 0  2  1 -1  0 |       | 1/2  1/2  |         | 0  1 -1  2  0 |
 *                   | 0 -2  3 -1  0 |       | 1/6 -1/6  |         | 0  1  1  4  0 |
 *                   | 0 -1  0  1  0 |       | 1/6  1/3  |         | 0  1 -1  8  1 |
 *                   | 0  2 -1 -2  1 |       | 0    1    |
 */

/* G of the stride-2 form: taps (w0, w1, w2) to 9 points. */
static inline void g_1d_s2(const v128_t *in, int is, v128_t *out, int os) {
  v128_t g0 = in[0], g1 = in[is], g2 = in[2 * is], sixth = SPLAT(1.0f / 6.0f);
  out[0] = MUL(g0, SPLAT(0.5f));
  out[os] = MUL(ADD(g0, g2), SPLAT(0.5f));
  out[2 * os] = MUL(SUB(g0, g2), sixth);
  out[3 * os] = MUL(ADD(g0, ADD(g2, g2)), sixth);
  out[4 * os] = g2;
  for (int j = 5; j < 9; j++) out[j * os] = g1;
}

/* B^T of the stride-2 form: 9 inputs to 9 points. */
static inline void bt_1d_s2(const v128_t *in, int is, v128_t *out, int os) {
  v128_t e0 = in[0], o0 = in[is], e1 = in[2 * is], o1 = in[3 * is], e2 = in[4 * is];
  v128_t o2 = in[5 * is], e3 = in[6 * is], o3 = in[7 * is], e4 = in[8 * is];
  v128_t e1x2 = ADD(e1, e1), e3x2 = ADD(e3, e3);
  out[0] = ADD(SUB(SUB(ADD(e0, e0), e1), ADD(e2, e2)), e3);
  out[os] = SUB(ADD(e1x2, e2), e3);
  out[2 * os] = SUB(SUB(MUL(e2, SPLAT(3.0f)), e1x2), e3);
  out[3 * os] = SUB(e3, e1);
  out[4 * os] = ADD(SUB(SUB(e1x2, e2), e3x2), e4);
  out[5 * os] = o0;
  out[6 * os] = o1;
  out[7 * os] = o2;
  out[8 * os] = o3;
}

/* A^T of the stride-2 form: 9 products to 4 outputs. */
static inline void at_1d_s2(const v128_t *in, int is, v128_t *out, int os) {
  v128_t p0 = in[0], p3 = in[3 * is], p4 = in[4 * is];
  v128_t a = ADD(in[is], in[2 * is]), b = SUB(in[is], in[2 * is]);
  out[0] = ADD(ADD(ADD(p0, a), p3), in[5 * is]);
  out[os] = ADD(ADD(b, ADD(p3, p3)), in[6 * is]);
  out[2 * os] = ADD(ADD(a, MUL(p3, SPLAT(4.0f))), in[7 * is]);
  out[3 * os] = ADD(ADD(ADD(b, MUL(p3, SPLAT(8.0f))), p4), in[8 * is]);
}

/* G: 3 filter taps to tile_side(m, s) points. */
static inline void g_1d(int m, int s, const v128_t *in, int is, v128_t *out, int os) {
  if (s == 2) {
    g_1d_s2(in, is, out, os);
    return;
  }
  g_1d_s1(m, in, is, out, os);
}

/* B^T: tile_side(m, s) inputs to as many transformed points. */
static inline void bt_1d(int m, int s, const v128_t *in, int is, v128_t *out, int os) {
  if (s == 2) {
    bt_1d_s2(in, is, out, os);
    return;
  }
  bt_1d_s1(m, in, is, out, os);
}

/* A^T: tile_side(m, s) products to m outputs. */
static inline void at_1d(int m, int s, const v128_t *in, int is, v128_t *out, int os) {
  if (s == 2) {
    at_1d_s2(in, is, out, os);
    return;
  }
  at_1d_s1(m, in, is, out, os);
}

/* A: m output gradients to m + 2 points (the transpose of A^T). */
static inline void a_1d(int m, const v128_t *in, int is, v128_t *out, int os) {
  if (m == 2) {
    v128_t a = in[0], b = in[is];
    out[0] = a;
    out[os] = ADD(a, b);
    out[2 * os] = SUB(a, b);
    out[3 * os] = wasm_f32x4_neg(b);
    return;
  }
  v128_t q0 = in[0], q1 = in[is], q2 = in[2 * is], q3 = in[3 * is];
  v128_t e = ADD(q0, q2), o = ADD(q1, q3);
  v128_t e4 = ADD(q0, MUL(q2, SPLAT(4.0f))), o4 = ADD(MUL(q1, SPLAT(2.0f)), MUL(q3, SPLAT(8.0f)));
  out[0] = q0;
  out[os] = ADD(e, o);
  out[2 * os] = SUB(e, o);
  out[3 * os] = ADD(e4, o4);
  out[4 * os] = SUB(e4, o4);
  out[5 * os] = q3;
}

/* G^T: m + 2 points to 3 filter taps (the transpose of G). */
static inline void gt_1d(int m, const v128_t *in, int is, v128_t *out, int os) {
  if (m == 2) {
    v128_t half = SPLAT(0.5f), u0 = in[0], u1 = in[is], u2 = in[2 * is], u3 = in[3 * is];
    v128_t s = MUL(ADD(u1, u2), half);
    out[0] = ADD(u0, s);
    out[os] = MUL(SUB(u1, u2), half);
    out[2 * os] = ADD(s, u3);
    return;
  }
  v128_t u0 = in[0], u5 = in[5 * is], sixth = SPLAT(1.0f / 6.0f);
  v128_t s12 = ADD(in[is], in[2 * is]), d12 = SUB(in[2 * is], in[is]);
  v128_t s34 = ADD(in[3 * is], in[4 * is]), d34 = SUB(in[3 * is], in[4 * is]);
  out[0] = ADD(MUL(u0, SPLAT(0.25f)), MUL(SUB(MUL(s34, SPLAT(0.25f)), s12), sixth));
  out[os] = MUL(ADD(d12, MUL(d34, SPLAT(0.5f))), sixth);
  out[2 * os] = ADD(MUL(SUB(s34, s12), sixth), u5);
}

/* (G g G^T) for one channel pair, 4 output channels at once: g[ky * 3 + kx] -> u[i * a + j], a = tile_side(m, s). */
static inline void filter_transform(int m, int s, const v128_t g[9], v128_t u[MAX_POINTS]) {
  int a = tile_side(m, s);
  v128_t t[MAX_SIDE * 3];
  for (int kx = 0; kx < 3; kx++) g_1d(m, s, g + kx, 3, t + kx, 3);
  for (int i = 0; i < a; i++) g_1d(m, s, t + i * 3, 1, u + i * a, 1);
}

/* Input channels transformed per pass over the output channels (their packed rows are 8 floats apart). */
#define FILTER_CHANNELS 16

/*
 * The 9 taps of input channels c0..c0+group-1 (group <= FILTER_CHANNELS) for output channels o..o+lanes-1 (zero
 * beyond), taps[c][k] for tap k = ky * 3 + kx. Without `flip` the filter is the HWIO tensor of this convolution:
 * tap k of (c, o) at w[(k * C + c) * O + o]. With `flip` it is the filter of the forward convolution whose input
 * gradient this is, read rotated by 180 degrees with I and O swapped: tap k of (c, o) at w[((8 - k) * O + o) * C
 * + c], contiguous in c, so it is read in 4 x 4 blocks (4 output x 4 input channels) transposed through a 16-float block on the stack.
 */
static inline __attribute__((always_inline)) void load_taps(const ConvGeom *g, const float *w, int flip, int c0,
                                                            int group, int o, int lanes,
                                                            v128_t taps[FILTER_CHANNELS][9]) {
  if (!flip) {
    for (int k = 0; k < 9; k++) {
      for (int c = 0; c < group; c++) taps[c][k] = load_lanes(w + (k * g->c + c0 + c) * g->o + o, lanes);
    }
    return;
  }
  for (int k = 0; k < 9; k++) {
    for (int c = 0; c < group; c += 4) {
      v128_t rows[4];
      for (int r = 0; r < 4; r++) {
        rows[r] = r < lanes ? load_lanes(w + ((8 - k) * g->o + o + r) * g->c + c0 + c, group - c) : SPLAT(0.0f);
      }
      float block[16];
      store_4x4_transposed(block, rows[0], rows[1], rows[2], rows[3]);
      for (int j = 0; j < 4; j++) taps[c + j][k] = wasm_v128_load(block + 4 * j);
    }
  }
}

/*
 * U = G g G^T of input channels [c0, c0 + group) (group <= FILTER_CHANNELS) and output channels o..o+3, written
 * straight into the packed-B layout of the (m + 2)^2 GEMMs (see pack_b in gemm.c: matrix xi at packed + xi *
 * wino_plane(C * npad); within it the K blocks of gemm_kstep(C), each holding 8-column micro-panels of kc rows), so
 * no unpacked U is stored and copied. Columns O..npad-1 are written as zeros, as pack_b pads them.
 */
static inline __attribute__((always_inline)) void transform_filter_block(int m, int s, const ConvParams *q, int c0,
                                                                         int group, int o) {
  ConvGeom g = q->geom;
  int points = tile_side(m, s) * tile_side(m, s), npad = panel_columns(g.o);
  int plane = wino_plane(g.c * npad), kstep = gemm_kstep(g.c);
  int lanes = max_int(min_int(g.o - o, 4), 0);
  v128_t taps[FILTER_CHANNELS][9];
  load_taps(&g, q->w, q->flip, c0, group, o, lanes, taps);
  for (int c = 0; c < group; c++) {
    int ch = c0 + c, p0 = ch / kstep * kstep, kc = min_int(g.c - p0, kstep);
    float *dst = q->packed + p0 * npad + (o / 8 * 8) * kc + (ch - p0) * 8 + o % 8;
    v128_t out[MAX_POINTS];
    filter_transform(m, s, taps[c], out);
    for (int xi = 0; xi < points; xi++) wasm_v128_store(dst + xi * plane, out[xi]);
  }
}

/*
 * The transformed filter, in an order that reads the filter along its contiguous axis: tasks are input channels
 * (FILTER_CHANNELS at a time, their rows of a micro-panel adjacent) for a forward filter, contiguous in the output
 * channel; and 8-column panels of the output channels for a rotated one, contiguous in the input channel (read across
 * output channels, it was read 64 bytes per 2 KB row and took twice as long).
 */
static inline __attribute__((always_inline)) void transform_filters(int m, int s, const ConvParams *q, int t0,
                                                                    int t1) {
  ConvGeom g = q->geom;
  int npad = panel_columns(g.o);
  if (!q->flip) {
    for (int c0 = t0; c0 < t1; c0 += FILTER_CHANNELS) {
      for (int o = 0; o < npad; o += 4) transform_filter_block(m, s, q, c0, min_int(t1 - c0, FILTER_CHANNELS), o);
    }
    return;
  }
  for (int panel = t0; panel < t1; panel++) {
    for (int c0 = 0; c0 < g.c; c0 += FILTER_CHANNELS) {
      for (int o = panel * 8; o < panel * 8 + 8; o += 4) {
        transform_filter_block(m, s, q, c0, min_int(g.c - c0, FILTER_CHANNELS), o);
      }
    }
  }
}

KERNEL(winograd_filter) {
  (void)scratch;
  const ConvParams *q = PARAMS(ConvParams);
  if (q->tile == 4 && q->geom.sh == 2) {
    transform_filters(4, 2, q, t0, t1);
  } else if (q->tile == 4) {
    transform_filters(4, 1, q, t0, t1);
  } else {
    transform_filters(2, 1, q, t0, t1);
  }
}

/* (B^T d B) of an a x a tile d[i * a + j], a = tile_side(m, s) (4 channels per vector), in place. */
static inline void input_transform(int m, int s, v128_t d[MAX_POINTS]) {
  int a = tile_side(m, s);
  for (int j = 0; j < a; j++) bt_1d(m, s, d + j, a, d + j, a);
  for (int i = 0; i < a; i++) bt_1d(m, s, d + i * a, 1, d + i * a, 1);
}

/* Where tile `tile` of the output starts: image, first output row and column. */
typedef struct {
  int b, oy, ox;
} TileAt;

/* Number of m x m output tiles of all images. */
static inline int tile_count(const ConvGeom *g, int m) { return g->n * ((g->oh + m - 1) / m) * ((g->ow + m - 1) / m); }

static inline TileAt tile_at(const ConvGeom *g, int m, int tile) {
  int tw = (g->ow + m - 1) / m, th = (g->oh + m - 1) / m;
  TileAt at = {tile / (th * tw), tile / tw % th * m, tile % tw * m};
  return at;
}

/* The layouts transform_inputs writes its a^2 planes in: packed A of a GEMM over tiles or over channels. */
enum {
  /* the forward's GEMMs [tiles, C] (see gemm_block_packed_a): element (tile i, channel c) at (i / 4) * 4C + c * 4 +
     i % 4 */
  TILE_ROWS,
  /* the filter gradient's GEMMs [C, tiles] (rows C rounded up to 4, zeros beyond): element (channel c, tile i) at
     (c / 4) * 4 * tiles + i * 4 + c % 4 */
  CHANNEL_ROWS,
};

/*
 * Transforms input tiles [t0, t0 + tiles) for the a^2 GEMMs (a = tile_side(m, s); at stride s the a x a input tile of
 * an output tile at (oy, ox) starts at (s oy - ph, s ox - pw)), packed as `layout` says; matrix xi starts at
 * pa + xi * stride.
 */
static inline __attribute__((always_inline)) void transform_inputs(int m, int s, const ConvGeom *g, const float *x,
                                                                   int t0, int tiles, float *pa, int stride,
                                                                   int layout) {
  int a = tile_side(m, s), points = a * a;
  for (int i0 = 0; i0 < tiles; i0 += 4) {
    const float *src[4][MAX_POINTS];
    for (int r = 0; r < 4; r++) {
      TileAt at = tile_at(g, m, t0 + i0 + r);
      for (int k = 0; k < points; k++) {
        int iy = at.oy * s - g->ph + k / a, ix = at.ox * s - g->pw + k % a;
        int inside = i0 + r < tiles && iy >= 0 && iy < g->h && ix >= 0 && ix < g->w;
        src[r][k] = inside ? x + ((at.b * g->h + iy) * g->w + ix) * g->c : 0;
      }
    }
    float *panel = pa + i0 * g->c;
    for (int c = 0; c < g->c; c += 4) {
      /* v[xi][r]: the 4 channels c..c+3 of tile r at transform position xi (zero beyond C) */
      v128_t v[MAX_POINTS][4];
      for (int r = 0; r < 4; r++) {
        v128_t d[MAX_POINTS];
        for (int k = 0; k < points; k++) {
          d[k] = src[r][k] ? load_lanes(src[r][k] + c, g->c - c) : wasm_f32x4_splat(0.0f);
        }
        input_transform(m, s, d);
        for (int xi = 0; xi < points; xi++) v[xi][r] = d[xi];
      }
      for (int xi = 0; xi < points; xi++) {
        if (layout == CHANNEL_ROWS) {
          float *dst = pa + xi * stride + c * tiles + i0 * 4;
          for (int r = 0; r < 4 && i0 + r < tiles; r++) wasm_v128_store(dst + 4 * r, v[xi][r]);
          continue;
        }
        float *dst = panel + xi * stride + c * 4;
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

/*
 * Output channels [n0, n1) of y of tiles [t0, t0 + tiles) = A^T p A, from the a^2 GEMM results p[xi][tile][o]
 * (a = tile_side(m, s); row stride O, matrix stride pstride); n0 is a multiple of 4, so every vector holds the same
 * channels whatever the range.
 */
static inline __attribute__((always_inline)) void transform_outputs(int m, int s, const ConvGeom *g, const float *p,
                                                                    int pstride, int t0, int tiles, float *y, int n0,
                                                                    int n1) {
  int a = tile_side(m, s), points = a * a;
  for (int i = 0; i < tiles; i++) {
    TileAt at = tile_at(g, m, t0 + i);
    int rows = min_int(g->oh - at.oy, m), cols = min_int(g->ow - at.ox, m);
    float *out = y + ((at.b * g->oh + at.oy) * g->ow + at.ox) * g->o;
    const float *pt = p + i * g->o;
    for (int o = n0; o < n1; o += 4) {
      int lanes = n1 - o;
      v128_t prod[MAX_POINTS], half[4 * MAX_SIDE], px[4];
      for (int xi = 0; xi < points; xi++) prod[xi] = load_lanes(pt + xi * pstride + o, lanes);
      for (int j = 0; j < a; j++) at_1d(m, s, prod + j, a, half + j, a);
      for (int r = 0; r < rows; r++) {
        at_1d(m, s, half + r * a, 1, px, 1);
        for (int col = 0; col < cols; col++) store_lanes(out + (r * g->ow + col) * g->o + o, px[col], lanes);
      }
    }
  }
}

static inline __attribute__((always_inline)) void convolve_tiles(int m, int s, int block, const ConvParams *q, int t0,
                                                                 int t1, float *scratch) {
  ConvGeom g = q->geom;
  const float *x = q->x, *packed = q->packed;
  float *y = q->y;
  int tiles_total = tile_count(&g, m), points = tile_side(m, s) * tile_side(m, s);
  int panels = wino_plane(block * g.c), pstride = wino_plane(block * g.o);
  int filter_plane = wino_plane(g.c * panel_columns(g.o));
  float *pa = scratch, *p = scratch + points * panels;
  MatView unused = {0, 0, 0};
  int parts = part_count(q->col_parts);
  int transformed = -1; /* the tile block whose inputs pa holds */
  for (int t = t0; t < t1; t++) {
    ColumnPart part = column_part(t % parts, g.o, parts);
    int first = t / parts * block;
    int tiles = min_int(tiles_total - first, block);
    if (first != transformed) transform_inputs(m, s, &g, x, first, tiles, pa, panels, TILE_ROWS);
    transformed = first;
    for (int xi = 0; xi < points; xi++) {
      gemm_block_packed_a(tiles, g.o, g.c, pa + xi * panels, unused, packed + xi * filter_plane, p + xi * pstride,
                          g.o, 0, scratch, part.n0, part.n1);
    }
    transform_outputs(m, s, &g, p, pstride, first, tiles, y, part.n0, part.n1);
  }
}

KERNEL(conv2d_winograd) {
  const ConvParams *q = PARAMS(ConvParams);
  int most = q->tile == 4 ? WINO4_MC : WINO_MC;
  int block = q->block > 0 && q->block < most ? (int)q->block : most;
  if (q->tile == 4 && q->geom.sh == 2) {
    convolve_tiles(4, 2, block, q, t0, t1, scratch);
  } else if (q->tile == 4) {
    convolve_tiles(4, 1, block, q, t0, t1, scratch);
  } else {
    convolve_tiles(2, 1, block, q, t0, t1, scratch);
  }
}

/*
 * The filter gradient of such a convolution, by the transposition of the algorithm: for each tile,
 * dW = G^T [(A dy A^T) . (B^T d B)] G, so U[xi][c][o] = sum over tiles of V[xi][tile][c] * D[xi][tile][o] is
 * (m + 2)^2 GEMMs [C, tiles] x [tiles, O], and dW = G^T U G per (c, o).
 *   conv2d_grad_weight_winograd: partials[t] = U of tile chunk t     ConvParams: x, dy, partials, tile, col_parts
 *                                tasks: chunks of WINO_GRAD_CHUNK (m = 2) or WINO4_GRAD_CHUNK (m = 4) tiles,
 *                                each cut into col_parts parts of U's rows (input channels, in GEMM_MC blocks)
 *   (sum_partials adds the chunks in chunk order)
 *   winograd_filter_grad:        dw from U                           ConvParams: transformed (U), dw, tile
 *                                tasks: C
 * U and its chunk partials are stored channel-major, U[xi][c][o] at (c * (m + 2)^2 + xi) * O + o: the (m + 2)^2 values
 * winograd_filter_grad reads for one (c, o) are then O floats apart, not C * O (a power of two for IR-50's layers,
 * which put all of them in one cache set).
 */

/*
 * (A dy A^T) of the m x m output-gradient tiles [t0, t0 + tiles), as the packed B of the filter gradient's GEMMs
 * [tiles, O] (pack_b's layout for depth `tiles`, columns rounded up to 8 with zeros): D[xi] (tile i, channel o) at
 * d + xi * stride + (o / 8) * 8 * tiles + i * 8 + o % 8.
 */
static inline __attribute__((always_inline)) void transform_output_grads(int m, const ConvGeom *g, const float *dy,
                                                                         int t0, int tiles, float *d, int stride) {
  int a = m + 2, npad = panel_columns(g->o);
  for (int i = 0; i < tiles; i++) {
    TileAt at = tile_at(g, m, t0 + i);
    const float *src[16];
    for (int k = 0; k < m * m; k++) {
      int oy = at.oy + k / m, ox = at.ox + k % m;
      src[k] = oy < g->oh && ox < g->ow ? dy + ((at.b * g->oh + oy) * g->ow + ox) * g->o : 0;
    }
    for (int o = 0; o < npad; o += 4) {
      float *dst = d + (o / 8) * 8 * tiles + i * 8 + o % 8;
      if (o >= g->o) {
        for (int xi = 0; xi < a * a; xi++) wasm_v128_store(dst + xi * stride, wasm_f32x4_splat(0.0f));
        continue;
      }
      v128_t q[16], r[6 * 4], out[6];
      for (int k = 0; k < m * m; k++) q[k] = src[k] ? load_lanes(src[k] + o, g->o - o) : wasm_f32x4_splat(0.0f);
      /* over rows (r[row * m + j]), then over columns */
      for (int j = 0; j < m; j++) a_1d(m, q + j, m, r + j, m);
      for (int row = 0; row < a; row++) {
        a_1d(m, r + row * m, 1, out, 1);
        for (int col = 0; col < a; col++) wasm_v128_store(dst + (row * a + col) * stride, out[col]);
      }
    }
  }
}

/*
 * Chunks of the filter gradient: both sides of each chunk's (m + 2)^2 GEMMs [C, tiles] x [tiles, O] are written
 * packed by their transforms (CHANNEL_ROWS and transform_output_grads), so the GEMMs pack nothing.
 */
static inline __attribute__((always_inline)) void filter_grad_chunks(int m, int chunk, const ConvParams *q, int t0,
                                                                     int t1, float *scratch) {
  ConvGeom g = q->geom;
  const float *x = q->x, *dy = q->dy;
  float *partials = q->partials;
  int tiles_total = tile_count(&g, m), points = (m + 2) * (m + 2);
  int vstride = wino_plane(chunk * ((g.c + 3) / 4 * 4)), dstride = wino_plane(chunk * panel_columns(g.o));
  float *v = scratch + GEMM_SCRATCH, *d = v + points * vstride;
  MatView unused = {0, 0, 0};
  int parts = part_count(q->col_parts);
  int transformed = -1; /* the chunk whose tiles v and d hold */
  for (int t = t0; t < t1; t++) {
    int index = t / parts, part = t % parts; /* chunk index and row part */
    int first = index * chunk;
    int tiles = min_int(tiles_total - first, chunk);
    if (index != transformed) {
      transform_inputs(m, 1, &g, x, first, tiles, v, vstride, CHANNEL_ROWS);
      transform_output_grads(m, &g, dy, first, tiles, d, dstride);
    }
    transformed = index;
    float *u = partials + index * points * g.c * g.o;
    RowPart channels = row_part(part, g.c, parts); /* this part's rows of U: input channels */
    for (int xi = 0; xi < points; xi++) {
      for (int i0 = channels.r0; i0 < channels.r1; i0 += GEMM_MC) {
        int rows = min_int(g.c - i0, GEMM_MC);
        gemm_block_packed_a(rows, g.o, tiles, v + xi * vstride + i0 * tiles, unused, d + xi * dstride,
                            u + (i0 * points + xi) * g.o, points * g.o, 0, scratch, 0, g.o);
      }
    }
  }
}

KERNEL(conv2d_grad_weight_winograd) {
  const ConvParams *q = PARAMS(ConvParams);
  if (q->tile == 4) {
    filter_grad_chunks(4, WINO4_GRAD_CHUNK, q, t0, t1, scratch);
  } else {
    filter_grad_chunks(2, WINO_GRAD_CHUNK, q, t0, t1, scratch);
  }
}

/* G^T u G for one channel pair, 4 output channels at once: u[i * (m + 2) + j] -> w[ky * 3 + kx]. */
static inline void filter_grad_transform(int m, const v128_t u[MAX_POINTS], v128_t w[9]) {
  int a = m + 2;
  v128_t t[3 * 6];
  for (int j = 0; j < a; j++) gt_1d(m, u + j, a, t + j, a);
  for (int ky = 0; ky < 3; ky++) gt_1d(m, t + ky * a, 1, w + ky * 3, 1);
}

static inline __attribute__((always_inline)) void filter_grads(int m, const ConvParams *q, int t0, int t1) {
  ConvGeom g = q->geom;
  const float *u = q->transformed;
  float *dw = q->dw;
  int points = (m + 2) * (m + 2);
  for (int c = t0; c < t1; c++) {
    for (int o = 0; o < g.o; o += 4) {
      int lanes = min_int(g.o - o, 4);
      v128_t in[MAX_POINTS], out[9];
      for (int xi = 0; xi < points; xi++) in[xi] = load_lanes(u + (c * points + xi) * g.o + o, lanes);
      filter_grad_transform(m, in, out);
      for (int k = 0; k < 9; k++) store_lanes(dw + (k * g.c + c) * g.o + o, out[k], lanes);
    }
  }
}

KERNEL(winograd_filter_grad) {
  (void)scratch;
  const ConvParams *q = PARAMS(ConvParams);
  if (q->tile == 4) {
    filter_grads(4, q, t0, t1);
  } else {
    filter_grads(2, q, t0, t1);
  }
}
