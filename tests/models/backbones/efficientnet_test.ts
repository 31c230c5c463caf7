/**
 * EfficientNet's drop-connect: per-sample stochastic depth on the residual branch, drawn from the dropout stream,
 * only in training mode.
 */
import assert from "node:assert";
import { ReferenceBackend } from "../../../src/backends/reference/backend.ts";
import { Rng } from "../../../src/core/rng.ts";
import { noGrad } from "../../../src/core/tape.ts";
import { dropConnect } from "../../../src/models/backbones/efficientnet.ts";
import { backbones } from "../../../src/models/mod.ts";
import { tensor } from "../../../src/ops/mod.ts";

const backend = new ReferenceBackend({ precision: "f64" });

Deno.test("efficientnet: drop-connect zeroes whole samples and scales the others by 1/(1 − p)", async () => {
  const [n, side, c, p] = [64, 2, 3, 0.3];
  const per = side * side * c;
  const values = Array.from({ length: n * per }, (_, i) => 1 + (i % 7));
  const branch = tensor(backend, values, [n, side, side, c]);
  const masked = async (seed: number) => Array.from(await dropConnect(branch, p, new Rng(seed, "dropout")).read());
  const y = await masked(9);
  let dropped = 0;
  for (let s = 0; s < n; s++) {
    const sample = y.slice(s * per, (s + 1) * per);
    const kept = values.slice(s * per, (s + 1) * per);
    if (sample.every((v) => v === 0)) dropped++;
    // the mask value 1/(1 − p) is held in float32
    else {sample.forEach((v, i) =>
        assert.ok(Math.abs(v / (kept[i] / (1 - p)) - 1) < 1e-7, `sample ${s} element ${i}: ${v}`)
      );}
  }
  assert.ok(dropped > 5 && dropped < 35, `${dropped} of ${n} samples dropped at p = ${p}`);
  assert.deepStrictEqual(await masked(9), y, "same seed, same mask");
  assert.notDeepStrictEqual(await masked(10), y, "another seed, another mask");
});

Deno.test("efficientnet: drop-connect acts in training mode only, deterministically under the seed", async () => {
  const entry = backbones.get("efficientnet_tiny");
  const create = (dropConnect: number) =>
    entry.create({ inputSize: 32, dropout: 0, dropConnect }, { backend, rng: new Rng(3, "init") });
  const x = tensor(backend, Array.from({ length: 4 * 32 * 32 * 3 }, (_, i) => Math.sin(i)), [4, 32, 32, 3]);
  const run = async (dropConnect: number, training: boolean) => {
    const model = create(dropConnect);
    const y = await noGrad(() => model.train(training).forward(x)).read();
    model.dispose();
    return Array.from(y);
  };
  assert.deepStrictEqual(await run(0.9, false), await run(0, false), "eval mode ignores drop-connect");
  const stochastic = await run(0.9, true);
  assert.notDeepStrictEqual(stochastic, await run(0, true), "training mode drops branches");
  assert.deepStrictEqual(await run(0.9, true), stochastic, "same seed, same drops");
});
