/**
 * The exporter's lowering of the kernels no registered backbone's eval forward reaches (the registry-driven export
 * test covers the rest): relu6, clamp, pow, affine, copy, tanh, neg, exp, log, sqrt, abs, hard_swish, sub, div,
 * minimum (against a per-channel constant, which the lowering reshapes and transposes to NCHW, and against a batched
 * rank-4 value), gather_rows of a constant table by an int32 index buffer (reached by swin_tiny's relative position
 * bias too), transpose, l2_normalize and channel_affine_prelu (with and without PReLU); the transformer kernels
 * layer_norm, softmax, gelu, normal_cdf and batched_matmul (both transpose flags, on [N·5, 5, 3] values whose axis 0
 * folds the batch with the image rows); and a reshape of a value whose batch a transpose moved to axis 1. Each case
 * is a one-purpose backbone on a 5 × 5 input, exported through the recorder (`exportBackboneOnnx`) and run in
 * onnxruntime-web at batch 2 on seeded inputs in [−8, 8]; its output, flattened per image, must match a plain-loop
 * expectation written here (NHWC, the engine's order) within 1e-5 relative to max(1, |value|). The forward must call
 * the kernels under test (recorded), and the graph must hold the ONNX ops their lowering is meant to emit.
 */
import assert from "node:assert";
import * as ort from "onnxruntime-web";
import { RecordingBackend } from "../../../src/backends/recording/backend.ts";
import { ReferenceBackend } from "../../../src/backends/reference/backend.ts";
import { Rng } from "../../../src/core/rng.ts";
import type { OpName } from "../../../src/core/kernels.ts";
import { scope } from "../../../src/core/scope.ts";
import { noGrad } from "../../../src/core/tape.ts";
import type { Tensor } from "../../../src/core/tensor.ts";
import { Backbone } from "../../../src/models/backbones/backbone.ts";
import { exportBackboneOnnx } from "../../../src/models/onnx/export.ts";
import { nhwcToNchw, runOnnx } from "../../../src/models/onnx/parity.ts";
import {
  abs,
  add,
  affine,
  batchedMatmul,
  channelAffinePrelu,
  clamp,
  copy,
  div,
  exp,
  gatherRows,
  gelu,
  hardSwish,
  l2Normalize,
  layerNorm,
  log,
  minimum,
  neg,
  normalCdf as normalCdfOp,
  pow,
  relu6,
  reshape,
  softmax,
  sqrt,
  sub,
  tanh,
  tensor,
  transpose,
} from "../../../src/ops/mod.ts";

ort.env.wasm.numThreads = 1;
const backend = new RecordingBackend(new ReferenceBackend());

const SIZE = 5, CHANNELS = 3, BATCH = 2;
const PIXELS = SIZE * SIZE * CHANNELS;

/** Per-channel constants the cases read as buffers (the exporter makes them initializers). */
const SCALE = [1.5, -0.5, 2], SHIFT = [0.25, -1, 0.5], ALPHA = [0.1, 0.3, -0.2], DIVISOR = [2, -4, 0.5];
/** An int32 index buffer (an int64 initializer in the graph): rows of SCALE that `gather_rows` picks per channel. */
const ROWS = [2, 0, 2];

/** One kernel (or a short chain ending in it) between the NCHW graph input and the flattened [N, width] output. */
interface Case {
  /** what the case exercises */
  name: string;
  /** the kernels its forward must call (each one's lowering is under test) */
  kernels: OpName[];
  /** ONNX op types the lowering must emit for it, with repeats (the graph holds at least these) */
  onnxOps: string[];
  /** the engine forward on x [N, 5, 5, 3]; `c` holds the per-channel buffers */
  forward(x: Tensor, c: Record<string, Tensor>): Tensor;
  /** the expected output of one image (NHWC values in, `width` values out), in plain loops */
  expected(x: Float32Array): Float32Array;
  /** values per image of the output (default 75, the input's) */
  width?: number;
}

/** An elementwise case: `f` applied to every value, in NHWC order. */
const pointwise = (
  kernels: OpName[],
  onnxOps: string[],
  op: (x: Tensor) => Tensor,
  f: (v: number) => number,
  name = kernels.join(", "),
): Case => ({
  name,
  kernels,
  onnxOps,
  forward: op,
  expected: (x) => x.map(f),
});

/** A per-pixel case: `f` maps the 3 channel values of every pixel to 3 values. */
const perPixel = (
  name: string,
  kernels: OpName[],
  onnxOps: string[],
  op: (x: Tensor, c: Record<string, Tensor>) => Tensor,
  f: (pixel: number[]) => number[],
): Case => ({
  name,
  kernels,
  onnxOps,
  forward: op,
  expected: (x) => {
    const out = new Float32Array(PIXELS);
    for (let p = 0; p < PIXELS; p += CHANNELS) out.set(f([...x.subarray(p, p + CHANNELS)]), p);
    return out;
  },
});

/** Φ, the standard normal CDF, by the Abramowitz–Stegun 7.1.26 erf (|error| < 1.5e-7). */
function normalCdf(v: number): number {
  const z = Math.abs(v) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return 0.5 * (1 + Math.sign(v) * erf);
}

/**
 * C[r] = op(A[r]) · op(B[r]) over the 5 image rows r of one image, A and B both the row's [5 columns, 3 channels]
 * values (NHWC): the expectation of `batched_matmul` on x reshaped to [N·5, 5, 3].
 */
function rowProducts(x: Float32Array, transposeA: boolean, transposeB: boolean): Float32Array {
  const [m, k] = transposeA ? [CHANNELS, SIZE] : [SIZE, CHANNELS];
  const n = transposeB ? SIZE : CHANNELS;
  const at = (row: number, i: number, j: number) => x[row * SIZE * CHANNELS + i * CHANNELS + j];
  const out = new Float32Array(SIZE * m * n);
  for (let r = 0; r < SIZE; r++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) {
          sum += (transposeA ? at(r, p, i) : at(r, i, p)) * (transposeB ? at(r, j, p) : at(r, p, j));
        }
        out[(r * m + i) * n + j] = sum;
      }
    }
  }
  return out;
}

/** A batched_matmul case on x [N, 5, 5, 3] folded to [N·5, 5, 3] (batch × rows on axis 0). */
const rowProductCase = (transposeA: boolean, transposeB: boolean, onnxOps: string[]): Case => ({
  name: `batched_matmul (transposeA ${transposeA}, transposeB ${transposeB}, batch × rows on axis 0)`,
  kernels: ["batched_matmul"],
  onnxOps,
  forward: (x) => {
    const rows = reshape(x, [x.shape[0] * SIZE, SIZE, CHANNELS]);
    return batchedMatmul(rows, rows, transposeA, transposeB);
  },
  expected: (x) => rowProducts(x, transposeA, transposeB),
  width: SIZE * (transposeA ? CHANNELS : SIZE) * (transposeB ? SIZE : CHANNELS),
});

/** A per-channel case: `f` applied to every value with its channel index. */
const perChannel = (
  name: string,
  kernels: OpName[],
  onnxOps: string[],
  op: (x: Tensor, c: Record<string, Tensor>) => Tensor,
  f: (v: number, channel: number) => number,
): Case => ({ name, kernels, onnxOps, forward: op, expected: (x) => x.map((v, i) => f(v, i % CHANNELS)) });

const CASES: Case[] = [
  pointwise(["relu6"], ["Clip"], relu6, (v) => Math.min(Math.max(v, 0), 6)),
  pointwise(["clamp"], ["Clip"], (x) => clamp(x, -2.5, 1.75), (v) => Math.min(Math.max(v, -2.5), 1.75)),
  pointwise(["pow"], ["Pow"], (x) => pow(x, 3), (v) => v ** 3),
  pointwise(["affine"], ["Mul", "Add"], (x) => affine(x, -1.5, 0.25), (v) => -1.5 * v + 0.25),
  pointwise(["copy"], ["Identity", "Identity"], copy, (v) => v),
  pointwise(["tanh"], ["Tanh"], tanh, Math.tanh),
  pointwise(["neg"], ["Neg"], neg, (v) => -v),
  pointwise(["exp"], ["Exp"], exp, Math.exp),
  pointwise(["abs", "log"], ["Abs", "Log"], (x) => log(abs(x)), (v) => Math.log(Math.abs(v))),
  pointwise(["abs", "sqrt"], ["Abs", "Sqrt"], (x) => sqrt(abs(x)), (v) => Math.sqrt(Math.abs(v))),
  pointwise(["hard_swish"], ["HardSwish"], hardSwish, (v) => v * Math.min(Math.max(v + 3, 0), 6) / 6),
  perChannel("sub (per-channel constant)", ["sub"], ["Sub"], (x, c) => sub(x, c.shift), (v, k) => v - SHIFT[k]),
  perChannel("div (per-channel constant)", ["div"], ["Div"], (x, c) => div(x, c.divisor), (v, k) => v / DIVISOR[k]),
  perChannel(
    "minimum (per-channel constant)",
    ["minimum"],
    ["Min"],
    (x, c) => minimum(x, c.shift),
    (v, k) => Math.min(v, SHIFT[k]),
  ),
  pointwise(
    ["div", "minimum"],
    ["Div", "Min"],
    (x) => minimum(div(x, affine(abs(x), 1, 1)), neg(x)),
    (v) => Math.min(v / (Math.abs(v) + 1), -v),
    "div, minimum (two batched rank-4 values)",
  ),
  perChannel(
    "gather_rows (constant rows by an int32 index buffer, added per channel)",
    ["gather_rows"],
    ["Gather", "Add"],
    (x, c) => add(x, gatherRows(c.scale, c.rows)),
    (v, k) => v + SCALE[ROWS[k]],
  ),
  perChannel(
    "channel_affine_prelu",
    ["channel_affine_prelu"],
    ["Mul", "Add", "PRelu"],
    (x, c) => channelAffinePrelu(x, c.scale, c.shift, c.alpha),
    (v, k) => {
      const y = v * SCALE[k] + SHIFT[k];
      return y > 0 ? y : ALPHA[k] * y;
    },
  ),
  perChannel(
    "channel_affine_prelu without PReLU",
    ["channel_affine_prelu"],
    ["Mul", "Add"],
    (x, c) => channelAffinePrelu(x, c.scale, c.shift),
    (v, k) => v * SCALE[k] + SHIFT[k],
  ),
  {
    name: "transpose (H and W swapped)",
    kernels: ["transpose"],
    onnxOps: ["Transpose", "Transpose"],
    forward: (x) => transpose(x, [0, 2, 1, 3]),
    expected: (x) => {
      const out = new Float32Array(PIXELS);
      for (let h = 0; h < SIZE; h++) {
        for (let w = 0; w < SIZE; w++) {
          for (let k = 0; k < CHANNELS; k++) out[(w * SIZE + h) * CHANNELS + k] = x[(h * SIZE + w) * CHANNELS + k];
        }
      }
      return out;
    },
  },
  perPixel("layer_norm", ["layer_norm"], ["LayerNormalization"], (x, c) => layerNorm(x, c.scale, c.shift), (px) => {
    const mean = px.reduce((s, v) => s + v, 0) / CHANNELS;
    const variance = px.reduce((s, v) => s + (v - mean) ** 2, 0) / CHANNELS;
    return px.map((v, k) => (v - mean) / Math.sqrt(variance + 1e-5) * SCALE[k] + SHIFT[k]);
  }),
  perPixel("softmax (last axis)", ["softmax"], ["Softmax"], (x) => softmax(x), (px) => {
    const top = Math.max(...px);
    const total = px.reduce((s, v) => s + Math.exp(v - top), 0);
    return px.map((v) => Math.exp(v - top) / total);
  }),
  pointwise(["normal_cdf"], ["Erf", "Mul", "Add", "Mul"], normalCdfOp, normalCdf),
  pointwise(["gelu"], ["Erf", "Mul", "Add", "Mul", "Mul"], gelu, (v) => v * normalCdf(v)),
  rowProductCase(false, true, ["MatMul", "Transpose"]),
  rowProductCase(true, false, ["MatMul", "Transpose"]),
  {
    name: "reshape and transpose with the batch on axis 1",
    kernels: ["transpose", "reshape"],
    onnxOps: ["Transpose", "Reshape", "Transpose"],
    forward: (x) => {
      // [N, 5, 5, 3] → [5 rows, N, 5, 3] → [5, N·15] (batch on axis 1) → [N·15, 5]
      const n = x.shape[0];
      return transpose(reshape(transpose(x, [1, 0, 2, 3]), [SIZE, n * SIZE * CHANNELS]), [1, 0]);
    },
    expected: (x) => {
      const out = new Float32Array(PIXELS);
      for (let h = 0; h < SIZE; h++) {
        for (let wc = 0; wc < SIZE * CHANNELS; wc++) out[wc * SIZE + h] = x[h * SIZE * CHANNELS + wc];
      }
      return out;
    },
  },
  {
    name: "l2_normalize (flattened image)",
    kernels: ["l2_normalize"],
    onnxOps: ["ReduceL2", "Max", "Div"],
    forward: (x) => l2Normalize(reshape(x, [x.shape[0], PIXELS])),
    expected: (x) => {
      const norm = Math.sqrt(x.reduce((s, v) => s + v * v, 0));
      return x.map((v) => v / norm);
    },
  },
];

/** A backbone whose forward is one case, flattened to [N, 75]; the per-channel constants are its buffers. */
class KernelProbe extends Backbone {
  readonly inputSize = SIZE;
  readonly embeddingSize: number;
  readonly #case: Case;
  readonly #constants: Record<string, Tensor>;

  constructor(probe: Case) {
    super();
    this.#case = probe;
    this.embeddingSize = probe.width ?? PIXELS;
    const named = { scale: SCALE, shift: SHIFT, alpha: ALPHA, divisor: DIVISOR };
    this.#constants = Object.fromEntries(
      Object.entries(named).map(([name, values]) => [name, this.addBuffer(name, tensor(backend, values, [CHANNELS]))]),
    );
    this.#constants.rows = this.addBuffer("rows", tensor(backend, ROWS, [CHANNELS], "i32"));
  }

  forward(x: Tensor): Tensor {
    return reshape(this.#case.forward(x, this.#constants), [x.shape[0], this.embeddingSize]);
  }
}

for (const probe of CASES) {
  Deno.test(`ONNX lowering of ${probe.name} matches a plain-loop expectation in onnxruntime-web`, async () => {
    const model = new KernelProbe(probe);
    try {
      const exported = await exportBackboneOnnx(model, backend, probe.name);
      const rng = new Rng(14, probe.name);
      const host = Float32Array.from({ length: BATCH * PIXELS }, () => rng.uniform(-8, 8));
      const shape = [BATCH, SIZE, SIZE, CHANNELS];
      const { result, calls } = backend.record(() =>
        noGrad(() => scope(() => model.forward(tensor(backend, host, shape))))
      );
      result.dispose();
      for (const kernel of probe.kernels) {
        assert.ok(calls.some((c) => c.op === kernel), `the forward calls no ${kernel}`);
      }
      for (const op of new Set(probe.onnxOps)) {
        const [emitted, wanted] = [exported.opTypes, probe.onnxOps].map((ops) => ops.filter((o) => o === op).length);
        assert.ok(emitted >= wanted, `${wanted} × ${op} expected, the graph has ${emitted}: ${exported.opTypes}`);
      }
      const { data, dims } = await runOnnx(exported.bytes, nhwcToNchw(host, shape), [BATCH, CHANNELS, SIZE, SIZE]);
      const width = model.embeddingSize;
      assert.deepStrictEqual(dims, [BATCH, width]);
      for (let b = 0; b < BATCH; b++) {
        const expected = probe.expected(host.subarray(b * PIXELS, (b + 1) * PIXELS));
        assert.strictEqual(expected.length, width);
        for (let i = 0; i < width; i++) {
          const [got, want] = [data[b * width + i], expected[i]];
          assert.ok(
            Math.abs(got - want) <= 1e-5 * Math.max(1, Math.abs(want)),
            `image ${b}, value ${i} (NHWC): onnx ${got}, expected ${want}`,
          );
        }
      }
    } finally {
      model.dispose();
    }
  });
}
