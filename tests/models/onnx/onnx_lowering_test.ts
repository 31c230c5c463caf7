/**
 * The exporter's lowering of the kernels no registered backbone's eval forward reaches (the registry-driven export
 * test covers the rest): relu6, clamp, pow, affine, copy, tanh, neg, exp, log, sqrt, abs, hard_swish, sub, div,
 * minimum (against a per-channel constant, which the lowering reshapes and transposes to NCHW, and against a batched
 * rank-4 value), transpose, l2_normalize and channel_affine_prelu (with and without PReLU). Each case is a one-purpose
 * backbone on a 5 × 5 input, exported through the recorder (`exportBackboneOnnx`) and run in onnxruntime-web at
 * batch 2 on seeded inputs in [−8, 8]; its output must match a plain-loop expectation written here (NHWC, the engine's
 * order) within 1e-5 relative to max(1, |value|). The forward must call the kernels under test (recorded), and the
 * graph must hold the ONNX ops their lowering is meant to emit.
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
  affine,
  channelAffinePrelu,
  clamp,
  copy,
  div,
  exp,
  hardSwish,
  l2Normalize,
  log,
  minimum,
  neg,
  pow,
  relu6,
  reshape,
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

/** One kernel (or a short chain ending in it) between the NCHW graph input and the flattened [N, 75] output. */
interface Case {
  /** what the case exercises */
  name: string;
  /** the kernels its forward must call (each one's lowering is under test) */
  kernels: OpName[];
  /** ONNX op types the lowering must emit for it, with repeats (the graph holds at least these) */
  onnxOps: string[];
  /** the engine forward on x [N, 5, 5, 3]; `c` holds the per-channel buffers */
  forward(x: Tensor, c: Record<string, Tensor>): Tensor;
  /** the expected output of one image (NHWC values in, 75 values out), in plain loops */
  expected(x: Float32Array): Float32Array;
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
  readonly embeddingSize = PIXELS;
  readonly #case: Case;
  readonly #constants: Record<string, Tensor>;

  constructor(probe: Case) {
    super();
    this.#case = probe;
    const named = { scale: SCALE, shift: SHIFT, alpha: ALPHA, divisor: DIVISOR };
    this.#constants = Object.fromEntries(
      Object.entries(named).map(([name, values]) => [name, this.addBuffer(name, tensor(backend, values, [CHANNELS]))]),
    );
  }

  forward(x: Tensor): Tensor {
    return reshape(this.#case.forward(x, this.#constants), [x.shape[0], PIXELS]);
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
      assert.deepStrictEqual(dims, [BATCH, PIXELS]);
      for (let b = 0; b < BATCH; b++) {
        const expected = probe.expected(host.subarray(b * PIXELS, (b + 1) * PIXELS));
        for (let i = 0; i < PIXELS; i++) {
          const [got, want] = [data[b * PIXELS + i], expected[i]];
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
