/**
 * WebGPU kernels for matmul, batched_matmul and 2-D convolution (NHWC / HWIO): tiled GEMMs through workgroup memory
 * (`_gemm.wgsl`, 64×64 tiles, 4×4 outputs per invocation, one grid layer per group; split-K with a fixed-order sum
 * when the tile grid is too small for a GPU, as in weight gradients), and dedicated depthwise kernels when every
 * group has one input and one output channel.
 * @module
 */
import {
  CONV_SHADER,
  type ConvGeometry,
  convGeometry,
  type GEMM_SPLIT,
  MATMUL_SHADER,
} from "../../../core/param_blocks/mod.ts";
import type { KernelAttrs } from "../../../core/kernels.ts";
import { type BlockValues, encodeBlock } from "../../../core/params.ts";
import type { GpuRuntime } from "../runtime.ts";
import type { GpuStorage, GpuView } from "../storage.ts";
import { type GpuTable, groupsFor, storages } from "./common.ts";

const TILE = 64;

type ConvName = "conv2d" | "conv2d_grad_input" | "conv2d_grad_weight";

/** Workgroups a GEMM should offer a GPU; grids with fewer tiles split K (up to this many workgroups). */
const TARGET_WORKGROUPS = 128;
/** Smallest K chunk worth a split. */
const MIN_CHUNK = 512;
/** The split-K words of a GEMM dispatch (none: one split). */
type SplitValues = BlockValues<typeof GEMM_SPLIT.fields>;

/**
 * One GEMM-shaped dispatch: an op whose shader includes `_gemm.wgsl`, with its inputs, output and its parameter
 * block (without the split-K words) encoded by `params`.
 */
interface GemmCall {
  op: "matmul" | "batched_matmul" | ConvName;
  params: (split: SplitValues) => Uint32Array;
  reads: GpuStorage[];
  output: GpuStorage;
}

/**
 * K splits for an M×N×K GEMM per group: 1 when the tile grid already fills {@link TARGET_WORKGROUPS}, else enough
 * chunks (of at least {@link MIN_CHUNK}) to approach it. Depends only on the shape, so results are reproducible.
 */
export function splitK(m: number, n: number, k: number, groups: number): { splits: number; chunk: number } {
  const tiles = Math.ceil(m / TILE) * Math.ceil(n / TILE) * groups;
  const wanted = Math.min(Math.ceil(TARGET_WORKGROUPS / tiles), Math.floor(k / MIN_CHUNK));
  if (wanted <= 1) return { splits: 1, chunk: k };
  const chunk = Math.ceil(k / wanted / 16) * 16;
  return { splits: Math.ceil(k / chunk), chunk };
}

/** Dispatches a tiled GEMM [m × n] per group, with split-K through a scratch buffer when the grid is small. */
function gemm(rt: GpuRuntime, call: GemmCall, m: number, n: number, k: number, groups: number): void {
  const { splits, chunk } = splitK(m, n, k, groups);
  const grid: [number, number, number] = [Math.ceil(n / TILE), Math.ceil(m / TILE), groups];
  if (splits === 1) {
    rt.dispatch({ op: call.op, params: call.params({}), reads: call.reads, writes: [call.output], groups: grid });
    return;
  }
  const params = call.params({ groups, splits, chunk });
  rt.withScratch(groups * splits * m * n, (partial) => {
    const base = { op: call.op, params, reads: call.reads, writes: [call.output, partial] };
    rt.dispatch({ ...base, entry: "main_split", groups: [grid[0], grid[1], groups * splits] });
    rt.dispatch({ ...base, entry: "split_sum", groups: groupsFor(groups * m * n) });
  });
}

/**
 * Dispatches one convolution-family op: the tiled GEMM of [m × n] per group, or for depthwise convolutions
 * (Cg = Og = 1) the depthwise entry with `depthwiseGroups` workgroups, a quarter of them for the vec4 entry when
 * C % 4 = 0.
 */
function conv(
  rt: GpuRuntime,
  op: ConvName,
  io: { inputs: readonly GpuView[]; outputs: readonly GpuView[] },
  geom: ConvGeometry,
  shape: { m: number; n: number; k: number; depthwiseGroups: number },
): void {
  const reads = storages(io.inputs);
  const params = (split: SplitValues) => encodeBlock(CONV_SHADER, { geom, split });
  if (geom.cg !== 1 || geom.og !== 1) {
    gemm(rt, { op, params, reads, output: io.outputs[0].storage }, shape.m, shape.n, shape.k, geom.groups);
    return;
  }
  const call = { op, params: params({}), reads, writes: storages(io.outputs) };
  if (geom.c % 4 === 0) {
    rt.dispatch({ ...call, entry: "depthwise4", groups: Math.ceil(shape.depthwiseGroups / 4) });
  } else {
    rt.dispatch({ ...call, entry: "depthwise", groups: shape.depthwiseGroups });
  }
}

/**
 * Dispatches `op` (matmul or batched_matmul): C[g] = op(A[g]) · op(B[g]) for the `batch` entries of rank-2 or
 * rank-3 views, one grid layer per entry.
 */
function batchedGemm(
  rt: GpuRuntime,
  op: "matmul" | "batched_matmul",
  io: { inputs: readonly GpuView[]; outputs: readonly GpuView[] },
  a: KernelAttrs["matmul"],
  batch: number,
): void {
  const [m, n] = io.outputs[0].shape.slice(-2);
  const k = a.transposeA ? io.inputs[0].shape.at(-2)! : io.inputs[0].shape.at(-1)!;
  const [aRow, aCol] = a.transposeA ? [1, m] : [k, 1];
  const [bRow, bCol] = a.transposeB ? [1, k] : [n, 1];
  const params: GemmCall["params"] = (split) =>
    encodeBlock(MATMUL_SHADER, {
      m,
      n,
      k,
      a_row: aRow,
      a_col: aCol,
      b_row: bRow,
      b_col: bCol,
      a_batch: m * k,
      b_batch: k * n,
      split,
    });
  gemm(rt, { op, params, reads: storages(io.inputs), output: io.outputs[0].storage }, m, n, k, batch);
}

/** The matmul, batched_matmul and convolution kernels on `rt`. */
export function linalgKernels(rt: GpuRuntime): Pick<GpuTable, "matmul" | "batched_matmul" | ConvName> {
  return {
    matmul: (inputs, outputs, a) => batchedGemm(rt, "matmul", { inputs, outputs }, a, 1),
    batched_matmul: (inputs, outputs, a) =>
      batchedGemm(rt, "batched_matmul", { inputs, outputs }, a, outputs[0].shape[0]),
    conv2d: (inputs, outputs, a) => {
      const g = convGeometry(inputs[0].shape, inputs[1].shape, outputs[0].shape, a);
      conv(rt, "conv2d", { inputs, outputs }, g, {
        m: g.n * g.oh * g.ow,
        n: g.og,
        k: g.kh * g.kw * g.cg,
        depthwiseGroups: groupsFor(outputs[0].size),
      });
    },
    conv2d_grad_input: (inputs, outputs, a) => {
      const g = convGeometry(outputs[0].shape, inputs[1].shape, inputs[0].shape, a);
      conv(rt, "conv2d_grad_input", { inputs, outputs }, g, {
        m: g.n * g.h * g.w,
        n: g.cg,
        k: g.kh * g.kw * g.og,
        depthwiseGroups: groupsFor(outputs[0].size),
      });
    },
    conv2d_grad_weight: (inputs, outputs, a) => {
      const g = convGeometry(inputs[0].shape, outputs[0].shape, inputs[1].shape, a);
      conv(rt, "conv2d_grad_weight", { inputs, outputs }, g, {
        m: g.kh * g.kw * g.cg,
        n: g.og,
        k: g.n * g.oh * g.ow,
        depthwiseGroups: outputs[0].size,
      });
    },
  };
}
