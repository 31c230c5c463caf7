/**
 * The benchmark's single-op ONNX models (`tools/onnx_models.ts`, encoded with onnx-proto) load in onnxruntime-web
 * and compute what they claim: MatMul against a host product with the same weight pattern, Conv (dense and
 * depthwise) with the declared output shape and, for a 1×1 conv with one output channel, the host dot product.
 */
import assert from "node:assert";
import * as ort from "onnxruntime-web";
import { convModel, convOutputSize, type ConvShape, matmulModel } from "../../tools/onnx_models.ts";

ort.env.wasm.numThreads = 1;

/** The tool's weight pattern. */
const pattern = (i: number) => ((i * 7919) % 1000) / 1000 - 0.5;

async function run(model: Uint8Array, x: Float32Array, dims: number[]): Promise<ort.Tensor> {
  const session = await ort.InferenceSession.create(model, { executionProviders: ["wasm"] });
  const { y } = await session.run({ x: new ort.Tensor("float32", x, dims) });
  await session.release();
  return y;
}

Deno.test("onnx_models: MatMul equals the host product", async () => {
  const [m, k, n] = [3, 5, 4];
  const x = Float32Array.from({ length: m * k }, (_, i) => i / 7 - 1);
  const y = await run(matmulModel(m, k, n), x, [m, k]);
  assert.deepStrictEqual(y.dims, [m, n]);
  for (let r = 0; r < m; r++) {
    for (let c = 0; c < n; c++) {
      let sum = 0;
      for (let j = 0; j < k; j++) sum += x[r * k + j] * pattern(j * n + c);
      assert.ok(Math.abs((y.data as Float32Array)[r * n + c] - sum) < 1e-5, `y[${r},${c}]`);
    }
  }
});

Deno.test("onnx_models: Conv has the declared output shape and values", async () => {
  const shapes: ConvShape[] = [
    { n: 2, c: 4, size: 9, o: 6, k: 3, stride: 2, pad: 1, groups: 1 },
    { n: 1, c: 8, size: 7, o: 8, k: 3, stride: 1, pad: 1, groups: 8 },
  ];
  for (const s of shapes) {
    const y = await run(convModel(s), new Float32Array(s.n * s.c * s.size * s.size).fill(1), [
      s.n,
      s.c,
      s.size,
      s.size,
    ]);
    assert.deepStrictEqual(y.dims, [s.n, s.o, convOutputSize(s), convOutputSize(s)]);
  }
  const pointwise: ConvShape = { n: 1, c: 3, size: 2, o: 1, k: 1, stride: 1, pad: 0, groups: 1 };
  const x = Float32Array.from([1, 2, 3, 4, -1, 0, 1, 2, 5, 5, 5, 5]);
  const y = await run(convModel(pointwise), x, [1, 3, 2, 2]);
  for (let p = 0; p < 4; p++) {
    const expected = x[p] * pattern(0) + x[4 + p] * pattern(1) + x[8 + p] * pattern(2);
    assert.ok(Math.abs((y.data as Float32Array)[p] - expected) < 1e-5, `pixel ${p}`);
  }
});
