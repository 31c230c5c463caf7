/**
 * EfficientNet's drop-connect: per-sample stochastic depth on the residual branch (the `dropPath` composite, tested in
 * tests/nn/drop_path_test.ts), drawn from the dropout stream, only in training mode.
 */
import assert from "node:assert";
import { ReferenceBackend } from "../../../src/backends/reference/backend.ts";
import { Rng } from "../../../src/core/rng.ts";
import { noGrad } from "../../../src/core/tape.ts";
import { backbones } from "../../../src/models/mod.ts";
import { tensor } from "../../../src/ops/mod.ts";

const backend = new ReferenceBackend({ precision: "f64" });

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
