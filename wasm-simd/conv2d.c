/*
 * conv2d, conv2d_grad_input and conv2d_grad_weight for dense and grouped filters, as im2col + packed SGEMM.
 * Depthwise filters (groups == C == O) use the direct kernels of depthwise.c instead (chosen by the host).
 *
 * The filter of a group is packed once per call by `pack_b` (the host's first phase) and shared by every task.
 * Parameters (ConvParams): the geometry, then
 *   conv2d:             x, w, y, group, packed (filter), col_parts
 *                       tasks: GEMM_MC-row blocks of N*OH*OW x col_parts column parts (gemm_task)
 *   conv2d_grad_input:  dy, w, col, group, first (image), images, packed (filter^T), col_parts
 *                       phase `conv2d_grad_input` fills col (tasks: GEMM_MC-row blocks of the images' rows x
 *                       col_parts column parts),
 *                       phase `col2im` gathers into dx (tasks: input rows of the images)
 *   conv2d_grad_weight: x, dy, partials, group, col_parts
 *                       tasks: CONV_GRAD_CHUNK-row chunks of N*OH*OW x col_parts parts of the filter rows
 */
#include "conv.h"
#include "gemm.h"

/* Output row idx (b, oy, ox) of the im2col matrix: its image's input map and the input pixel of filter tap (0, 0). */
typedef struct {
  const float *image;
  int iy, ix;
} TapOrigin;

static inline TapOrigin tap_origin(const ConvGeom *g, const float *x, int idx) {
  int ox = idx % g->ow, oy = (idx / g->ow) % g->oh, b = idx / (g->ow * g->oh);
  TapOrigin o = {x + b * g->h * g->w * g->c, oy * g->sh - g->ph, ox * g->sw - g->pw};
  return o;
}

/* The input pixel filter tap (ky, kx) of a row with origin o reads, at channel c0, or 0 in the zero padding. */
static inline const float *tap_source(const ConvGeom *g, TapOrigin o, int ky, int kx, int c0) {
  int iy = o.iy + ky * g->dh, ix = o.ix + kx * g->dw;
  if (iy < 0 || iy >= g->h || ix < 0 || ix >= g->w) return 0;
  return o.image + (iy * g->w + ix) * g->c + c0;
}

/*
 * Rows [r0, r0+rows) of the im2col matrix of group channels [c0, c0+cg), columns [i0, i1) of its KH*KW*cg (the
 * others are not written): dst is rows x (KH*KW*cg).
 */
static void im2col_rows(const ConvGeom *g, const float *x, int r0, int rows, int c0, int cg, int i0, int i1,
                        float *dst) {
  int width = g->kh * g->kw * cg;
  for (int r = 0; r < rows; r++) {
    TapOrigin origin = tap_origin(g, x, r0 + r);
    for (int tap = i0 / cg; tap * cg < i1; tap++) {
      /* this tap's channels [lo, hi) that fall in the columns */
      int lo = max_int(i0 - tap * cg, 0), hi = min_int(i1 - tap * cg, cg);
      float *d = dst + r * width + tap * cg;
      const float *s = tap_source(g, origin, tap / g->kw, tap % g->kw, c0);
      if (!s) {
        zero_floats(d + lo, hi - lo);
        continue;
      }
      int i = lo;
      for (; i + 4 <= hi; i += 4) wasm_v128_store(d + i, wasm_v128_load(s + i));
      for (; i < hi; i++) d[i] = s[i];
    }
  }
}

/* Zero vector, or the 4 floats at s + i when s is a valid pixel. */
static inline v128_t pixel4(const float *s, int i) { return s ? wasm_v128_load(s + i) : wasm_f32x4_splat(0.0f); }

/*
 * Rows [r0, r0+rows) of the im2col matrix of group channels [c0, c0+cg), written straight into gemm_block's
 * packed-A layout (see gemm_block_packed_a): for each panel of 4 output pixels, every filter tap's channels transposed
 * 4 x 4 at a time. Saves the separate im2col pass of the forward convolution.
 */
static void im2col_packed(const ConvGeom *g, const float *x, int r0, int rows, int c0, int cg, float *dst) {
  int width = g->kh * g->kw * cg;
  for (int i0 = 0; i0 < rows; i0 += 4) {
    float *panel = dst + i0 * width;
    const float *src[4];
    TapOrigin origin[4];
    for (int r = 0; r < 4 && i0 + r < rows; r++) origin[r] = tap_origin(g, x, r0 + i0 + r);
    for (int ky = 0; ky < g->kh; ky++) {
      for (int kx = 0; kx < g->kw; kx++) {
        for (int r = 0; r < 4; r++) src[r] = i0 + r < rows ? tap_source(g, origin[r], ky, kx, c0) : 0;
        float *d = panel + (ky * g->kw + kx) * cg * 4;
        int i = 0;
        for (; i + 4 <= cg; i += 4) {
          store_4x4_transposed(d + i * 4, pixel4(src[0], i), pixel4(src[1], i), pixel4(src[2], i), pixel4(src[3], i));
        }
        for (; i < cg; i++) {
          for (int r = 0; r < 4; r++) d[i * 4 + r] = src[r] ? src[r][i] : 0.0f;
        }
      }
    }
  }
}

static int is_pointwise(const ConvGeom *g) {
  return g->kh == 1 && g->kw == 1 && g->sh == 1 && g->sw == 1 && g->ph == 0 && g->pw == 0 && g->groups == 1;
}

KERNEL(conv2d) {
  const ConvParams *q = PARAMS(ConvParams);
  ConvGeom g = q->geom;
  const float *x = q->x, *w = q->w;
  float *y = q->y;
  int grp = q->group;
  const float *packed = q->packed;
  int m = g.n * g.oh * g.ow, cg = g.c / g.groups, og = g.o / g.groups, width = g.kh * g.kw * cg;
  float *col = scratch + GEMM_SCRATCH;
  MatView b = {w + grp * og, g.o, 1};
  for (int t = t0; t < t1; t++) {
    GemmTask task = gemm_task(t, m, og, q->col_parts);
    float *out = y + task.r0 * g.o + grp * og;
    if (is_pointwise(&g)) {
      MatView direct = {x + task.r0 * g.c, g.c, 1};
      gemm_block_cols(task.rows, og, width, direct, b, packed, out, g.o, 0, scratch, task.n0, task.n1);
    } else {
      im2col_packed(&g, x, task.r0, task.rows, grp * cg, cg, col);
      gemm_block_packed_a(task.rows, og, width, col, b, packed, out, g.o, 0, scratch, task.n0, task.n1);
    }
  }
}

/* col[rows of the images, KH*KW*cg] = dy[:, group] . W_group^T */
KERNEL(conv2d_grad_input) {
  const ConvParams *q = PARAMS(ConvParams);
  ConvGeom g = q->geom;
  const float *dy = q->dy, *w = q->w;
  float *col = q->col;
  int grp = q->group, first = q->first, images = q->images;
  const float *packed = q->packed;
  int cg = g.c / g.groups, og = g.o / g.groups, width = g.kh * g.kw * cg;
  int m = images * g.oh * g.ow, base = first * g.oh * g.ow;
  MatView b = {w + grp * og, 1, g.o};
  for (int t = t0; t < t1; t++) {
    GemmTask task = gemm_task(t, m, width, q->col_parts);
    MatView a = {dy + (base + task.r0) * g.o + grp * og, g.o, 1};
    gemm_block_cols(task.rows, width, og, a, b, packed, col + task.r0 * width, width, 0, scratch, task.n0, task.n1);
  }
}

/* dx[b, iy, :, group] = sum over taps (ky, kx ascending) of the col entries that read that input pixel. */
KERNEL(col2im) {
  (void)scratch;
  const ConvParams *q = PARAMS(ConvParams);
  ConvGeom g = q->geom;
  const float *col = q->col;
  int grp = q->group, first = q->first;
  float *dx = q->dx;
  int cg = g.c / g.groups, width = g.kh * g.kw * cg;
  for (int t = t0; t < t1; t++) {
    int bi = t / g.h, iy = t % g.h;
    for (int ix = 0; ix < g.w; ix++) {
      float *d = dx + (((first + bi) * g.h + iy) * g.w + ix) * g.c + grp * cg;
      zero_floats(d, cg);
      for (int ky = 0; ky < g.kh; ky++) {
        int ty = iy + g.ph - ky * g.dh;
        if (ty < 0 || ty % g.sh != 0 || ty / g.sh >= g.oh) continue;
        for (int kx = 0; kx < g.kw; kx++) {
          int tx = ix + g.pw - kx * g.dw;
          if (tx < 0 || tx % g.sw != 0 || tx / g.sw >= g.ow) continue;
          const float *s = col + ((bi * g.oh + ty / g.sh) * g.ow + tx / g.sw) * width + (ky * g.kw + kx) * cg;
          int i = 0;
          for (; i + 4 <= cg; i += 4) wasm_v128_store(d + i, wasm_f32x4_add(wasm_v128_load(d + i), wasm_v128_load(s + i)));
          for (; i < cg; i++) d[i] += s[i];
        }
      }
    }
  }
}

/*
 * partials[chunk] = im2col(chunk)^T . dy[chunk, group]  (KH*KW*cg x og per chunk); with col_parts > 1 each chunk
 * is cut into parts of those KH*KW*cg rows (in GEMM_MC blocks), a task per part, each writing the im2col columns
 * its rows read. A 1x1 filter reads x as the im2col matrix and packs the chunk's dy once for all its row blocks
 * (scratch beyond GEMM_SCRATCH holds the im2col rows or that packed dy).
 */
KERNEL(conv2d_grad_weight) {
  const ConvParams *q = PARAMS(ConvParams);
  ConvGeom g = q->geom;
  const float *x = q->x, *dy = q->dy;
  float *partials = q->partials;
  int grp = q->group;
  int m = g.n * g.oh * g.ow, cg = g.c / g.groups, og = g.o / g.groups, width = g.kh * g.kw * cg;
  int parts = part_count(q->col_parts);
  float *col = scratch + GEMM_SCRATCH;
  for (int t = t0; t < t1; t++) {
    int chunk = t / parts, part = t % parts;
    int r0 = chunk * CONV_GRAD_CHUNK;
    int rows = min_int(m - r0, CONV_GRAD_CHUNK);
    RowPart filter_rows = row_part(part, width, parts);
    const float *src = col, *packed = 0;
    int ld = width;
    MatView b = {dy + r0 * g.o + grp * og, g.o, 1};
    if (is_pointwise(&g)) {
      src = x + r0 * g.c;
      ld = g.c;
      pack_b_whole(b, rows, og, col);
      packed = col;
    } else {
      im2col_rows(&g, x, r0, rows, grp * cg, cg, filter_rows.r0, filter_rows.r1, col);
    }
    float *out = partials + chunk * width * og;
    for (int i0 = filter_rows.r0; i0 < filter_rows.r1; i0 += GEMM_MC) {
      int mi = min_int(width - i0, GEMM_MC);
      MatView a = {src + i0, 1, ld};
      gemm_block(mi, og, rows, a, b, packed, out + i0 * og, og, 0, scratch);
    }
  }
}

/*
 * d[0 : 4 * vectors] = sum over chunks k (ascending, from 0) of src[k * stride + 0 : 4 * vectors]; inlined with a
 * constant `vectors` (1 or 4) so the sums stay in registers.
 */
static inline void sum_chunk_columns(const float *src, int stride, int chunks, int vectors, float *d) {
  v128_t s[4];
  for (int v = 0; v < vectors; v++) s[v] = wasm_f32x4_splat(0.0f);
  for (int k = 0; k < chunks; k++) {
    for (int v = 0; v < vectors; v++) s[v] = wasm_f32x4_add(s[v], wasm_v128_load(src + k * stride + 4 * v));
  }
  for (int v = 0; v < vectors; v++) wasm_v128_store(d + 4 * v, s[v]);
}

/*
 * dst[r * ld + j] = sum over chunks k (ascending) of partials[k][r * cols + j] (SumPartialsParams).
 * Tasks: GEMM_MC-row blocks.
 */
KERNEL(sum_partials) {
  const SumPartialsParams *q = PARAMS(SumPartialsParams);
  int chunks = q->chunks, rows = q->rows, cols = q->cols, ld = q->ld;
  const float *part = q->partials;
  float *dst = q->dst;
  (void)scratch;
  for (int t = t0; t < t1; t++) {
    int r1 = min_int((t + 1) * GEMM_MC, rows);
    for (int r = t * GEMM_MC; r < r1; r++) {
      float *d = dst + r * ld;
      const float *src = part + r * cols;
      int j = 0;
      /* 16 columns (a cache line of each chunk) at a time: a line is used up when it is loaded, so chunks a power
         of two apart, which share cache sets, are not read from further out 4 times */
      for (; j + 16 <= cols; j += 16) sum_chunk_columns(src + j, rows * cols, chunks, 4, d + j);
      for (; j + 4 <= cols; j += 4) sum_chunk_columns(src + j, rows * cols, chunks, 1, d + j);
      for (; j < cols; j++) {
        float s = 0.0f;
        for (int k = 0; k < chunks; k++) s += src[k * rows * cols + j];
        d[j] = s;
      }
    }
  }
}
