/**
 * The TF.js → ONNX converter on a small graph model built here (8×8×3 NHWC input): a `_FusedConv2D` 3×3 with
 * BiasAdd+Relu (SAME, stride 1), a `FusedDepthwiseConv2dNative` 3×3 with BiasAdd (SAME, stride 2: TF pads the odd
 * pixel after), the PReLU pattern of MobileFaceNet_TF (relu(x) + alpha·(x − |x|)), a 4×4 VALID `_FusedConv2D` with
 * BiasAdd+Prelu, Squeeze, and the L2 norm (Square, Sum, Maximum, Rsqrt, Mul). The converted model runs in
 * onnxruntime-web on random inputs and must match a plain-loop NHWC reference written here within 1e-5. A second
 * model checks the detector ops (BlazeFace's channel Pad, MaxPool SAME on an odd size, Reshape with −1) the same way.
 * Also: an unknown op, a bad input reference, quantized weights and an unsupported reshape are refused with errors
 * naming the node or weight.
 */
import assert from "node:assert";
import { Rng } from "../../src/core/rng.ts";
import { openOnnxModel, runOnnxBatch } from "../../src/models/onnx/runtime.ts";
import { convertTfjsModel, type TfjsGraphModel, type TfjsNode } from "../../tools/tfjs_to_onnx.ts";

const b64 = (s: string) => btoa(s);
const intList = (v: number[]) => ({ list: { i: v.map(String) } });

/** A weight, its Const node and its bytes. */
interface Weight {
  name: string;
  shape: number[];
  values: Float32Array | Int32Array;
}

function convNode(op: string, name: string, inputs: string[], padding: string, stride: number, fused: string[]) {
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
    },
  };
}

/** The synthetic model and its weights (seeded). */
function syntheticModel(rng: Rng) {
  const w = (name: string, shape: number[]): Weight => ({
    name,
    shape,
    values: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform(-0.5, 0.5)),
  });
  const weights: Weight[] = [
    w("c1/w", [3, 3, 3, 4]),
    w("c1/b", [4]),
    w("dw/w", [3, 3, 4, 1]),
    w("dw/b", [4]),
    w("p/alpha", [4]),
    w("gd/w", [4, 4, 4, 5]),
    w("gd/b", [5]),
    w("gd/alpha", [5]),
    w("eps", []),
    { name: "sum/axes", shape: [1], values: Int32Array.from([-1]) },
  ];
  (weights[8].values as Float32Array)[0] = 1e-10;
  const nodes: TfjsNode[] = [
    ...weights.map((x) => ({ name: x.name, op: "Const" })),
    {
      name: "img",
      op: "Placeholder",
      attr: {
        dtype: { type: "DT_FLOAT" },
        shape: { shape: { dim: [{ size: "-1" }, { size: "8" }, { size: "8" }, { size: "3" }] } },
      },
    } as TfjsNode,
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
  ];
  const model: TfjsGraphModel = {
    format: "graph-model",
    modelTopology: { node: nodes },
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
  // two shards, split mid-weight, as the TF.js converter splits at 4 MB
  const shards: Record<string, Uint8Array> = { "a.bin": bytes.slice(0, 50), "b.bin": bytes.slice(50) };
  const get = (name: string) => weights.find((x) => x.name === name)!.values as Float32Array;
  return { model, shards, get };
}

/** TF semantics in plain loops: NHWC conv (HWIO filter, or depthwise [kh,kw,c,1]) with SAME/VALID padding. */
function conv(
  x: Float32Array,
  [n, h, w, c]: number[],
  f: Float32Array,
  fshape: number[],
  stride: number,
  same: boolean,
  depthwise: boolean,
) {
  const [kh, kw, , m] = fshape;
  const oc = depthwise ? c : m;
  const ho = same ? Math.ceil(h / stride) : Math.floor((h - kh) / stride) + 1;
  const wo = same ? Math.ceil(w / stride) : Math.floor((w - kw) / stride) + 1;
  const top = same ? Math.floor(Math.max((ho - 1) * stride + kh - h, 0) / 2) : 0;
  const left = same ? Math.floor(Math.max((wo - 1) * stride + kw - w, 0) / 2) : 0;
  const out = new Float32Array(n * ho * wo * oc);
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < ho; y++) {
      for (let xx = 0; xx < wo; xx++) {
        for (let o = 0; o < oc; o++) {
          let s = 0;
          for (let dy = 0; dy < kh; dy++) {
            for (let dx = 0; dx < kw; dx++) {
              const iy = y * stride + dy - top, ix = xx * stride + dx - left;
              if (iy < 0 || ix < 0 || iy >= h || ix >= w) continue;
              const base = ((b * h + iy) * w + ix) * c;
              if (depthwise) s += x[base + o] * f[(dy * kw + dx) * c + o];
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
  let t = conv(input, [n, 8, 8, 3], get("c1/w"), [3, 3, 3, 4], 1, true, false);
  let v = channelwise(t.data, 4, (x, k) => Math.max(x + get("c1/b")[k], 0));
  t = conv(v, t.dims, get("dw/w"), [3, 3, 4, 1], 2, true, true);
  v = channelwise(t.data, 4, (x, k) => x + get("dw/b")[k]);
  v = channelwise(v, 4, (x, k) => Math.max(x, 0) + get("p/alpha")[k] * (x - Math.abs(x)));
  t = conv(v, t.dims, get("gd/w"), [4, 4, 4, 5], 1, false, false);
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

Deno.test("tfjs_to_onnx: fused conv, depthwise SAME stride 2, PReLU pattern, fused Prelu and L2 norm match TF semantics", async () => {
  const rng = new Rng(14, "tfjs");
  const { model, shards, get } = syntheticModel(rng);
  const converted = convertTfjsModel(model, (path) => shards[path]);
  assert.deepStrictEqual(converted.input, { name: "img", dims: ["N", 8, 8, 3] });
  assert.deepStrictEqual(converted.outputs, [{ name: "embeddings", dims: ["N", 5] }]);
  assert.strictEqual(converted.tfOps._FusedConv2D, 2);
  assert.strictEqual(converted.tfOps.FusedDepthwiseConv2dNative, 1);
  const session = await openOnnxModel(converted.bytes, "converted");
  try {
    assert.deepStrictEqual(session.inputDims, ["N", 8, 8, 3]);
    for (const n of [1, 3]) {
      const input = Float32Array.from({ length: n * 8 * 8 * 3 }, () => rng.uniform(-1, 1));
      const { data, dim } = await runOnnxBatch(session, input, [n, 8, 8, 3]);
      assert.strictEqual(dim, 5);
      const expected = reference(input, n, get);
      const diff = Math.max(...data.map((v, i) => Math.abs(v - expected[i])));
      assert.ok(diff <= 1e-5, `batch ${n}: max |onnx − reference| ${diff}`);
      assert.ok(new Set(Array.from(expected, (v) => v.toFixed(3))).size > 3, "the reference is not degenerate");
    }
  } finally {
    await session.session.release();
  }
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
