/**
 * Layers: shapes and layouts, mode-dependent behaviour (Dropout, BatchNorm), SE and LayerNorm against a host
 * computation.
 */
import assert from "node:assert";
import { RecordingBackend } from "../../src/backends/recording/backend.ts";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { Rng } from "../../src/core/rng.ts";
import { noGrad } from "../../src/core/tape.ts";
import { tensor } from "../../src/ops/mod.ts";
import {
  BatchNorm,
  Conv2d,
  Dropout,
  dropoutStream,
  LayerNorm,
  Linear,
  type ModuleContext,
  SqueezeExcite,
} from "../../src/nn/mod.ts";

const backend = new ReferenceBackend({ precision: "f64" });
const ctx = (): ModuleContext => ({ backend, rng: new Rng(8, "init") });

Deno.test("layers: Conv2d weights are HWIO, Linear weights [out, in]; outputs have the expected shapes", () => {
  const conv = new Conv2d(ctx(), { inChannels: 4, outChannels: 6, kernel: 3, stride: 2, padding: 1, groups: 2 });
  assert.deepStrictEqual(conv.weight.shape, [3, 3, 2, 6]);
  const lin = new Linear(ctx(), { inFeatures: 5, outFeatures: 7 });
  assert.deepStrictEqual(lin.weight.shape, [7, 5]);
  noGrad(() => {
    assert.deepStrictEqual(conv.forward(tensor(backend, new Float64Array(2 * 9 * 9 * 4), [2, 9, 9, 4])).shape, [
      2,
      5,
      5,
      6,
    ]);
    assert.deepStrictEqual(lin.forward(tensor(backend, new Float64Array(10), [2, 5])).shape, [2, 7]);
  });
  conv.dispose();
  lin.dispose();
});

Deno.test("layers: Conv2d marks its filter reused in eval mode only (a backend may keep its preparation)", () => {
  const recording = new RecordingBackend(new ReferenceBackend());
  const conv = new Conv2d({ backend: recording, rng: new Rng(8, "init") }, {
    inChannels: 2,
    outChannels: 3,
    kernel: 3,
  });
  const x = tensor(recording, new Float32Array(5 * 5 * 2), [1, 5, 5, 2]);
  const reused = (training: boolean) => {
    conv.train(training);
    const { result, calls } = recording.record(() => noGrad(() => conv.forward(x)));
    result.dispose();
    const attrs = calls.find((c) => c.op === "conv2d")!.attrs as { filterReused?: boolean };
    return attrs.filterReused === true;
  };
  assert.strictEqual(reused(true), false);
  assert.strictEqual(reused(false), true);
  conv.dispose();
  x.dispose();
});

Deno.test("layers: Dropout is the identity in eval mode and inverted-scales kept values in training", async () => {
  const layer = new Dropout(0.5, new Rng(1, "dropout"));
  const x = tensor(backend, new Float64Array(1000).fill(1), [1000]);
  const y = await layer.forward(x).toArray();
  const kept = y.filter((v) => v !== 0);
  assert.ok(kept.every((v) => v === 2) && kept.length > 400 && kept.length < 600, `kept ${kept.length}`);
  assert.strictEqual(layer.eval().forward(x), x);
});

Deno.test("layers: BatchNorm uses batch statistics in training and running statistics in eval", async () => {
  const bn = new BatchNorm(ctx(), { channels: 1, momentum: 0.5 });
  const x = tensor(backend, [1, 3], [2, 1]);
  assert.deepStrictEqual((await bn.forward(x).toArray()).map((v) => Math.round(v * 1e4) / 1e4), [-1, 1]);
  // running mean 0.5·0 + 0.5·2 = 1, running var 0.5·1 + 0.5·2 (unbiased) = 1.5
  assert.deepStrictEqual(await bn.runningMean.toArray(), [1]);
  assert.deepStrictEqual(await bn.runningVar.toArray(), [1.5]);
  const y = await bn.eval().forward(x).toArray();
  const want = [0, 2].map((v) => v / Math.sqrt(1.5 + 1e-5));
  y.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-12));
  bn.dispose();
});

Deno.test("layers: LayerNorm normalises each row over the last axis; weight 1 and bias 0 without weight decay", async () => {
  const ln = new LayerNorm(ctx(), { features: 3, eps: 1e-6 });
  assert.deepStrictEqual(
    ln.parameters().map((p) => [p.path, [...p.tensor.shape], p.decay]),
    [["weight", [3], false], ["bias", [3], false]],
  );
  const rows = [[1, 2, 6], [-3, 0, 0.5]];
  const y = await ln.forward(tensor(backend, rows.flat(), [2, 3])).toArray();
  rows.forEach((row, r) => {
    const mean = row.reduce((a, b) => a + b) / 3;
    const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / 3;
    row.forEach((v, j) => {
      const want = (v - mean) / Math.sqrt(variance + 1e-6);
      assert.ok(Math.abs(y[r * 3 + j] - want) < 1e-12, `row ${r}, ${j}: ${y[r * 3 + j]} vs ${want}`);
    });
  });
  ln.dispose();
});

Deno.test("layers: SqueezeExcite scales channels by sigmoid(W2·relu(W1·mean))", async () => {
  const se = new SqueezeExcite(ctx(), { channels: 4, reduction: 2 });
  const values = Array.from({ length: 2 * 2 * 2 * 4 }, (_, i) => Math.sin(i + 1));
  const y = await se.forward(tensor(backend, values, [2, 2, 2, 4])).toArray();
  const [w1, w2] = await Promise.all(se.parameters().map((p) => p.tensor.toArray())); // [1,1,4,2], [1,1,2,4]
  for (let n = 0; n < 2; n++) {
    const mean = [0, 1, 2, 3].map((c) => [0, 1, 2, 3].reduce((a, p) => a + values[n * 16 + p * 4 + c], 0) / 4);
    const hidden = [0, 1].map((h) => Math.max(0, mean.reduce((a, m, c) => a + m * w1[c * 2 + h], 0)));
    const gate = [0, 1, 2, 3].map((c) => 1 / (1 + Math.exp(-hidden.reduce((a, v, h) => a + v * w2[h * 4 + c], 0))));
    for (let i = 0; i < 16; i++) {
      const got = y[n * 16 + i];
      const want = values[n * 16 + i] * gate[i % 4];
      assert.ok(Math.abs(got - want) < 1e-12, `SE [${n}, ${i}]: ${got} vs ${want}`);
    }
  }
  se.dispose();
});

Deno.test("layers: Dropout layers built from one context share one stream (different masks)", async () => {
  const c = ctx();
  const a = new Dropout(0.5, dropoutStream(c));
  const b = new Dropout(0.5, dropoutStream(c));
  assert.strictEqual(dropoutStream(c), c.dropoutRng);
  const x = tensor(backend, new Float64Array(64).fill(1), [64]);
  assert.notDeepStrictEqual(await a.forward(x).toArray(), await b.forward(x).toArray());
});
