/**
 * Lowers recorded kernel calls (`backends/recording`) to ONNX nodes.
 *
 * Layout: the engine computes in NHWC with HWIO conv weights; ONNX's Conv, pooling, BatchNormalization and Resize
 * are NCHW. Each traced value therefore carries a layout tag: rank-4 values produced by layout-aware nodes (conv,
 * pooling, normalisation, activations, elementwise ops, concat, slice, pad, resize, channel shuffle) live in NCHW in
 * the graph; everything else keeps the engine's order. A node that needs the other layout gets one Transpose (made
 * once per value), so the graph input needs one Transpose only if its first consumer is not layout-aware, and
 * a flatten before a Linear transposes back to NHWC so the flattened order matches the engine's weights. Conv weights
 * that are parameters are converted HWIO→OIHW on the host; per-channel vectors become [C,1,1] by a Reshape
 * (constant-folded by any runtime).
 *
 * Batch: every value derived from the graph input records which of its axes holds the (dynamic) batch, in the
 * engine's order; that axis is the batch times a fixed factor (e.g. batch × heads after attention folds the heads
 * into axis 0). The forward is traced at batch {@link TRACE_BATCH}, so the batch axis is never a size-1 axis. Shapes
 * baked into kernels are rewritten so the batch stays dynamic: a Reshape keeps the batch as the outermost factor of
 * the output axis whose leading axes hold as many elements as those before the input's batch axis, and writes −1
 * there (every other target size is static); Transpose moves the batch axis with its permutation; Slice, Pad and
 * Concat never touch it. A kernel that would split or reduce the batch axis throws.
 * @module
 */
import type { KernelCall } from "../../backends/recording/backend.ts";
import type { KernelAttrs, OpName, TensorView } from "../../core/kernels.ts";
import { formatShape } from "../../core/shape.ts";
import type { Attribute, OnnxGraphBuilder } from "./graph.ts";

/** Where a value's axes are in the graph: the engine's order ("nhwc") or, for rank 4, NCHW. */
export type Layout = "nhwc" | "nchw";

/** A traced tensor as the graph holds it. */
interface Value {
  /** ONNX value name in each layout made so far */
  readonly names: Partial<Record<Layout, string>>;
  /** the engine's shape (NHWC order) */
  readonly shape: readonly number[];
  /** the engine-order axis that holds the (dynamic) batch; undefined for constants */
  readonly batchAxis: number | undefined;
}

/** A parameter or buffer that becomes an initializer: its state path and host values. */
export interface StateTensor {
  /** dotted state path, used as the initializer name */
  readonly path: string;
  /** values in the engine's layout: float32, or int32 for index buffers (initialised as int64) */
  readonly data: Float32Array | Int32Array;
}

/** A kernel the exporter cannot lower, or a traced graph it cannot express with a dynamic batch. */
export class OnnxExportError extends Error {
  /** Creates an error; `detail` names the kernel and the reason. */
  constructor(detail: string) {
    super(`ONNX export: ${detail}`);
    this.name = "OnnxExportError";
  }
}

/** The batch size the forward is traced at (2: a batch axis is never mistaken for a size-1 axis). */
export const TRACE_BATCH = 2;

/** The engine's NHWC axis a → its NCHW position. */
const NCHW_AXIS = [0, 2, 3, 1];
const TO_NCHW = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];

/** HWIO [kh, kw, i, o] → OIHW [o, i, kh, kw] on the host (also `tools/tfjs/conv.ts`'s TF filters). */
export function hwioToOihw(data: Float32Array, [kh, kw, ci, co]: readonly number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < ci; i++) {
        for (let o = 0; o < co; o++) out[((o * ci + i) * kh + y) * kw + x] = data[((y * kw + x) * ci + i) * co + o];
      }
    }
  }
  return out;
}

/** Turns the kernel calls of one traced forward into nodes of a graph. */
export class OnnxLowering {
  readonly #graph: OnnxGraphBuilder;
  readonly #values = new Map<TensorView, Value>();
  readonly #state: ReadonlyMap<TensorView, StateTensor>;
  readonly #oihw = new Map<TensorView, string>();

  /** `state`: every parameter and buffer by tensor, made initializers when a node reads them. */
  constructor(graph: OnnxGraphBuilder, state: ReadonlyMap<TensorView, StateTensor>) {
    this.#graph = graph;
    this.#state = state;
  }

  /** Registers the graph input `name` (NCHW in the graph) as the value of the traced input tensor. */
  defineInput(view: TensorView, name: string): void {
    this.#values.set(view, { names: { nchw: name }, shape: view.shape, batchAxis: 0 });
  }

  /** Adds the nodes of one kernel call. */
  lower(call: KernelCall): void {
    const rule = RULES[call.op] as Rule<OpName> | undefined;
    if (!rule) {
      throw new OnnxExportError(
        `kernel "${call.op}" has no ONNX lowering (supported: ${Object.keys(RULES).join(", ")})`,
      );
    }
    rule(this, call as never);
  }

  /** The graph value of `view` in `layout` (rank-4 values are transposed when held in the other layout). */
  read(view: TensorView, layout: Layout, op: string): string {
    const value = this.#value(view, op);
    const wanted = view.shape.length === 4 ? layout : "nhwc";
    const known = value.names[wanted];
    if (known) return known;
    const other = value.names[wanted === "nchw" ? "nhwc" : "nchw"]!;
    const [name] = this.#graph.node("Transpose", [other], { perm: { ints: wanted === "nchw" ? TO_NCHW : TO_NHWC } });
    (value.names as Record<Layout, string>)[wanted] = name;
    return name;
  }

  /** The layout `view` is held in now (NCHW when a rank-4 value exists in NCHW). */
  layoutOf(view: TensorView, op: string): Layout {
    return this.#value(view, op).names.nchw ? "nchw" : "nhwc";
  }

  /** The engine-order axis of `view` that holds the batch (undefined for constants). */
  batchAxis(view: TensorView, op: string): number | undefined {
    return this.#value(view, op).batchAxis;
  }

  /**
   * Records `name` as the graph value of `view` in `layout`. Its batch axis is `batchAxis` when given, else that of
   * the first batched value of `from` (kernels that keep the axes in place).
   */
  define(
    view: TensorView,
    name: string,
    layout: Layout,
    from: readonly TensorView[],
    op: string,
    batchAxis = from.map((v) => this.#value(v, op).batchAxis).find((axis) => axis !== undefined),
  ): void {
    const names = { [view.shape.length === 4 ? layout : "nhwc"]: name };
    this.#values.set(view, { names, shape: view.shape, batchAxis });
  }

  /** The conv filter `view` as OIHW: a host-converted initializer for parameters, a Transpose otherwise. */
  filter(view: TensorView, op: string): string {
    const state = this.#state.get(view);
    if (!(state?.data instanceof Float32Array)) {
      return this.node("Transpose", [this.read(view, "nhwc", op)], { perm: { ints: [3, 2, 0, 1] } });
    }
    let name = this.#oihw.get(view);
    if (!name) {
      const [kh, kw, ci, co] = view.shape;
      name = this.#graph.initializer(state.path, [co, ci, kh, kw], { float32: hwioToOihw(state.data, view.shape) });
      this.#oihw.set(view, name);
    }
    return name;
  }

  /** A per-channel vector `view` [C] shaped to broadcast against a value held in `layout` ([C,1,1] for NCHW). */
  perChannel(view: TensorView, layout: Layout, op: string): string {
    const name = this.read(view, "nhwc", op);
    if (layout === "nhwc") return name;
    return this.node("Reshape", [name, this.#graph.int64s("channel_shape", [view.size, 1, 1])]);
  }

  /** Adds a node with one output; returns its name. */
  node(opType: string, inputs: readonly string[], attributes: Readonly<Record<string, Attribute>> = {}): string {
    return this.#graph.node(opType, inputs, attributes)[0];
  }

  /** The graph builder, for constants. */
  get graph(): OnnxGraphBuilder {
    return this.#graph;
  }

  #value(view: TensorView, op: string): Value {
    const known = this.#values.get(view);
    if (known) return known;
    const state = this.#state.get(view);
    if (state) {
      const data = state.data instanceof Int32Array ? { int64: Array.from(state.data) } : { float32: state.data };
      const name = this.#graph.initializer(state.path, view.shape, data);
      const value = { names: { nhwc: name }, shape: view.shape, batchAxis: undefined };
      this.#values.set(view, value);
      return value;
    }
    throw new OnnxExportError(
      `kernel "${op}" reads a ${view.dtype} tensor ${formatShape(view.shape)} that is neither the input, a parameter ` +
        `or buffer, nor the output of an earlier kernel of the forward pass`,
    );
  }
}

type Rule<K extends OpName> = (ctx: OnnxLowering, call: KernelCall<K>) => void;

/** A layout-preserving one-input kernel lowered by `build` (input name → output name). */
function elementwise<K extends OpName>(
  build: (ctx: OnnxLowering, x: string, attrs: KernelAttrs[K]) => string,
): Rule<K> {
  return (ctx, { op, inputs: [x], outputs: [y], attrs }) => {
    const layout = ctx.layoutOf(x, op);
    ctx.define(y, build(ctx, ctx.read(x, layout, op), attrs), layout, [x], op);
  };
}

/** A one-to-one ONNX op. */
const unaryOp = (opType: string, attributes: Readonly<Record<string, Attribute>> = {}) =>
  elementwise((ctx, x) => ctx.node(opType, [x], attributes));

/** Clip between two constant bounds. */
const clip = (ctx: OnnxLowering, x: string, min: number, max: number) =>
  ctx.node("Clip", [x, ctx.graph.floats("clip_min", [], [min]), ctx.graph.floats("clip_max", [], [max])]);

/**
 * An elementwise op with NumPy broadcasting. A rank-4 result is computed in NCHW when an operand is held in NCHW:
 * rank-4 operands are read in NCHW, lower-rank constant operands are padded to rank 4 in the engine's order and
 * transposed (a batched lower-rank operand would broadcast against H, W or C, and is rejected).
 */
function binaryOp(opType: string): Rule<OpName> {
  return (ctx, call) => {
    const { op, inputs, outputs: [y] } = call;
    const nchw = y.shape.length === 4 && inputs.some((v) => ctx.layoutOf(v, op) === "nchw");
    const names = inputs.map((v) => {
      if (!nchw || v.shape.length === 4) return ctx.read(v, nchw ? "nchw" : "nhwc", op);
      if (v.shape.length === 0) return ctx.read(v, "nhwc", op);
      if (ctx.batchAxis(v, op) !== undefined) {
        throw new OnnxExportError(`kernel "${op}" broadcasts a batched ${formatShape(v.shape)} tensor against rank 4`);
      }
      const padded = [...Array(4 - v.shape.length).fill(1), ...v.shape];
      const reshaped = ctx.node("Reshape", [ctx.read(v, "nhwc", op), ctx.graph.int64s("broadcast_shape", padded)]);
      return ctx.node("Transpose", [reshaped], { perm: { ints: TO_NCHW } });
    });
    ctx.define(y, ctx.node(opType, names), nchw ? "nchw" : "nhwc", inputs, op, broadcastBatchAxis(ctx, call));
  };
}

/** The batch axis of a broadcast result: each batched operand's axis, right-aligned; operands must agree. */
function broadcastBatchAxis(ctx: OnnxLowering, { op, inputs, outputs: [y] }: KernelCall): number | undefined {
  const axes = new Set<number>();
  for (const v of inputs) {
    const axis = ctx.batchAxis(v, op);
    if (axis !== undefined) axes.add(y.shape.length - v.shape.length + axis);
  }
  if (axes.size > 1) throw new OnnxExportError(`kernel "${op}" broadcasts operands batched on different axes`);
  return axes.values().next().value;
}

/** Throws unless `view` is constant or batched on axis 0 (kernels with a fixed [N, …] signature). */
function expectBatchFirst(ctx: OnnxLowering, view: TensorView, op: string): void {
  const axis = ctx.batchAxis(view, op);
  if (axis !== undefined && axis !== 0) {
    throw new OnnxExportError(`kernel "${op}" reads ${formatShape(view.shape)} with the batch on axis ${axis}, not 0`);
  }
}

/** Throws when `view`'s batch is on its last axis (the axis a normalisation or softmax reduces). */
function expectBatchNotLast(ctx: OnnxLowering, view: TensorView, op: string): void {
  if (ctx.batchAxis(view, op) === view.shape.length - 1) {
    throw new OnnxExportError(`kernel "${op}" reduces the batch axis of ${formatShape(view.shape)}`);
  }
}

/**
 * The output axis that holds the batch after reshaping `from` (batched on `axis`) to `to`: the axis whose leading
 * axes hold as many elements as those before the input's batch axis, with a size the traced batch divides.
 */
function reshapedBatchAxis(from: readonly number[], axis: number, to: readonly number[]): number | undefined {
  const before = from.slice(0, axis).reduce((a, b) => a * b, 1);
  let leading = 1;
  for (let j = 0; j < to.length && leading <= before; j++) {
    if (leading === before && to[j] % TRACE_BATCH === 0) return j;
    leading *= to[j];
  }
  return undefined;
}

/** ONNX pads [begin per axis…, end per axis…] for the spatial axes of a pooling or conv window. */
const spatialPads = ([ph, pw]: readonly number[]): Attribute => ({ ints: [ph, pw, ph, pw] });

/** A Resize of an NCHW value by per-axis `scales` of the spatial axes. */
function resize(
  ctx: OnnxLowering,
  call: KernelCall,
  scales: readonly [number, number],
  attributes: Readonly<Record<string, Attribute>>,
): void {
  const { op, inputs: [x], outputs: [y] } = call;
  expectBatchFirst(ctx, x, op);
  const scaleName = ctx.graph.floats("resize_scales", [4], [1, 1, ...scales]);
  ctx.define(y, ctx.node("Resize", [ctx.read(x, "nchw", op), "", scaleName], attributes), "nchw", [x], op);
}

/** Φ(x) = (1 + erf(x / √2)) / 2 of the graph value `x`. */
function normalCdf(ctx: OnnxLowering, x: string): string {
  const g = ctx.graph;
  const erf = ctx.node("Erf", [ctx.node("Mul", [x, g.floats("inv_sqrt2", [], [Math.SQRT1_2])])]);
  return ctx.node("Mul", [ctx.node("Add", [erf, g.floats("one", [], [1])]), g.floats("half", [], [0.5])]);
}

/** Engine axes to graph axes for a value held in `layout`. */
const graphAxis = (axis: number, rank: number, layout: Layout) =>
  rank === 4 && layout === "nchw" ? NCHW_AXIS[axis] : axis;

/** The lowering of every supported kernel (inference kernels of every registered backbone's eval forward). */
const RULES: { [K in OpName]?: Rule<K> } = {
  relu: unaryOp("Relu"),
  sigmoid: unaryOp("Sigmoid"),
  tanh: unaryOp("Tanh"),
  neg: unaryOp("Neg"),
  exp: unaryOp("Exp"),
  log: unaryOp("Log"),
  sqrt: unaryOp("Sqrt"),
  abs: unaryOp("Abs"),
  hard_swish: unaryOp("HardSwish"),
  // the engine's hard sigmoid is PyTorch's: clamp(x / 6 + 1/2, 0, 1)
  hard_sigmoid: unaryOp("HardSigmoid", { alpha: { float: 1 / 6 }, beta: { float: 0.5 } }),
  relu6: elementwise((ctx, x) => clip(ctx, x, 0, 6)),
  clamp: elementwise((ctx, x, { min, max }) => clip(ctx, x, min, max)),
  swish: elementwise((ctx, x) => ctx.node("Mul", [x, ctx.node("Sigmoid", [x])])),
  pow: elementwise((ctx, x, { exponent }) => ctx.node("Pow", [x, ctx.graph.floats("exponent", [], [exponent])])),
  affine: elementwise((ctx, x, { scale, shift }) =>
    ctx.node("Add", [
      ctx.node("Mul", [x, ctx.graph.floats("scale", [], [scale])]),
      ctx.graph.floats("shift", [], [shift]),
    ])
  ),
  copy: elementwise((ctx, x) => ctx.node("Identity", [x])),
  add: binaryOp("Add"),
  sub: binaryOp("Sub"),
  mul: binaryOp("Mul"),
  div: binaryOp("Div"),
  maximum: binaryOp("Max"),
  minimum: binaryOp("Min"),
  conv2d: (ctx, { op, inputs: [x, w], outputs: [y], attrs }) => {
    expectBatchFirst(ctx, x, op);
    const conv = ctx.node("Conv", [ctx.read(x, "nchw", op), ctx.filter(w, op)], {
      kernel_shape: { ints: w.shape.slice(0, 2) },
      strides: { ints: attrs.strides },
      pads: spatialPads(attrs.padding),
      dilations: { ints: attrs.dilations },
      group: { int: attrs.groups },
    });
    ctx.define(y, conv, "nchw", [x], op);
  },
  batch_norm: (ctx, { op, inputs: [x, gamma, beta, mean, variance], outputs: [y], attrs }) => {
    if (attrs.training) throw new OnnxExportError(`kernel "batch_norm" ran in training mode; export needs eval()`);
    if (x.shape.length !== 2 && x.shape.length !== 4) {
      throw new OnnxExportError(`kernel "batch_norm" on a rank-${x.shape.length} tensor (rank 2 or 4 only)`);
    }
    expectBatchNotLast(ctx, x, op);
    const stats = [gamma, beta, mean, variance].map((v) => ctx.read(v, "nhwc", op));
    const bn = ctx.node("BatchNormalization", [ctx.read(x, "nchw", op), ...stats], { epsilon: { float: attrs.eps } });
    ctx.define(y, bn, "nchw", [x], op);
  },
  prelu: (ctx, { op, inputs: [x, alpha], outputs: [y] }) => {
    expectBatchNotLast(ctx, x, op);
    const layout = ctx.layoutOf(x, op);
    ctx.define(y, ctx.node("PRelu", [ctx.read(x, layout, op), ctx.perChannel(alpha, layout, op)]), layout, [x], op);
  },
  channel_affine_prelu: (ctx, { op, inputs: [x, scale, shift, alpha], outputs: [y] }) => {
    expectBatchNotLast(ctx, x, op);
    const layout = ctx.layoutOf(x, op);
    const scaled = ctx.node("Mul", [ctx.read(x, layout, op), ctx.perChannel(scale, layout, op)]);
    const shifted = ctx.node("Add", [scaled, ctx.perChannel(shift, layout, op)]);
    const out = alpha ? ctx.node("PRelu", [shifted, ctx.perChannel(alpha, layout, op)]) : shifted;
    ctx.define(y, out, layout, [x], op);
  },
  max_pool2d: (ctx, { op, inputs: [x], outputs: [y], attrs }) => {
    expectBatchFirst(ctx, x, op);
    const pool = ctx.node("MaxPool", [ctx.read(x, "nchw", op)], {
      kernel_shape: { ints: attrs.kernel },
      strides: { ints: attrs.strides },
      pads: spatialPads(attrs.padding),
      ceil_mode: { int: attrs.ceilMode ? 1 : 0 },
    });
    ctx.define(y, pool, "nchw", [x], op);
  },
  avg_pool2d: (ctx, { op, inputs: [x], outputs: [y], attrs }) => {
    expectBatchFirst(ctx, x, op);
    const pool = ctx.node("AveragePool", [ctx.read(x, "nchw", op)], {
      kernel_shape: { ints: attrs.kernel },
      strides: { ints: attrs.strides },
      pads: spatialPads(attrs.padding),
      ceil_mode: { int: attrs.ceilMode ? 1 : 0 },
      count_include_pad: { int: attrs.countIncludePad ? 1 : 0 },
    });
    ctx.define(y, pool, "nchw", [x], op);
  },
  global_avg_pool: (ctx, { op, inputs: [x], outputs: [y] }) => {
    expectBatchFirst(ctx, x, op);
    const pooled = ctx.node("GlobalAveragePool", [ctx.read(x, "nchw", op)]);
    ctx.define(y, ctx.node("Flatten", [pooled], { axis: { int: 1 } }), "nhwc", [x], op);
  },
  upsample_nearest2d: (ctx, call) =>
    resize(ctx, call, call.attrs.scale, {
      mode: { string: "nearest" },
      coordinate_transformation_mode: { string: "asymmetric" },
      nearest_mode: { string: "floor" },
    }),
  upsample_bilinear2d: (ctx, call) => {
    const [, h, w] = call.inputs[0].shape;
    const [oh, ow] = call.attrs.size;
    resize(ctx, call, [oh / h, ow / w], {
      mode: { string: "linear" },
      coordinate_transformation_mode: { string: call.attrs.alignCorners ? "align_corners" : "pytorch_half_pixel" },
    });
  },
  concat: (ctx, { op, inputs, outputs: [y], attrs }) => {
    const layout = y.shape.length === 4 && inputs.some((v) => ctx.layoutOf(v, op) === "nchw") ? "nchw" : "nhwc";
    const names = inputs.map((v) => ctx.read(v, layout, op));
    if (inputs.some((v) => ctx.batchAxis(v, op) === attrs.axis)) {
      throw new OnnxExportError(`kernel "concat" joins along the batch axis`);
    }
    const axis = graphAxis(attrs.axis, y.shape.length, layout);
    ctx.define(y, ctx.node("Concat", names, { axis: { int: axis } }), layout, inputs, op);
  },
  slice: (ctx, { op, inputs: [x], outputs: [y], attrs }) => {
    const layout = ctx.layoutOf(x, op);
    const axes: number[] = [], starts: number[] = [], ends: number[] = [];
    x.shape.forEach((size, axis) => {
      const [begin, length] = [attrs.begin[axis], attrs.size[axis]];
      if (begin === 0 && length === size) return;
      if (axis === ctx.batchAxis(x, op)) throw new OnnxExportError(`kernel "slice" cuts the batch axis`);
      axes.push(graphAxis(axis, x.shape.length, layout));
      starts.push(begin);
      ends.push(begin + length);
    });
    const g = ctx.graph;
    const sliced = axes.length === 0 ? ctx.node("Identity", [ctx.read(x, layout, op)]) : ctx.node("Slice", [
      ctx.read(x, layout, op),
      g.int64s("starts", starts),
      g.int64s("ends", ends),
      g.int64s("axes", axes),
    ]);
    ctx.define(y, sliced, layout, [x], op);
  },
  pad: (ctx, { op, inputs: [x], outputs: [y], attrs }) => {
    const layout = ctx.layoutOf(x, op);
    const rank = x.shape.length;
    const before = new Array<number>(rank), after = new Array<number>(rank);
    const batchAxis = ctx.batchAxis(x, op);
    if (batchAxis !== undefined && attrs.before[batchAxis] + attrs.after[batchAxis] !== 0) {
      throw new OnnxExportError(`kernel "pad" pads the batch axis`);
    }
    for (let axis = 0; axis < rank; axis++) {
      before[graphAxis(axis, rank, layout)] = attrs.before[axis];
      after[graphAxis(axis, rank, layout)] = attrs.after[axis];
    }
    const padded = ctx.node("Pad", [ctx.read(x, layout, op), ctx.graph.int64s("pads", [...before, ...after])]);
    ctx.define(y, padded, layout, [x], op);
  },
  channel_shuffle: (ctx, { op, inputs: [x], outputs: [y], attrs }) => {
    expectBatchFirst(ctx, x, op);
    const [, h, w, c] = x.shape;
    const g = ctx.graph;
    const split = ctx.node("Reshape", [
      ctx.read(x, "nchw", op),
      g.int64s("groups_shape", [0, attrs.groups, c / attrs.groups, h, w]),
    ]);
    const swapped = ctx.node("Transpose", [split], { perm: { ints: [0, 2, 1, 3, 4] } });
    ctx.define(y, ctx.node("Reshape", [swapped, g.int64s("shuffled_shape", [0, c, h, w])]), "nchw", [x], op);
  },
  reshape: (ctx, { op, inputs: [x], outputs: [y], attrs }) => {
    const shape = [...attrs.shape];
    const from = ctx.batchAxis(x, op);
    const to = from === undefined ? undefined : reshapedBatchAxis(x.shape, from, shape);
    if (from !== undefined) {
      if (to === undefined) {
        throw new OnnxExportError(
          `kernel "reshape" ${formatShape(x.shape)} → ${formatShape(shape)} splits the batch axis ${from} ` +
            `(dynamic batch impossible)`,
        );
      }
      shape[to] = -1;
    }
    const reshaped = ctx.node("Reshape", [ctx.read(x, "nhwc", op), ctx.graph.int64s("shape", shape)]);
    ctx.define(y, reshaped, "nhwc", [x], op, to);
  },
  transpose: (ctx, { op, inputs: [x], outputs: [y], attrs }) => {
    const from = ctx.batchAxis(x, op);
    const node = ctx.node("Transpose", [ctx.read(x, "nhwc", op)], { perm: { ints: attrs.perm } });
    ctx.define(y, node, "nhwc", [x], op, from === undefined ? undefined : attrs.perm.indexOf(from));
  },
  matmul: (ctx, { op, inputs: [a, b], outputs: [c], attrs }) => {
    expectBatchFirst(ctx, a, op);
    if (ctx.batchAxis(b, op) !== undefined || (attrs.transposeA && ctx.batchAxis(a, op) !== undefined)) {
      throw new OnnxExportError(`kernel "matmul" transposes a batched first operand or reads a batched second`);
    }
    const gemm = ctx.node("Gemm", [ctx.read(a, "nhwc", op), ctx.read(b, "nhwc", op)], {
      transA: { int: attrs.transposeA ? 1 : 0 },
      transB: { int: attrs.transposeB ? 1 : 0 },
    });
    ctx.define(c, gemm, "nhwc", [a], op);
  },
  batched_matmul: (ctx, { op, inputs: [a, b], outputs: [c], attrs }) => {
    const operand = (v: TensorView, transposed: boolean) => {
      expectBatchFirst(ctx, v, op);
      const name = ctx.read(v, "nhwc", op);
      return transposed ? ctx.node("Transpose", [name], { perm: { ints: [0, 2, 1] } }) : name;
    };
    if ((ctx.batchAxis(a, op) === undefined) !== (ctx.batchAxis(b, op) === undefined)) {
      throw new OnnxExportError(`kernel "batched_matmul" pairs a batched operand with a constant one`);
    }
    const product = ctx.node("MatMul", [operand(a, attrs.transposeA), operand(b, attrs.transposeB)]);
    ctx.define(c, product, "nhwc", [a, b], op);
  },
  // rows of a table by constant indices (Swin's relative position bias); the rows must not be the batch
  gather_rows: (ctx, { op, inputs: [x, idx], outputs: [y] }) => {
    if (ctx.batchAxis(x, op) === 0 || ctx.batchAxis(idx, op) !== undefined) {
      throw new OnnxExportError(`kernel "gather_rows" gathers batch rows or by batch-dependent indices`);
    }
    const gathered = ctx.node("Gather", [ctx.read(x, "nhwc", op), ctx.read(idx, "nhwc", op)], { axis: { int: 0 } });
    ctx.define(y, gathered, "nhwc", [x], op);
  },
  softmax: (ctx, { op, inputs: [x], outputs: [y] }) => {
    expectBatchNotLast(ctx, x, op);
    ctx.define(y, ctx.node("Softmax", [ctx.read(x, "nhwc", op)], { axis: { int: -1 } }), "nhwc", [x], op);
  },
  layer_norm: (ctx, { op, inputs: [x, gamma, beta], outputs: [y], attrs }) => {
    expectBatchNotLast(ctx, x, op);
    const normalised = ctx.node(
      "LayerNormalization",
      [ctx.read(x, "nhwc", op), ctx.read(gamma, "nhwc", op), ctx.read(beta, "nhwc", op)],
      { axis: { int: -1 }, epsilon: { float: attrs.eps } },
    );
    ctx.define(y, normalised, "nhwc", [x], op);
  },
  // Φ(x) = (1 + erf(x / √2)) / 2 and GELU x · Φ(x), with ONNX's Erf (opset 17 has no Gelu)
  normal_cdf: elementwise(normalCdf),
  gelu: elementwise((ctx, x) => ctx.node("Mul", [x, normalCdf(ctx, x)])),
  l2_normalize: (ctx, { op, inputs: [x], outputs: [y, norm], attrs }) => {
    expectBatchNotLast(ctx, x, op);
    const lastAxis = x.shape.length - 1;
    const l2 = ctx.node("ReduceL2", [ctx.read(x, "nhwc", op)], { axes: { ints: [lastAxis] }, keepdims: { int: 1 } });
    const clamped = ctx.node("Max", [l2, ctx.graph.floats("eps", [], [attrs.eps])]);
    ctx.define(y, ctx.node("Div", [ctx.read(x, "nhwc", op), clamped]), "nhwc", [x], op);
    ctx.define(norm, ctx.node("Squeeze", [clamped, ctx.graph.int64s("axes", [lastAxis])]), "nhwc", [x], op);
  },
};
