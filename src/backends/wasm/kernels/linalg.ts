/**
 * Wrappers of matmul, batched_matmul and the convolutions (wasm-simd/gemm.c, conv2d.c, depthwise.c): task counts, scratch and
 * temporaries, and the phases of the filter gradient (chunk partials, then their in-order sum).
 * @module
 */
import type { Conv2dAttrs, KernelAttrs, KernelTable } from "../../../core/kernels.ts";
import {
  CONV_KERNEL,
  type ConvGeometry,
  convGeometry,
  MATMUL_KERNEL,
  PACK_B_KERNEL,
} from "../../../core/param_blocks/mod.ts";
import type { Block } from "../allocator.ts";
import type { PackedLease } from "../packed_cache.ts";
import type { WasmRuntime } from "../runtime.ts";
import { PARALLEL_MIN_WORK, ptr, sumPartials, type WasmView } from "./common.ts";

/** Most floats of the im2col temporary of conv2d_grad_input (images are processed in groups that fit). */
const COL_FLOATS = 1 << 24;
/** GEMM tasks per thread below which a parallel GEMM's row blocks are cut into column parts. */
const GEMM_TASKS_PER_THREAD = 4;
/** Narrowest column part of a split GEMM (four 8-column micro-panels). */
const GEMM_MIN_PART_COLUMNS = 32;
/** Most input or output channels of a Winograd convolution (IR-50's widest layers). */
const WINOGRAD_MAX_CHANNELS = 512;
/** Smallest output map side of a Winograd convolution. */
const WINOGRAD_MIN_MAP = 8;
/** Smallest output map side of a Winograd convolution with many channels (IR-50's 7×7 last stage). */
const WINOGRAD_WIDE_MIN_MAP = 7;
/** Fewest input and output channels of a layer that may use {@link WINOGRAD_WIDE_MIN_MAP}. */
const WINOGRAD_WIDE_CHANNELS = 256;
/**
 * Smallest output map side of a stride-2 Winograd convolution. On IR-50's stride-2 layers in eval mode the form saved
 * 22–35% of the forward onto 56×56 and 28×28 maps at batch 1, 8 and 16 on one and two threads; onto 14×14 and 7×7
 * maps, whose 4×4 tiles cover 256 and 64 outputs for 196 and 49, it saved 10–18% at batch 8 and 16 but was level or
 * up to 11% slower at batch 1 on two threads, and the 512-channel layer's kept transform takes 85 MB
 * (benchmarks/README.md, "The stride-2 layers in eval mode").
 */
const STRIDED_WINOGRAD_MIN_MAP = 16;

function isDepthwise(x: readonly number[], y: readonly number[], a: Conv2dAttrs): boolean {
  return a.groups === x[3] && a.groups === y[3];
}

/** Floats of one matrix B [k, n] packed for the GEMM (columns rounded up to 8). */
function packedFloats(k: number, n: number): number {
  return k * Math.ceil(n / 8) * 8;
}

/** Where a GEMM's B operand lies: `count` matrices [k, n], element (i, j) of matrix m at 4·(m·k·n + i·rs + j·cs) bytes. */
interface MatrixB {
  /** the tensor holding the matrices (whose packing the runtime's cache may keep) */
  of: WasmView;
  /** byte offset of the first matrix from the start of `of` */
  offset: number;
  /** rows of each matrix (the GEMM's depth) */
  k: number;
  /** columns of each matrix */
  n: number;
  /** element stride between rows */
  rs: number;
  /** element stride between columns */
  cs: number;
  /** matrices, k·n elements apart */
  count: number;
}

/**
 * Packs the matrices of `b` once for all GEMM tasks of a call, one after another, or reuses the packing kept for an
 * unchanged tensor (`PackedCache`); release the lease after the call.
 */
function packB(rt: WasmRuntime, b: MatrixB): PackedLease {
  const { k, n, count } = b;
  const key = `pack_b ${b.offset} ${k} ${n} ${b.rs} ${b.cs} ${count}`;
  return rt.packedCache.obtain(b.of, key, count * packedFloats(k, n), (packed) => {
    rt.setParams(PACK_B_KERNEL, {
      k,
      n,
      b: ptr(b.of) + b.offset,
      rs: b.rs,
      cs: b.cs,
      packed,
      count,
      b_stride: k * n,
      packed_stride: packedFloats(k, n),
    });
    rt.run("pack_b", count * Math.ceil(k / rt.blocking.gemmDepth), { parallel: count * k * n >= PARALLEL_MIN_WORK });
  });
}

/**
 * Which 3×3 convolutions run as Winograd convolutions on the wasm backend: "auto" (the default) F(4×4, 3×3) where
 * both channel counts are at least {@link WINOGRAD4_MIN_CHANNELS} and F(2×2, 3×3) for the other eligible layers, each
 * on calls with at least {@link WINOGRAD_MIN_TILES} tiles of its size unless the filter is marked reused (eval mode,
 * `Conv2dAttrs.filterReused`), and for such a filter the stride-2 form of F(4×4, 3×3) on stride-2 layers
 * ({@link stridedWinograd}); "2x2" F(2×2, 3×3) for every eligible stride-1 layer whatever its size (the choice
 * before F(4×4, 3×3) existed); "off" none (im2col + SGEMM).
 * Benchmarks and accuracy tests compare them; training uses "auto".
 */
export type WinogradChoice = "auto" | "2x2" | "off";

/** Every {@link WinogradChoice}. */
export const WINOGRAD_CHOICES: readonly WinogradChoice[] = ["auto", "2x2", "off"];

/**
 * Fewest input and output channels of an F(4×4, 3×3) convolution (measured faster than F(2×2, 3×3) from 64 channels
 * on maps of 28×28 and more; not measured below). Narrower layers stay on F(2×2, 3×3), where the larger transforms
 * weigh more against GEMMs over few channels; the threshold also keeps the `*_tiny` presets (8–64 channels, their
 * 64-channel layers on maps under 8×8) on F(2×2, 3×3), so their committed weight hashes hold.
 */
const WINOGRAD4_MIN_CHANNELS = 64;

/**
 * Fewest output tiles in a call for a Winograd convolution with that tile size. The filter transform costs the same
 * whatever the batch (F(4×4, 3×3) writes 4× the filter, F(2×2, 3×3) 16/9×, once per call) while the products it saves
 * grow with the tiles: at batch 1 a 7×7 512 → 512 forward takes 18.5 ms as F(4×4, 3×3) (4 tiles) and 10.5 ms as im2col,
 * a 14×14 256 → 256 one 4.9 ms as F(4×4, 3×3) (16 tiles) and 4.5 ms as F(2×2, 3×3) (49 tiles); from about 32 tiles the
 * Winograd forms win (benchmarks/README.md, "Winograd at small batches"). Only for calls that pay the transform: a
 * filter marked reused keeps it in the packed cache, and its calls ignore this threshold.
 */
const WINOGRAD_MIN_TILES = 32;

/** m×m output tiles of a Winograd convolution with output `y` [N, OH, OW, O]. */
function tileCount(y: readonly number[], m: number): number {
  return y[0] * Math.ceil(y[1] / m) * Math.ceil(y[2] / m);
}

/**
 * The Winograd output tile (2 or 4) of a convolution of `x` into `y`, or 0 for none (wasm-simd/winograd.c): 3×3
 * filters, stride 1, no dilation, one group, channels up to WINOGRAD_MAX_CHANNELS (its per-thread scratch grows with
 * C + O) and output maps of at least 8×8 — 7×7 when both channel counts are at least WINOGRAD_WIDE_CHANNELS (a 7×7
 * map wastes 23% of its 8×8 of tiles, which IR-50's 512-channel layers still gain from, measured in
 * benchmarks/README.md; below that the smaller maps are left on im2col). Under "auto" a call also needs at least
 * WINOGRAD_MIN_TILES tiles of the chosen size: F(4×4, 3×3) falls back to F(2×2, 3×3), and that to im2col, on calls
 * too small to repay the filter transform (so the algorithm, and the last bits, of a layer can depend on the batch).
 * Not when the filter is marked reused (`filterReused`, an eval-mode layer): the packed cache then keeps its transform
 * from call to call, and the algorithm depends on the layer alone, whatever the batch (at batch 1 a 7×7 512 → 512
 * forward takes 1.7 ms as F(4×4, 3×3) with the transform kept and 5.0 ms as im2col; benchmarks/README.md, "Eval-mode
 * layers on Winograd at any batch").
 * The input gradient of such a convolution is one too (dy convolved with the rotated filter, padding 2 − p), when
 * p ≤ 2; all three passes of a layer take the same choice.
 */
function winogradTile(
  x: readonly number[],
  y: readonly number[],
  w: readonly number[],
  a: Conv2dAttrs,
  choice: WinogradChoice,
): 0 | 2 | 4 {
  const channels = Math.min(x[3], y[3]);
  const eligible = choice !== "off" && w[0] === 3 && w[1] === 3 && a.groups === 1 &&
    a.strides.every((s) => s === 1) && a.dilations.every((d) => d === 1) && a.padding.every((p) => p <= 2) &&
    x[3] <= WINOGRAD_MAX_CHANNELS && y[3] <= WINOGRAD_MAX_CHANNELS &&
    Math.min(y[1], y[2]) >= (channels >= WINOGRAD_WIDE_CHANNELS ? WINOGRAD_WIDE_MIN_MAP : WINOGRAD_MIN_MAP);
  if (!eligible) return 0;
  if (choice === "2x2") return 2;
  const enough = (m: number) => a.filterReused || tileCount(y, m) >= WINOGRAD_MIN_TILES;
  if (channels >= WINOGRAD4_MIN_CHANNELS && enough(4)) return 4;
  return enough(2) ? 2 : 0;
}

/**
 * Whether a convolution of `x` into `y` runs as the stride-2 form of F(4×4, 3×3) (wasm-simd/winograd.c: its
 * polyphase parts, a 2-tap F(4, 2) on the even inputs and the odd inputs as they are, 81 products for 16 outputs
 * instead of 144): 3×3 filters, stride 2, no dilation, one group, both channel counts from WINOGRAD4_MIN_CHANNELS to
 * WINOGRAD_MAX_CHANNELS, under "auto", and only for a filter marked reused (`filterReused`, an eval-mode layer): the
 * packed cache keeps its transform, 9× the filter, from call to call, and the choice depends on the layer alone,
 * whatever the batch. Training keeps im2col, so no training bit depends on it; the forward alone has this form (an
 * input gradient through such a layer runs as before).
 */
function stridedWinograd(
  x: readonly number[],
  y: readonly number[],
  w: readonly number[],
  a: Conv2dAttrs,
  choice: WinogradChoice,
): boolean {
  const channels = Math.min(x[3], y[3]);
  return choice === "auto" && a.filterReused === true && w[0] === 3 && w[1] === 3 && a.groups === 1 &&
    a.strides.every((s) => s === 2) && a.dilations.every((d) => d === 1) && channels >= WINOGRAD4_MIN_CHANNELS &&
    Math.max(x[3], y[3]) <= WINOGRAD_MAX_CHANNELS && Math.min(y[1], y[2]) >= STRIDED_WINOGRAD_MIN_MAP;
}

/** The linear-algebra kernels of the wasm backend. */
export function linalgKernels(
  rt: WasmRuntime,
  winogradChoice: WinogradChoice = "auto",
): Pick<KernelTable<Block>, "matmul" | "batched_matmul" | "conv2d" | "conv2d_grad_input" | "conv2d_grad_weight"> {
  const mc = () => rt.blocking.gemmRows;
  const gemmScratch = () => rt.blocking.gemmScratch;

  /**
   * Parts to cut each of `tasks` tasks into (at most `maxParts`) when a parallel call would have fewer than
   * {@link GEMM_TASKS_PER_THREAD} tasks per thread (small maps at batch 1, 7×7 maps at batch 8), so every thread
   * gets work. Parts change no bit: each output element is one task's, computed alike.
   */
  const partsPerTask = (tasks: number, maxParts: number, parallel: boolean) => {
    const wanted = GEMM_TASKS_PER_THREAD * rt.threads;
    if (!parallel || rt.threads === 1 || tasks >= wanted) return 1;
    return Math.max(1, Math.min(Math.ceil(wanted / tasks), maxParts));
  };

  /**
   * The claim size of a call whose `tasks` are blocks cut into `parts` parts, where a kernel transforms a block's tiles
   * once per run of consecutive parts it is handed: one thread's share when blocks are cut (each thread then transforms
   * about one block's tiles, not one per part), the runtime's default otherwise.
   */
  const partGrain = (tasks: number, parts: number) => parts > 1 ? Math.ceil(tasks / rt.threads) : undefined;

  /** `rowTasks` row tasks over `n` output columns, each cut into `colParts` column parts ({@link partsPerTask}). */
  const columnSplit = (rowTasks: number, n: number, parallel: boolean) => {
    const parts = partsPerTask(rowTasks, Math.floor(n / GEMM_MIN_PART_COLUMNS), parallel);
    const width = Math.ceil(Math.ceil(n / parts) / 8) * 8;
    const colParts = Math.ceil(n / width);
    return { tasks: rowTasks * colParts, colParts };
  };

  /** Tasks of a GEMM over `m` rows and `n` columns: GEMM_MC-row blocks, cut into column parts by {@link columnSplit}. */
  const gemmTasks = (m: number, n: number, parallel: boolean) => columnSplit(Math.ceil(m / mc()), n, parallel);

  /**
   * Kernel `name` (matmul or batched_matmul): C[g] = op(A[g]) · op(B[g]) for the `batch` entries of rank-2 or rank-3
   * views, one B packed per entry.
   */
  const gemmBatches = (
    name: "matmul" | "batched_matmul",
    io: { i: readonly WasmView[]; o: readonly WasmView[] },
    a: KernelAttrs["matmul"],
    batch: number,
  ) => {
    const { i, o } = io;
    const [m, n] = o[0].shape.slice(-2);
    const [ar, ac] = i[0].shape.slice(-2);
    const [, bc] = i[1].shape.slice(-2);
    const k = a.transposeA ? ar : ac;
    const aStrides = a.transposeA ? [1, ac] : [ac, 1];
    const bStrides = a.transposeB ? [1, bc] : [bc, 1];
    const packed = packB(rt, { of: i[1], offset: 0, k, n, rs: bStrides[0], cs: bStrides[1], count: batch });
    const parallel = batch * m * n * k >= PARALLEL_MIN_WORK;
    const split = gemmTasks(m, n, parallel);
    try {
      rt.setParams(MATMUL_KERNEL, {
        m,
        n,
        k,
        a: ptr(i[0]),
        a_rs: aStrides[0],
        a_cs: aStrides[1],
        b: ptr(i[1]),
        b_rs: bStrides[0],
        b_cs: bStrides[1],
        c: ptr(o[0]),
        packed: packed.ptr,
        a_bs: m * k,
        b_bs: k * n,
        packed_stride: packedFloats(k, n),
        col_parts: split.colParts,
      });
      rt.run(name, batch * split.tasks, { parallel, scratchFloats: gemmScratch() });
    } finally {
      packed.release();
    }
  };

  /** Most output tiles per task of the Winograd convolution, per chunk of its filter gradient, for output tile m. */
  const tilesPerTask = (m: 2 | 4) => m === 4 ? rt.blocking.winograd4Tiles : rt.blocking.winogradTiles;
  const tilesPerChunk = (m: 2 | 4) => m === 4 ? rt.blocking.winograd4GradTiles : rt.blocking.winogradGradTiles;
  /**
   * Tiles per task block of the Winograd convolution over `tiles` tiles: as few blocks as {@link tilesPerTask} allows,
   * evened out in whole 4-tile micro-panels, so that no block is left with a few tiles (28 and 21 of 49 tiles rather
   * than 32 and 17) and the threads' shares stay even when there are few blocks.
   */
  const tilesPerBlock = (tiles: number, m: 2 | 4) => {
    const most = tilesPerTask(m);
    return Math.min(most, Math.ceil(tiles / Math.ceil(tiles / most) / 4) * 4);
  };
  /** Floats one plane of a Winograd transform takes, `floats` and its padding (`wino_plane` in wasm-simd/conv.h). */
  const plane = (floats: number) => floats + rt.blocking.winogradPlanePad;

  /**
   * A convolution of x into y as Winograd F(m×m, 3×3) at the stride of `geom` (1, or 2 for the stride-2 form): the
   * filter transform, written straight into the packed layout of the side² GEMMs (side m + 2, or 2m + 1 at stride 2),
   * then the tiles. `rotated`: w is the forward filter whose input gradient this convolution
   * computes (x is dy).
   */
  const winograd = (x: WasmView, w: WasmView, y: WasmView, geom: ConvGeometry, rotated: boolean, m: 2 | 4) => {
    const o = y.shape[3], c = x.shape[3], side = geom.sh === 2 ? 2 * m + 1 : m + 2, points = side ** 2;
    const key = `winograd ${m} ${geom.sh} ${rotated}`;
    const packed = rt.packedCache.obtain(w, key, points * plane(packedFloats(c, o)), (at) => {
      rt.setParams(CONV_KERNEL, { geom, w: ptr(w), packed: at, flip: rotated, tile: m });
      // tasks: input channels, or 8-column panels of the output channels for a rotated filter (winograd.c)
      rt.run("winograd_filter", rotated ? Math.ceil(o / 8) : c, { parallel: c * o >= PARALLEL_MIN_WORK });
    });
    try {
      const tiles = tileCount(y.shape, m), block = tilesPerBlock(tiles, m);
      const parallel = tiles * points * c * o >= PARALLEL_MIN_WORK;
      const split = columnSplit(Math.ceil(tiles / block), o, parallel);
      rt.setParams(CONV_KERNEL, {
        geom,
        x: ptr(x),
        packed: packed.ptr,
        y: ptr(y),
        tile: m,
        col_parts: split.colParts,
        block,
      });
      rt.run("conv2d_winograd", split.tasks, {
        parallel,
        scratchFloats: points * (plane(block * c) + plane(block * o)),
        grain: partGrain(split.tasks, split.colParts),
      });
    } finally {
      packed.release();
    }
  };

  /**
   * The filter gradient of a Winograd-eligible convolution with output tile m: per chunk of tiles the (m + 2)²
   * products of transformed inputs and output gradients, the chunks added in chunk order, then dW = Gᵀ U G.
   */
  const winogradGradWeight = (x: WasmView, dy: WasmView, dw: WasmView, geom: ConvGeometry, m: 2 | 4) => {
    const o = dy.shape[3], c = x.shape[3], points = (m + 2) ** 2;
    const chunkTiles = tilesPerChunk(m);
    const chunks = Math.ceil(tileCount(dy.shape, m) / chunkTiles);
    const partials = rt.temp(chunks * points * c * o);
    const transformed = rt.temp(points * c * o);
    try {
      const parallel = chunks * chunkTiles * points * c * o >= PARALLEL_MIN_WORK;
      // Few chunks (7×7 maps at batch 8): each cut into parts of U's GEMM_MC-row blocks of input channels.
      const rowParts = partsPerTask(chunks, Math.ceil(c / mc()), parallel);
      rt.setParams(CONV_KERNEL, {
        geom,
        x: ptr(x),
        dy: ptr(dy),
        partials: partials.ptr,
        tile: m,
        col_parts: rowParts,
      });
      rt.run("conv2d_grad_weight_winograd", chunks * rowParts, {
        parallel,
        // the packed sides of the chunk's GEMMs: C rounded up to 4 rows (A panels), O to 8 columns (as pack_b's B)
        scratchFloats: gemmScratch() +
          points * (plane(chunkTiles * Math.ceil(c / 4) * 4) + plane(packedFloats(chunkTiles, o))),
        grain: partGrain(chunks * rowParts, rowParts),
      });
      sumPartials(rt, partials.ptr, chunks, points * c, o, transformed.ptr, o);
      rt.setParams(CONV_KERNEL, { geom, transformed: transformed.ptr, dw: ptr(dw), tile: m });
      rt.run("winograd_filter_grad", c, { parallel: c * o >= PARALLEL_MIN_WORK });
    } finally {
      rt.release(partials);
      rt.release(transformed);
    }
  };

  const conv2d = (i: readonly WasmView[], o: readonly WasmView[], a: Conv2dAttrs) => {
    const [x, w] = i;
    const geom = convGeometry(x.shape, w.shape, o[0].shape, a);
    const rows = x.shape[0] * o[0].shape[1] * o[0].shape[2];
    const work = rows * w.size;
    if (isDepthwise(x.shape, o[0].shape, a)) {
      rt.setParams(CONV_KERNEL, { geom, x: ptr(x), w: ptr(w), y: ptr(o[0]) });
      rt.run("depthwise_conv2d", x.shape[0] * o[0].shape[1], { parallel: work >= PARALLEL_MIN_WORK });
      return;
    }
    const tile = stridedWinograd(x.shape, o[0].shape, w.shape, a, winogradChoice)
      ? 4
      : winogradTile(x.shape, o[0].shape, w.shape, a, winogradChoice);
    if (tile) {
      winograd(x, w, o[0], geom, false, tile);
      return;
    }
    const width = w.shape[0] * w.shape[1] * w.shape[2];
    const og = o[0].shape[3] / a.groups;
    const parallel = work >= PARALLEL_MIN_WORK;
    const split = gemmTasks(rows, og, parallel);
    for (let g = 0; g < a.groups; g++) {
      const packed = packB(rt, { of: w, offset: 4 * g * og, k: width, n: og, rs: o[0].shape[3], cs: 1, count: 1 });
      try {
        rt.setParams(CONV_KERNEL, {
          geom,
          x: ptr(x),
          w: ptr(w),
          y: ptr(o[0]),
          group: g,
          packed: packed.ptr,
          col_parts: split.colParts,
        });
        rt.run("conv2d", split.tasks, { parallel, scratchFloats: gemmScratch() + mc() * width });
      } finally {
        packed.release();
      }
    }
  };

  const gradInput = (i: readonly WasmView[], o: readonly WasmView[], a: KernelAttrs["conv2d_grad_input"]) => {
    const [dy, w] = i;
    const dx = o[0];
    const geom = convGeometry(dx.shape, w.shape, dy.shape, a);
    const [n, h] = dx.shape;
    const [, oh, ow] = dy.shape;
    const parallel = n * oh * ow * w.size >= PARALLEL_MIN_WORK;
    if (isDepthwise(dx.shape, dy.shape, a)) {
      rt.setParams(CONV_KERNEL, { geom, dy: ptr(dy), w: ptr(w), dx: ptr(dx) });
      rt.run("depthwise_conv2d_grad_input", n * h, { parallel });
      return;
    }
    const tile = winogradTile(dx.shape, dy.shape, w.shape, a, winogradChoice);
    if (tile) {
      const rotated = { ...a, padding: a.padding.map((p) => 2 - p) as [number, number] };
      winograd(dy, w, dx, convGeometry(dy.shape, [3, 3, dy.shape[3], dx.shape[3]], dx.shape, rotated), true, tile);
      return;
    }
    const width = w.shape[0] * w.shape[1] * w.shape[2];
    // A 1×1 convolution with stride 1, no padding and one group has col = dx: its GEMM writes dx itself, and col2im
    // (which would add each value to a zeroed dx once, 0 + v = v for every v the GEMM can give) is skipped.
    const pointwise = w.shape[0] === 1 && w.shape[1] === 1 && a.groups === 1 && a.strides.every((s) => s === 1) &&
      a.padding.every((p) => p === 0);
    const perImage = oh * ow * width;
    const images = pointwise ? n : Math.max(1, Math.min(n, Math.floor(COL_FLOATS / Math.max(1, perImage))));
    const col = pointwise ? undefined : rt.temp(images * perImage);
    try {
      const outC = dy.shape[3];
      const og = outC / a.groups;
      for (let g = 0; g < a.groups; g++) {
        const packed = packB(rt, { of: w, offset: 4 * g * og, k: og, n: width, rs: 1, cs: outC, count: 1 });
        try {
          for (let first = 0; first < n; first += images) {
            const count = Math.min(images, n - first);
            const split = gemmTasks(count * oh * ow, width, parallel);
            rt.setParams(CONV_KERNEL, {
              geom,
              dy: ptr(dy),
              w: ptr(w),
              col: col?.ptr ?? ptr(dx),
              group: g,
              first,
              images: count,
              dx: ptr(dx),
              packed: packed.ptr,
              col_parts: split.colParts,
            });
            rt.run("conv2d_grad_input", split.tasks, { parallel, scratchFloats: gemmScratch() });
            if (col) rt.run("col2im", count * h, { parallel });
          }
        } finally {
          packed.release();
        }
      }
    } finally {
      if (col) rt.release(col);
    }
  };

  const gradWeight = (i: readonly WasmView[], o: readonly WasmView[], a: KernelAttrs["conv2d_grad_weight"]) => {
    const [x, dy] = i;
    const dw = o[0];
    const geom = convGeometry(x.shape, dw.shape, dy.shape, a);
    const [n, oh, ow, outC] = dy.shape;
    const parallel = n * oh * ow * dw.size >= PARALLEL_MIN_WORK;
    if (isDepthwise(x.shape, dy.shape, a)) {
      const chunks = Math.ceil((n * oh) / rt.blocking.depthwiseChunk);
      const taps = dw.shape[0] * dw.shape[1];
      const partials = rt.temp(chunks * dw.size);
      try {
        rt.setParams(CONV_KERNEL, { geom, x: ptr(x), dy: ptr(dy), partials: partials.ptr });
        rt.run("depthwise_conv2d_grad_weight", chunks, { parallel });
        sumPartials(rt, partials.ptr, chunks, taps, outC, ptr(dw), outC);
      } finally {
        rt.release(partials);
      }
      return;
    }
    const tile = winogradTile(x.shape, dy.shape, dw.shape, a, winogradChoice);
    if (tile) {
      winogradGradWeight(x, dy, dw, geom, tile);
      return;
    }
    const width = dw.shape[0] * dw.shape[1] * dw.shape[2];
    const og = outC / a.groups;
    const chunks = Math.ceil((n * oh * ow) / rt.blocking.convGradChunk);
    // Few chunks (small maps): each cut into parts of the filter's GEMM_MC-row blocks.
    const rowParts = partsPerTask(chunks, Math.ceil(width / mc()), parallel);
    const partials = rt.temp(chunks * width * og);
    try {
      for (let g = 0; g < a.groups; g++) {
        rt.setParams(CONV_KERNEL, {
          geom,
          x: ptr(x),
          dy: ptr(dy),
          partials: partials.ptr,
          group: g,
          col_parts: rowParts,
        });
        rt.run("conv2d_grad_weight", chunks * rowParts, {
          parallel,
          // a chunk's im2col rows, or for a 1×1 filter its dy rows packed once for all the filter's row blocks
          scratchFloats: gemmScratch() +
            Math.max(rt.blocking.convGradChunk * width, packedFloats(rt.blocking.convGradChunk, og)),
        });
        sumPartials(rt, partials.ptr, chunks, width, og, ptr(dw) + 4 * g * og, outC);
      }
    } finally {
      rt.release(partials);
    }
  };

  return {
    matmul: (i, o, a) => gemmBatches("matmul", { i, o }, a, 1),
    batched_matmul: (i, o, a) => gemmBatches("batched_matmul", { i, o }, a, o[0].shape[0]),
    conv2d,
    conv2d_grad_input: gradInput,
    conv2d_grad_weight: gradWeight,
  };
}
