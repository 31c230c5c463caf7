/**
 * Wrappers of the strided kernels (wasm-simd/strided.c): broadcasting binary ops and `where`, reductions and
 * data movement, described as an iteration shape plus up to four stride sets that are merged and padded to the
 * kernel's fixed rank.
 * @module
 */
import type { KernelAttrs, KernelTable } from "../../../core/kernels.ts";
import { STRIDED_KERNEL, STRIDED_RANK, upsampleCopy } from "../../../core/param_blocks/mod.ts";
import { broadcastStrides, stridesOf } from "../../../core/shape.ts";
import type { Block } from "../allocator.ts";
import type { WasmRuntime } from "../runtime.ts";
import { fillBits, PARALLEL_MIN_WORK, ptr, type WasmView } from "./common.ts";

/** One operand of a strided call: element offset base pointer and strides over the iteration shape. */
interface Operand {
  /** byte offset of element 0 */
  ptr: number;
  /** element strides, one per iteration axis */
  strides: readonly number[];
}

/** Drops unit axes and merges axes that are contiguous in every operand. */
function merge(shape: readonly number[], ops: readonly Operand[]): { dims: number[]; strides: number[][] } {
  const dims: number[] = [];
  const strides: number[][] = ops.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && ops.every((o, k) => strides[k][last] === o.strides[d] * shape[d])) {
      dims[last] *= shape[d];
      ops.forEach((o, k) => (strides[k][last] = o.strides[d]));
    } else {
      dims.push(shape[d]);
      ops.forEach((o, k) => strides[k].push(o.strides[d]));
    }
  }
  return { dims, strides };
}

/**
 * Runs strided kernel `name` over `shape`: operands are [y, a, b, c] (missing ones repeat a). `init` > 0 makes
 * the kernel initialise y[0:init] first and run as one task.
 */
function runStrided(
  rt: WasmRuntime,
  name: string,
  shape: readonly number[],
  operands: readonly Operand[],
  init = 0,
): void {
  const total = shape.reduce((a, b) => a * b, 1);
  if (total === 0 && init === 0) return;
  const ops = [0, 1, 2, 3].map((k) => operands[k] ?? operands[1]);
  const merged = merge(shape, ops);
  if (merged.dims.length > STRIDED_RANK) {
    throw new RangeError(
      `${name}: wasm kernels support ${STRIDED_RANK} non-mergeable axes, got shape [${shape.join(", ")}]`,
    );
  }
  const pad = STRIDED_RANK - merged.dims.length;
  const dims = [...new Array(pad).fill(1), ...merged.dims];
  const [y, a, b, c] = ops.map((o) => o.ptr);
  const strides = merged.strides.flatMap((s) => [...new Array(pad).fill(0), ...s]);
  rt.setParams(STRIDED_KERNEL, { init, y, a, b, c, dims, strides });
  const rows = total === 0 ? 1 : dims.slice(0, STRIDED_RANK - 1).reduce((a, b) => a * b, 1);
  rt.run(name, rows, { parallel: init === 0 && total >= PARALLEL_MIN_WORK });
}

function contiguous(view: WasmView): Operand {
  return { ptr: ptr(view), strides: stridesOf(view.shape) };
}

function broadcastOperand(view: WasmView, outShape: readonly number[]): Operand {
  return { ptr: ptr(view), strides: broadcastStrides(view.shape, outShape) };
}

/** Byte offset of `base` shifted by `index` along `strides`. */
function shifted(block: Block, index: readonly number[], strides: readonly number[]): number {
  return block.ptr + 4 * index.reduce((s, v, d) => s + v * strides[d], 0);
}

/** The bits of float32 −∞, reduce_max's starting value. */
const NEGATIVE_INFINITY_BITS = 0xff800000 | 0;

/** True when every reduced axis of `shape` (ignoring unit axes) comes after every kept one. */
function reducesTrailingAxes(shape: readonly number[], axes: readonly number[]): boolean {
  const kept = shape.map((_, d) => d).filter((d) => shape[d] > 1 && !axes.includes(d));
  const reduced = axes.filter((d) => shape[d] > 1);
  return kept.every((k) => reduced.every((r) => r > k));
}

type Table = KernelTable<Block>;
type BinaryName = "add" | "sub" | "mul" | "div" | "maximum" | "minimum" | "greater" | "equal";
type MovementName =
  | "where"
  | "broadcast_to"
  | "reduce_sum"
  | "reduce_max"
  | "concat"
  | "slice"
  | "pad"
  | "reshape"
  | "copy";

const BINARY: BinaryName[] = ["add", "sub", "mul", "div", "maximum", "minimum", "greater", "equal"];

/** The strided kernels of the wasm backend. */
export function stridedKernels(
  rt: WasmRuntime,
): Pick<Table, BinaryName | MovementName | "transpose" | "channel_shuffle" | "upsample_nearest2d"> {
  const binary = {} as Pick<Table, BinaryName>;
  for (const name of BINARY) {
    binary[name] = (inputs, outputs) => {
      const out = outputs[0];
      runStrided(rt, name, out.shape, [
        contiguous(out),
        broadcastOperand(inputs[0], out.shape),
        broadcastOperand(inputs[1], out.shape),
      ]);
    };
  }
  const reduce =
    (name: "reduce_sum" | "reduce_max") =>
    (i: readonly WasmView[], o: readonly WasmView[], a: KernelAttrs["reduce_sum"]) => {
      const shape = i[0].shape;
      const kept = new Array<number>(shape.length).fill(0);
      let s = 1;
      for (let d = shape.length - 1; d >= 0; d--) {
        if (!a.axes.includes(d)) {
          kept[d] = s;
          s *= shape[d];
        }
      }
      const operands = [{ ptr: ptr(o[0]), strides: kept }, contiguous(i[0])];
      if (reducesTrailingAxes(shape, a.axes)) {
        // each innermost row sums into its own output element: the rows can run in parallel once y is initialised
        fillBits(rt, o[0], name === "reduce_sum" ? 0 : NEGATIVE_INFINITY_BITS);
        runStrided(rt, name, shape, operands);
      } else {
        runStrided(rt, name, shape, operands, Math.max(1, o[0].size));
      }
    };
  /** Every element in row-major order: `copy`, and `reshape` (whose output only has another shape). */
  const flatCopy = (name: "copy" | "reshape") => (i: readonly WasmView[], o: readonly WasmView[]) =>
    runStrided(rt, name, [o[0].size], [{ ptr: ptr(o[0]), strides: [1] }, { ptr: ptr(i[0]), strides: [1] }]);
  return {
    ...binary,
    where: (i, o) => {
      const shape = o[0].shape;
      runStrided(rt, "where", shape, [contiguous(o[0]), ...i.map((v) => broadcastOperand(v, shape))]);
    },
    broadcast_to: (i, o) =>
      runStrided(rt, "broadcast_to", o[0].shape, [contiguous(o[0]), broadcastOperand(i[0], o[0].shape)]),
    reduce_sum: reduce("reduce_sum"),
    reduce_max: reduce("reduce_max"),
    reshape: flatCopy("reshape"),
    copy: flatCopy("copy"),
    slice: (i, o, a) => {
      const inStrides = stridesOf(i[0].shape);
      runStrided(rt, "slice", o[0].shape, [contiguous(o[0]), {
        ptr: shifted(i[0].storage, a.begin, inStrides),
        strides: inStrides,
      }]);
    },
    pad: (i, o, a) => {
      // zero the whole output first, then copy the input into its window (which starts `before` into the output)
      fillBits(rt, o[0], 0);
      const outStrides = stridesOf(o[0].shape);
      runStrided(rt, "pad", i[0].shape, [
        { ptr: shifted(o[0].storage, a.before, outStrides), strides: outStrides },
        contiguous(i[0]),
      ]);
    },
    concat: (i, o, a) => {
      const outStrides = stridesOf(o[0].shape);
      let start = 0;
      for (const v of i) {
        const at = v.shape.map((_, d) => (d === a.axis ? start : 0));
        runStrided(rt, "concat", v.shape, [
          { ptr: shifted(o[0].storage, at, outStrides), strides: outStrides },
          contiguous(v),
        ]);
        start += v.shape[a.axis];
      }
    },
    transpose: (i, o, a) => {
      const inStrides = stridesOf(i[0].shape);
      runStrided(rt, "transpose", o[0].shape, [contiguous(o[0]), {
        ptr: ptr(i[0]),
        strides: a.perm.map((p) => inStrides[p]),
      }]);
    },
    channel_shuffle: (i, o, a) => {
      const c = i[0].shape[3];
      const perGroup = c / a.groups;
      const rows = i[0].size / c;
      runStrided(rt, "channel_shuffle", [rows, perGroup, a.groups], [
        { ptr: ptr(o[0]), strides: [c, a.groups, 1] },
        { ptr: ptr(i[0]), strides: [c, 1, perGroup] },
      ]);
    },
    upsample_nearest2d: (i, o, a) => {
      const { shape, srcStrides, dstStrides } = upsampleCopy(i[0].shape, a.scale);
      runStrided(rt, "upsample_nearest2d", shape, [
        { ptr: ptr(o[0]), strides: dstStrides },
        { ptr: ptr(i[0]), strides: srcStrides },
      ]);
    },
  };
}
