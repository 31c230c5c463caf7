/**
 * ResNeSt returns FaceX-Zoo's L2-normalised embedding (its `forward` ends in `l2_norm`), in eval and training mode,
 * while the BN1d output before it is not unit-length.
 */
import assert from "node:assert";
import { ReferenceBackend } from "../../../src/backends/reference/backend.ts";
import { Rng } from "../../../src/core/rng.ts";
import { noGrad } from "../../../src/core/tape.ts";
import { backbones } from "../../../src/models/mod.ts";
import { tensor } from "../../../src/ops/mod.ts";

const backend = new ReferenceBackend({ precision: "f64" });

/** L2 norms of the rows of a [N, D] host array. */
function rowNorms(values: ArrayLike<number>, d: number): number[] {
  return Array.from({ length: values.length / d }, (_, n) => {
    let sum = 0;
    for (let j = 0; j < d; j++) sum += values[n * d + j] ** 2;
    return Math.sqrt(sum);
  });
}

Deno.test("resnest: the embedding rows are unit-length in eval and training mode; other backbones' are not", async () => {
  const x = tensor(backend, Array.from({ length: 3 * 32 * 32 * 3 }, (_, i) => Math.sin(0.37 * i)), [3, 32, 32, 3]);
  const norms = async (name: string, training: boolean) => {
    const model = backbones.get(name).create({ inputSize: 32 }, { backend, rng: new Rng(4, "init") });
    const y = noGrad(() => model.train(training).forward(x));
    const result = rowNorms(await y.read(), y.shape[1]);
    y.dispose();
    model.dispose();
    return result;
  };
  for (const training of [false, true]) {
    for (const norm of await norms("resnest_tiny", training)) assert.ok(Math.abs(norm - 1) < 1e-12, `norm ${norm}`);
  }
  // the same BN1d output layer without the normalisation (ResNeXt, which shares the face stem and output layer)
  for (const norm of await norms("resnext_tiny", true)) assert.ok(Math.abs(norm - 1) > 0.1, `norm ${norm}`);
});
