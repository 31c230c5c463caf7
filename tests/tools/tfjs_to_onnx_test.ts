/**
 * The TF.js → ONNX converter on two small graph models built here, each run in onnxruntime-web on random inputs at
 * batch 1 and 3 and matched within 1e-5 against a plain-loop NHWC reference written here (TF semantics).
 *
 * MobileFaceNet-like (8×8×3 input): a `_FusedConv2D` 3×3 with BiasAdd+Relu (SAME, stride 1), a
 * `FusedDepthwiseConv2dNative` 3×3 with BiasAdd (SAME, stride 2: TF pads the odd pixel after), the PReLU pattern of
 * MobileFaceNet_TF (relu(x) + alpha·(x − |x|)), a 4×4 VALID `_FusedConv2D` with BiasAdd+Prelu, Squeeze, and the L2
 * norm (Square, Sum, Maximum, Rsqrt, Mul).
 *
 * The remaining mappings (9×9×2 input): Identity, an unfused `Conv2D` with EXPLICIT padding (uneven per side) and
 * dilation 2, a standalone Prelu, an unfused `DepthwiseConv2dNative` with channel multiplier 2 (VALID, stride 2), a
 * `_FusedConv2D` with BiasAdd+Relu6 (SAME, stride 2; the reference must clip at both 0 and 6), AddV2, a Squeeze
 * without listed axes (every size-1 axis) and a Sum without keep_dims.
 *
 * A third model checks the detector ops (BlazeFace's channel Pad, MaxPool SAME on an odd size, Reshape with −1) the
 * same way.
 *
 * Also: an unknown op, a bad input reference, quantized weights and an unsupported reshape are refused with errors
 * naming the node or weight.
 */
import assert from "node:assert";
import { Rng } from "../../src/core/rng.ts";
import type { Dim } from "../../src/models/onnx/graph.ts";
import { openOnnxModel, runOnnxBatch } from "../../src/models/onnx/runtime.ts";
import { convertTfjsModel, type TfjsAttr, type TfjsGraphModel, type TfjsNode } from "../../tools/tfjs_to_onnx.ts";

const b64 = (s: string) => btoa(s);
const intList = (v: number[]) => ({ list: { i: v.map(String) } });

/** A weight, its Const node and its bytes. */
interface Weight {
  name: string;
  shape: number[];
  values: Float32Array | Int32Array;
}

function convNode(
  op: string,
  name: string,
  inputs: string[],
  padding: string,
  stride: number,
  fused: string[],
  extra: Record<string, TfjsAttr> = {},
): TfjsNode {
  return {
    name,
    op,
    input: inputs,
    attr: {
      padding: { s: b64(padding) },
      strides: intList([1, stride, stride, 1]),
      dilations: intList([1, 1, 1, 1]),
      data_format: { s: b64("NHWC") },
      fused_ops: { list: { s: fused.map(b64) } },
      num_args: { i: String(inputs.length - 2) },
      ...extra,
    },
  };
}

/** A float weight of `shape` drawn uniformly from [−range, range). */
function randomWeight(rng: Rng, name: string, shape: number[], range = 0.5): Weight {
  const length = shape.reduce((a, b) => a * b, 1);
  return { name, shape, values: Float32Array.from({ length }, () => rng.uniform(-range, range)) };
}

/** The float32 NHWC image input [N, size, size, channels] with an unknown batch. */
function placeholder(name: string, size: number, channels: number): TfjsNode {
  return {
    name,
    op: "Placeholder",
    attr: {
      dtype: { type: "DT_FLOAT" },
      shape: {
        shape: { dim: [{ size: "-1" }, { size: String(size) }, { size: String(size) }, { size: String(channels) }] },
      },
    },
  };
}

/**
 * A graph model of `nodes` with a Const node per weight, its weights in two shards split mid-weight (as the TF.js
 * converter splits at 4 MB), and a lookup of the weights' values.
 */
function graphModel(weights: Weight[], nodes: TfjsNode[]) {
  const model: TfjsGraphModel = {
    format: "graph-model",
    modelTopology: { node: [...weights.map((x) => ({ name: x.name, op: "Const" })), ...nodes] },
    weightsManifest: [{
      paths: ["a.bin", "b.bin"],
      weights: weights.map((x) => ({
        name: x.name,
        shape: x.shape,
        dtype: x.values instanceof Int32Array ? "int32" : "float32",
      })),
    }],
  };
  const bytes = new Uint8Array(weights.reduce((s, x) => s + x.values.length * 4, 0));
  let offset = 0;
  for (const x of weights) (bytes.set(new Uint8Array(x.values.buffer), offset), offset += x.values.length * 4);
  const shards: Record<string, Uint8Array> = { "a.bin": bytes.slice(0, 50), "b.bin": bytes.slice(50) };
  const get = (name: string) => weights.find((x) => x.name === name)!.values as Float32Array;
  return { model, shards, get };
}

/** The MobileFaceNet-like model and its weights (seeded). */
function syntheticModel(rng: Rng) {
  const w = (name: string, shape: number[]) => randomWeight(rng, name, shape);
  const weights: Weight[] = [
    w("c1/w", [3, 3, 3, 4]),
    w("c1/b", [4]),
    w("dw/w", [3, 3, 4, 1]),
    w("dw/b", [4]),
    w("p/alpha", [4]),
    w("gd/w", [4, 4, 4, 5]),
    w("gd/b", [5]),
    w("gd/alpha", [5]),
    { name: "eps", shape: [], values: Float32Array.from([1e-10]) },
    { name: "sum/axes", shape: [1], values: Int32Array.from([-1]) },
  ];
  return graphModel(weights, [
    placeholder("img", 8, 3),
    convNode("_FusedConv2D", "c1", ["img", "c1/w", "c1/b"], "SAME", 1, ["BiasAdd", "Relu"]),
    convNode("FusedDepthwiseConv2dNative", "dw", ["c1", "dw/w", "dw/b"], "SAME", 2, ["BiasAdd"]),
    { name: "p/relu", op: "Relu", input: ["dw"] },
    { name: "p/abs", op: "Abs", input: ["dw"] },
    { name: "p/sub", op: "Sub", input: ["dw", "p/abs"] },
    { name: "p/mul", op: "Mul", input: ["p/sub", "p/alpha"] },
    { name: "p/add", op: "Add", input: ["p/relu", "p/mul:0"] },
    convNode("_FusedConv2D", "gd", ["p/add", "gd/w", "gd/b", "gd/alpha"], "VALID", 1, ["BiasAdd", "Prelu"]),
    { name: "squeeze", op: "Squeeze", input: ["gd"], attr: { squeeze_dims: intList([1, 2]) } },
    { name: "sq", op: "Square", input: ["squeeze"] },
    { name: "sum", op: "Sum", input: ["sq", "sum/axes"], attr: { keep_dims: { b: true } } },
    { name: "max", op: "Maximum", input: ["sum", "eps"] },
    { name: "rsqrt", op: "Rsqrt", input: ["max"] },
    { name: "embeddings", op: "Mul", input: ["squeeze", "rsqrt"] },
  ]);
}

/** EXPLICIT paddings of the unfused Conv2D, [before, after] for N, H, W, C: uneven, and different on H and W. */
const EXPLICIT_PADS = [0, 0, 2, 1, 0, 2, 0, 0];

/** The model of the remaining mappings (see the module documentation) and its weights (seeded). */
function remainingOpsModel(rng: Rng) {
  const weights: Weight[] = [
    randomWeight(rng, "c/w", [3, 3, 2, 4]),
    randomWeight(rng, "c/alpha", [4]),
    randomWeight(rng, "dw/w", [3, 3, 4, 2]),
    // large enough that Relu6 clips at 6 as well as at 0
    randomWeight(rng, "r6/w", [2, 2, 8, 5], 3),
    randomWeight(rng, "r6/b", [5]),
    randomWeight(rng, "shift", [5]),
    randomWeight(rng, "last/w", [2, 2, 5, 5]),
    randomWeight(rng, "last/b", [5]),
    { name: "pool/axes", shape: [2], values: Int32Array.from([1, 2]) },
  ];
  return graphModel(weights, [
    placeholder("img", 9, 2),
    { name: "id", op: "Identity", input: ["img", "^c/w"] },
    convNode("Conv2D", "c", ["id", "c/w"], "EXPLICIT", 1, [], {
      explicit_paddings: intList(EXPLICIT_PADS),
      dilations: intList([1, 2, 2, 1]),
    }),
    { name: "c/prelu", op: "Prelu", input: ["c", "c/alpha"] },
    convNode("DepthwiseConv2dNative", "dw", ["c/prelu", "dw/w"], "VALID", 2, []),
    convNode("_FusedConv2D", "r6", ["dw", "r6/w", "r6/b"], "SAME", 2, ["BiasAdd", "Relu6"]),
    { name: "shifted", op: "AddV2", input: ["r6", "shift"] },
    convNode("_FusedConv2D", "last", ["shifted", "last/w", "last/b"], "VALID", 1, ["BiasAdd"]),
    { name: "squeeze", op: "Squeeze", input: ["last"] },
    { name: "pool", op: "Sum", input: ["shifted", "pool/axes"] },
    { name: "out", op: "AddV2", input: ["squeeze", "pool"] },
  ]);
}

/** Padding of a reference convolution: TF's SAME or VALID, or explicit [top, bottom, left, right]. */
type Padding = "SAME" | "VALID" | [number, number, number, number];

/**
 * TF semantics in plain loops: an NHWC convolution with an HWIO filter, or a depthwise one with a [kh, kw, C, M]
 * filter (output channel c·M + m), with stride, dilation and padding (SAME puts the odd pixel after).
 */
function conv(
  x: Float32Array,
  [n, h, w, c]: number[],
  f: Float32Array,
  fshape: number[],
  { stride = 1, dilation = 1, padding, depthwise = false }: {
    stride?: number;
    dilation?: number;
    padding: Padding;
    depthwise?: boolean;
  },
) {
  const [kh, kw, , m] = fshape;
  const oc = depthwise ? c * m : m;
  const [spanH, spanW] = [dilation * (kh - 1) + 1, dilation * (kw - 1) + 1];
  let [top, bottom, left, right] = [0, 0, 0, 0];
  if (padding === "SAME") {
    const [th, tw] = [Math.ceil(h / stride), Math.ceil(w / stride)];
    const totalH = Math.max((th - 1) * stride + spanH - h, 0), totalW = Math.max((tw - 1) * stride + spanW - w, 0);
    [top, bottom] = [Math.floor(totalH / 2), Math.ceil(totalH / 2)];
    [left, right] = [Math.floor(totalW / 2), Math.ceil(totalW / 2)];
  } else if (padding !== "VALID") [top, bottom, left, right] = padding;
  const ho = Math.floor((h + top + bottom - spanH) / stride) + 1;
  const wo = Math.floor((w + left + right - spanW) / stride) + 1;
  const out = new Float32Array(n * ho * wo * oc);
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < ho; y++) {
      for (let xx = 0; xx < wo; xx++) {
        for (let o = 0; o < oc; o++) {
          let s = 0;
          for (let dy = 0; dy < kh; dy++) {
            for (let dx = 0; dx < kw; dx++) {
              const iy = y * stride + dy * dilation - top, ix = xx * stride + dx * dilation - left;
              if (iy < 0 || ix < 0 || iy >= h || ix >= w) continue;
              const base = ((b * h + iy) * w + ix) * c;
              if (depthwise) s += x[base + Math.floor(o / m)] * f[(dy * kw + dx) * c * m + o];
              else for (let i = 0; i < c; i++) s += x[base + i] * f[((dy * kw + dx) * c + i) * m + o];
            }
          }
          out[((b * ho + y) * wo + xx) * oc + o] = s;
        }
      }
    }
  }
  return { data: out, dims: [n, ho, wo, oc] };
}

function channelwise(x: Float32Array, c: number, f: (v: number, k: number) => number): Float32Array {
  return x.map((v, i) => f(v, i % c));
}

function reference(input: Float32Array, n: number, get: (name: string) => Float32Array): Float32Array {
  let t = conv(input, [n, 8, 8, 3], get("c1/w"), [3, 3, 3, 4], { padding: "SAME" });
  let v = channelwise(t.data, 4, (x, k) => Math.max(x + get("c1/b")[k], 0));
  t = conv(v, t.dims, get("dw/w"), [3, 3, 4, 1], { stride: 2, padding: "SAME", depthwise: true });
  v = channelwise(t.data, 4, (x, k) => x + get("dw/b")[k]);
  v = channelwise(v, 4, (x, k) => Math.max(x, 0) + get("p/alpha")[k] * (x - Math.abs(x)));
  t = conv(v, t.dims, get("gd/w"), [4, 4, 4, 5], { padding: "VALID" });
  v = channelwise(t.data, 5, (x, k) => {
    const y = x + get("gd/b")[k];
    return y >= 0 ? y : get("gd/alpha")[k] * y;
  });
  const out = new Float32Array(n * 5);
  for (let b = 0; b < n; b++) {
    const row = v.subarray(b * 5, b * 5 + 5);
    const norm = Math.sqrt(Math.max(row.reduce((s, x) => s + x * x, 0), 1e-10));
    row.forEach((x, k) => (out[b * 5 + k] = x / norm));
  }
  return out;
}

/** The remaining-ops model in plain loops; also counts the Relu6 inputs below 0 and above 6. */
function remainingOpsReference(input: Float32Array, n: number, get: (name: string) => Float32Array) {
  const [, , top, bottom, left, right] = EXPLICIT_PADS;
  let t = conv(input, [n, 9, 9, 2], get("c/w"), [3, 3, 2, 4], { dilation: 2, padding: [top, bottom, left, right] });
  const v = channelwise(t.data, 4, (x, k) => x >= 0 ? x : get("c/alpha")[k] * x);
  t = conv(v, t.dims, get("dw/w"), [3, 3, 4, 2], { stride: 2, padding: "VALID", depthwise: true });
  t = conv(t.data, t.dims, get("r6/w"), [2, 2, 8, 5], { stride: 2, padding: "SAME" });
  const preActivation = channelwise(t.data, 5, (x, k) => x + get("r6/b")[k]);
  const clipped = { low: preActivation.filter((x) => x < 0).length, high: preActivation.filter((x) => x > 6).length };
  const shifted = channelwise(preActivation, 5, (x, k) => Math.min(Math.max(x, 0), 6) + get("shift")[k]);
  const last = conv(shifted, t.dims, get("last/w"), [2, 2, 5, 5], { padding: "VALID" });
  const pixels = t.dims[1] * t.dims[2];
  const out = channelwise(last.data, 5, (x, k) => x + get("last/b")[k]);
  for (let b = 0; b < n; b++) {
    for (let p = 0; p < pixels; p++) {
      for (let k = 0; k < 5; k++) out[b * 5 + k] += shifted[(b * pixels + p) * 5 + k];
    }
  }
  return { out, clipped };
}

/** Converts the model `build` draws from the seeded stream `stream`; the stream then draws the test inputs. */
function convertSeeded(build: (rng: Rng) => ReturnType<typeof graphModel>, stream: string) {
  const rng = new Rng(14, stream);
  const { model, shards, get } = build(rng);
  return { rng, get, converted: convertTfjsModel(model, (path) => shards[path]) };
}

/** Runs `converted` in onnxruntime-web at batch 1 and 3 on inputs drawn from `rng`; each must match `reference`. */
async function expectReference(
  converted: ReturnType<typeof convertTfjsModel>,
  [, h, w, c]: Dim[],
  rng: Rng,
  reference: (input: Float32Array, n: number) => Float32Array,
) {
  const session = await openOnnxModel(converted.bytes, "converted");
  try {
    assert.deepStrictEqual(session.inputDims, converted.input.dims);
    for (const n of [1, 3]) {
      const dims = [n, h as number, w as number, c as number];
      const input = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => rng.uniform(-1, 1));
      const { data } = await runOnnxBatch(session, input, dims);
      const expected = reference(input, n);
      assert.strictEqual(data.length, expected.length);
      const diff = Math.max(...data.map((v, i) => Math.abs(v - expected[i])));
      assert.ok(diff <= 1e-5, `batch ${n}: max |onnx − reference| ${diff}`);
      assert.ok(new Set(Array.from(expected, (v) => v.toFixed(3))).size > 3, "the reference is not degenerate");
    }
  } finally {
    await session.session.release();
  }
}

Deno.test("tfjs_to_onnx: fused conv, depthwise SAME stride 2, PReLU pattern, fused Prelu and L2 norm match TF semantics", async () => {
  const { rng, get, converted } = convertSeeded(syntheticModel, "tfjs");
  assert.deepStrictEqual(converted.input, { name: "img", dims: ["N", 8, 8, 3] });
  assert.deepStrictEqual(converted.outputs, [{ name: "embeddings", dims: ["N", 5] }]);
  assert.strictEqual(converted.tfOps._FusedConv2D, 2);
  assert.strictEqual(converted.tfOps.FusedDepthwiseConv2dNative, 1);
  await expectReference(converted, converted.input.dims, rng, (input, n) => reference(input, n, get));
});

Deno.test("tfjs_to_onnx: Identity, Conv2D EXPLICIT dilated, Prelu, depthwise ×2, fused Relu6, AddV2, Squeeze, Sum match TF semantics", async () => {
  const { rng, get, converted } = convertSeeded(remainingOpsModel, "tfjs remaining ops");
  assert.deepStrictEqual(converted.input, { name: "img", dims: ["N", 9, 9, 2] });
  assert.deepStrictEqual(converted.outputs, [{ name: "out", dims: ["N", 5] }]);
  for (
    const op of ["Identity", "Conv2D", "Prelu", "DepthwiseConv2dNative", "_FusedConv2D", "AddV2", "Squeeze", "Sum"]
  ) {
    assert.ok(converted.tfOps[op] >= 1, `${op} not converted: ${JSON.stringify(converted.tfOps)}`);
  }
  assert.ok(converted.onnxOps.includes("Clip"), "Relu6 becomes Clip");
  let clipped = { low: 0, high: 0 };
  await expectReference(converted, converted.input.dims, rng, (input, n) => {
    const result = remainingOpsReference(input, n, get);
    clipped = { low: clipped.low + result.clipped.low, high: clipped.high + result.clipped.high };
    return result.out;
  });
  assert.ok(clipped.low > 0 && clipped.high > 0, `Relu6 clips at both ends: ${JSON.stringify(clipped)}`);
});

Deno.test("tfjs_to_onnx: an unknown op, a dangling input and quantized weights are refused, naming the node", () => {
  const { model, shards } = syntheticModel(new Rng(1, "tfjs"));
  const read = (path: string) => shards[path];
  const withNode = (node: TfjsNode): TfjsGraphModel => ({
    ...model,
    modelTopology: { node: [...model.modelTopology.node.filter((n) => n.name !== "embeddings"), node] },
  });
  assert.throws(
    () => convertTfjsModel(withNode({ name: "embeddings", op: "Tanh", input: ["squeeze"] }), read),
    /node embeddings: op Tanh is not supported/,
  );
  assert.throws(
    () => convertTfjsModel(withNode({ name: "embeddings", op: "Mul", input: ["squeeze", "missing"] }), read),
    /node embeddings: input missing names no node/,
  );
  const quantized: TfjsGraphModel = {
    ...model,
    weightsManifest: [{
      ...model.weightsManifest[0],
      weights: model.weightsManifest[0].weights.map((w, i) => i === 0 ? { ...w, quantization: { dtype: "uint8" } } : w),
    }],
  };
  assert.throws(() => convertTfjsModel(quantized, read), /weight c1\/w: quantized weights are not supported/);
  assert.throws(() => convertTfjsModel({ nodes: [] } as unknown as TfjsGraphModel, read), /not a TF.js graph model/);
});

/** Pad (channels 2 → 4 with zeros) → MaxPool 2×2 stride 2 SAME on 5×5 → Reshape [1, −1, 2], as in BlazeFace. */
function detectorOpsModel(shape: number[]): { model: TfjsGraphModel; shard: Uint8Array } {
  const paddings = Int32Array.from([0, 0, 0, 0, 0, 0, 0, 2]);
  const target = Int32Array.from(shape);
  const shard = new Uint8Array(paddings.byteLength + target.byteLength);
  shard.set(new Uint8Array(paddings.buffer), 0);
  shard.set(new Uint8Array(target.buffer), paddings.byteLength);
  const model: TfjsGraphModel = {
    modelTopology: {
      node: [
        { name: "pad/paddings", op: "Const" },
        { name: "reshape/shape", op: "Const" },
        {
          name: "x",
          op: "Placeholder",
          attr: { shape: { shape: { dim: [{ size: 1 }, { size: 5 }, { size: 5 }, { size: 2 }] } } },
        },
        { name: "pad", op: "Pad", input: ["x", "pad/paddings"] },
        {
          name: "pool",
          op: "MaxPool",
          input: ["pad"],
          attr: { ksize: intList([1, 2, 2, 1]), strides: intList([1, 2, 2, 1]), padding: { s: b64("SAME") } },
        },
        { name: "reshape", op: "Reshape", input: ["pool", "reshape/shape"] },
      ],
    },
    weightsManifest: [{
      paths: ["w.bin"],
      weights: [
        { name: "pad/paddings", shape: [4, 2], dtype: "int32" },
        { name: "reshape/shape", shape: [3], dtype: "int32" },
      ],
    }],
  };
  return { model, shard };
}

Deno.test("tfjs_to_onnx: Pad, MaxPool SAME (odd size, padding never wins the max) and Reshape match TF semantics", async () => {
  const { model, shard } = detectorOpsModel([1, -1, 2]);
  const converted = convertTfjsModel(model, () => shard);
  assert.deepStrictEqual(converted.outputs.map((o) => o.dims), [[1, 18, 2]]);
  const rng = new Rng(5, "tfjs-detector-ops");
  // all negative: a max that saw a zero of SAME padding (instead of ignoring it) would give 0 at the border
  const input = Float32Array.from({ length: 5 * 5 * 2 }, () => rng.uniform(-1, -0.1));
  const expected = new Float32Array(3 * 3 * 4);
  for (let y = 0; y < 3; y++) {
    for (let x = 0; x < 3; x++) {
      for (let c = 0; c < 4; c++) {
        let best = -Infinity;
        for (let dy = 0; dy < 2; dy++) {
          for (let dx = 0; dx < 2; dx++) {
            const iy = 2 * y + dy, ix = 2 * x + dx;
            if (iy >= 5 || ix >= 5) continue;
            best = Math.max(best, c < 2 ? input[(iy * 5 + ix) * 2 + c] : 0);
          }
        }
        expected[(y * 3 + x) * 4 + c] = best;
      }
    }
  }
  const session = await openOnnxModel(converted.bytes, "detector ops");
  try {
    const { data, dims } = await runOnnxBatch(session, input, [1, 5, 5, 2]);
    assert.deepStrictEqual(dims, [1, 18, 2]);
    assert.deepStrictEqual(Array.from(data), Array.from(expected));
    assert.ok(expected.some((v) => v < 0) && expected.some((v) => v === 0), "both padded and real channels");
  } finally {
    await session.session.release();
  }
  assert.throws(
    () => convertTfjsModel(detectorOpsModel([1, 0, 2]).model, () => detectorOpsModel([1, 0, 2]).shard),
    /node reshape: shape \[1,0,2\] is not supported/,
  );
  assert.throws(
    () => convertTfjsModel(detectorOpsModel([1, 7, 2]).model, () => detectorOpsModel([1, 7, 2]).shard),
    /node reshape: cannot reshape \[1,3,3,4\] to \[1,7,2\]/,
  );
});
