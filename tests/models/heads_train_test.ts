/**
 * Every registered head trains: with free embeddings in place of a backbone (32 samples of width 16, 8 classes),
 * 150 SGD steps on embeddings and head together bring the cross-entropy of the head's logits down to under half of
 * its first value, with every sample's own class scoring highest (argmax of the margined training logits, as the
 * backbone overfit test counts it). Cheap enough for every head, stateful ones included (their buffers update each
 * step, as in the Trainer); the backbone × head matrix is the bench's job.
 */
import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { Rng } from "../../src/core/rng.ts";
import { keep, scope } from "../../src/core/scope.ts";
import { noGrad } from "../../src/core/tape.ts";
import { crossEntropy } from "../../src/losses/mod.ts";
import { heads } from "../../src/models/mod.ts";
import { backward } from "../../src/ops/backward.ts";
import { sgdUpdate, tensor, zerosLike } from "../../src/ops/mod.ts";

const SAMPLES = 32;
const WIDTH = 16;
const CLASSES = 8;
const STEPS = 150;

/** Cross-entropy after each step and the final training accuracy. */
async function train(name: string): Promise<{ losses: number[]; accuracy: number }> {
  const backend = new ReferenceBackend();
  const rng = new Rng(5, "init");
  const head = heads.get(name).create({ embeddingSize: WIDTH, numClasses: CLASSES }, { backend, rng });
  const data = new Rng(5, "data");
  const x = keep(
    tensor(backend, Float32Array.from({ length: SAMPLES * WIDTH }, () => data.normal()), [SAMPLES, WIDTH]),
  );
  x.requiresGrad = true;
  const labelValues = Array.from({ length: SAMPLES }, (_, i) => i % CLASSES);
  const labels = tensor(backend, labelValues, [SAMPLES], "i32");
  const params = [{ tensor: x, decay: false }, ...head.parameters()];
  const velocities = params.map((p) => keep(zerosLike(p.tensor)));
  const losses: number[] = [];
  let logits: number[] = [];
  for (let step = 0; step < STEPS; step++) {
    head.step(step);
    const [loss, out] = scope(() => {
      const out = head.forward(x, labels).logits;
      const loss = crossEntropy(out, labels);
      backward(loss);
      return noGrad(() => [loss, out]);
    });
    noGrad(() =>
      params.forEach((p, i) => {
        sgdUpdate(p.tensor, p.tensor.grad!, velocities[i], { lr: 0.1, momentum: 0.9, nesterov: false, weightDecay: 0 });
        p.tensor.grad!.dispose();
        p.tensor.grad = null;
      })
    );
    losses.push((await loss.read())[0]);
    logits = Array.from(await out.read());
    for (const t of [loss, out]) t.dispose();
  }
  let hits = 0;
  labelValues.forEach((y, n) => {
    const row = logits.slice(n * CLASSES, (n + 1) * CLASSES);
    if (row.indexOf(Math.max(...row)) === y) hits++;
  });
  for (const t of [x, labels, ...velocities]) t.dispose();
  head.dispose();
  return { losses, accuracy: hits / SAMPLES };
}

for (const entry of heads.list()) {
  Deno.test(`head ${entry.name} trains: loss halves and every sample's class wins`, async () => {
    const { losses, accuracy } = await train(entry.name);
    const [first, last] = [losses[0], losses.at(-1)!];
    assert.ok(losses.every(Number.isFinite), `${entry.name}: non-finite loss ${losses}`);
    assert.ok(last < first / 2, `${entry.name}: loss ${first} → ${last}`);
    assert.strictEqual(accuracy, 1, `${entry.name}: training accuracy ${accuracy} (loss ${first} → ${last})`);
  });
}
