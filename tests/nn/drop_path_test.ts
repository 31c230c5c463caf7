/**
 * Drop-path (stochastic depth): whole samples zeroed, survivors scaled by 1/(1 − p), masks from the seeded dropout
 * stream and the same bits on every backend; the per-sample Dropout layer only acts in training; arcface_torch's linear
 * rate schedule.
 */
import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import type { Backend } from "../../src/core/backend.ts";
import { Rng } from "../../src/core/rng.ts";
import { noGrad } from "../../src/core/tape.ts";
import { dropPath, tensor } from "../../src/ops/mod.ts";
import { Dropout, linearDropPathRates } from "../../src/nn/mod.ts";
import { backendCases, backendTest } from "../_util/backends.ts";

const backend = new ReferenceBackend({ precision: "f64" });

for (const shape of [[64, 2, 2, 3], [64, 5, 4]]) {
  Deno.test(`dropPath: zeroes whole samples of ${JSON.stringify(shape)} and scales the others by 1/(1 − p)`, async () => {
    const p = 0.3;
    const n = shape[0];
    const per = shape.slice(1).reduce((a, b) => a * b, 1);
    const values = Array.from({ length: n * per }, (_, i) => 1 + (i % 7));
    const branch = tensor(backend, values, shape);
    const masked = async (seed: number) => Array.from(await dropPath(branch, p, new Rng(seed, "dropout")).read());
    const y = await masked(9);
    let dropped = 0;
    for (let s = 0; s < n; s++) {
      const sample = y.slice(s * per, (s + 1) * per);
      if (sample.every((v) => v === 0)) {
        dropped++;
        continue;
      }
      // the mask value 1/(1 − p) is held in float32
      sample.forEach((v, i) => {
        const want = values[s * per + i] / (1 - p);
        assert.ok(Math.abs(v / want - 1) < 1e-7, `sample ${s} element ${i}: ${v}`);
      });
    }
    assert.ok(dropped > 5 && dropped < 35, `${dropped} of ${n} samples dropped at p = ${p}`);
    assert.deepStrictEqual(await masked(9), y, "same seed, same mask");
    assert.notDeepStrictEqual(await masked(10), y, "another seed, another mask");
  });
}

/** The drop-path output of a fixed branch under seed 21 on `b`. */
function masked(b: Backend): Promise<number[]> {
  const values = Array.from({ length: 40 * 3 * 2 }, (_, i) => 1 + (i % 5));
  return dropPath(tensor(b, values, [40, 3, 2]), 0.5, new Rng(21, "dropout")).toArray();
}

for (const bc of backendCases()) {
  backendTest(bc, `dropPath: ${bc.label} draws the reference's mask`, async (b) => {
    assert.deepStrictEqual(await masked(b), await masked(new ReferenceBackend()));
  });
}

Deno.test("Dropout per sample (drop-path): identity in eval mode and at p = 0; drops whole rows in training", async () => {
  const x = tensor(backend, Array.from({ length: 32 * 4 }, (_, i) => i + 1), [32, 4]);
  const layer = new Dropout(0.5, new Rng(3, "dropout"), "sample");
  const run = (l: Dropout) => noGrad(() => l.forward(x)).toArray();
  assert.deepStrictEqual(await run(layer.eval()), await x.toArray());
  assert.deepStrictEqual(await run(new Dropout(0, new Rng(3, "dropout"), "sample")), await x.toArray());
  const y = await run(layer.train());
  const rows = Array.from({ length: 32 }, (_, r) => y.slice(4 * r, 4 * r + 4));
  assert.ok(rows.some((row) => row.every((v) => v === 0)), "some sample dropped");
  assert.ok(rows.every((row) => row.every((v) => v === 0) || row.every((v) => v !== 0)), "whole samples only");
  assert.throws(() => new Dropout(1, new Rng(3, "dropout"), "sample"), /p must be in \[0, 1\)/);
});

Deno.test("linearDropPathRates: torch.linspace(0, rate, depth) as arcface_torch's ViT", () => {
  const rates = linearDropPathRates(0.1, 12);
  assert.strictEqual(rates.length, 12);
  assert.strictEqual(rates[0], 0);
  assert.ok(Math.abs(rates[11] - 0.1) < 1e-15);
  assert.ok(Math.abs(rates[5] - 0.1 * 5 / 11) < 1e-15);
  assert.deepStrictEqual(linearDropPathRates(0.1, 1), [0]);
});
