/**
 * WebGPU kernels for matmul and 2-D convolution (NHWC / HWIO): tiled GEMMs through workgroup memory
 * (`_gemm.wgsl`, 64×64 tiles, 4×4 outputs per invocation, one grid layer per group; split-K with a fixed-order sum
 * when the tile grid is too small for a GPU, as in weight gradients), and dedicated depthwise kernels when every
 * group has one input and one output channel.
 * @module
 */
import type { Conv2dAttrs } from "../../../core/kernels.ts";
import type { GpuRuntime } from "../runtime.ts";
import type { GpuStorage, GpuView } from "../storage.ts";
import { type GpuTable, groupsFor, storages } from "./common.ts";

const TILE = 64;

type ConvName = "conv2d" | "conv2d_grad_input" | "conv2d_grad_weight";

/** Workgroups a GEMM should offer a GPU; grids with fewer tiles split K (up to this many workgroups). */
const TARGET_WORKGROUPS = 128;
/** Smallest K chunk worth a split. */
const MIN_CHUNK = 512;
/** Parameter index of the split-K words (groups, splits, chunk) in `_gemm.wgsl`. */
const SPLIT_PARAMS = 61;

/** One GEMM-shaped dispatch: an op whose shader includes `_gemm.wgsl`, with its inputs, output and parameters. */
interface GemmCall {
  op: "matmul" | ConvName;
  params: number[];
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
    rt.dispatch({ op: call.op, params: call.params, reads: call.reads, writes: [call.output], groups: grid });
    return;
  }
  const params = [
    ...call.params,
    ...new Array<number>(SPLIT_PARAMS - call.params.length).fill(0),
    groups,
    splits,
    chunk,
  ];
  rt.withScratch(groups * splits * m * n, (partial) => {
    const base = { op: call.op, params, reads: call.reads, writes: [call.output, partial] };
    rt.dispatch({ ...base, entry: "main_split", groups: [grid[0], grid[1], groups * splits] });
    rt.dispatch({ ...base, entry: "split_sum", groups: groupsFor(groups * m * n) });
  });
}

/** `_conv.wgsl` parameters from the input, filter and output shapes. */
function convParams(x: readonly number[], w: readonly number[], y: readonly number[], a: Conv2dAttrs): number[] {
  const [n, h, wd, c] = x;
  const [, oh, ow, o] = y;
  return [
    n,
    h,
    wd,
    c,
    oh,
    ow,
    o,
    w[0],
    w[1],
    c / a.groups,
    o / a.groups,
    ...a.strides,
    ...a.padding,
    ...a.dilations,
  ];
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
  params: number[],
  a: Conv2dAttrs,
  shape: { m: number; n: number; k: number; depthwiseGroups: number },
): void {
  const reads = storages(io.inputs);
  if (params[9] !== 1 || params[10] !== 1) {
    gemm(rt, { op, params, reads, output: io.outputs[0].storage }, shape.m, shape.n, shape.k, a.groups);
    return;
  }
  const call = { op, params, reads, writes: storages(io.outputs) };
  if (params[3] % 4 === 0) {
    rt.dispatch({ ...call, entry: "depthwise4", groups: Math.ceil(shape.depthwiseGroups / 4) });
  } else {
    rt.dispatch({ ...call, entry: "depthwise", groups: shape.depthwiseGroups });
  }
}

/** The matmul and convolution kernels on `rt`. */
export function linalgKernels(rt: GpuRuntime): Pick<GpuTable, "matmul" | ConvName> {
  return {
    matmul: (inputs, outputs, a) => {
      const [m, n] = outputs[0].shape;
      const k = a.transposeA ? inputs[0].shape[0] : inputs[0].shape[1];
      const [aRow, aCol] = a.transposeA ? [1, m] : [k, 1];
      const [bRow, bCol] = a.transposeB ? [1, k] : [n, 1];
      const params = [m, n, k, aRow, aCol, bRow, bCol];
      gemm(rt, { op: "matmul", params, reads: storages(inputs), output: outputs[0].storage }, m, n, k, 1);
    },
    conv2d: (inputs, outputs, a) => {
      const p = convParams(inputs[0].shape, inputs[1].shape, outputs[0].shape, a);
      conv(rt, "conv2d", { inputs, outputs }, p, a, {
        m: p[0] * p[4] * p[5],
        n: p[10],
        k: p[7] * p[8] * p[9],
        depthwiseGroups: groupsFor(outputs[0].size),
      });
    },
    conv2d_grad_input: (inputs, outputs, a) => {
      const p = convParams(outputs[0].shape, inputs[1].shape, inputs[0].shape, a);
      conv(rt, "conv2d_grad_input", { inputs, outputs }, p, a, {
        m: p[0] * p[1] * p[2],
        n: p[9],
        k: p[7] * p[8] * p[10],
        depthwiseGroups: groupsFor(outputs[0].size),
      });
    },
    conv2d_grad_weight: (inputs, outputs, a) => {
      const p = convParams(inputs[0].shape, outputs[0].shape, inputs[1].shape, a);
      conv(rt, "conv2d_grad_weight", { inputs, outputs }, p, a, {
        m: p[7] * p[8] * p[9],
        n: p[10],
        k: p[0] * p[4] * p[5],
        depthwiseGroups: outputs[0].size,
      });
    },
  };
}
