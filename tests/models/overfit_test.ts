/**
 * Every `tiny` backbone preset of the registry + ArcFace overfits 8 random 32×32 images with 4 labels to 100% training
 * accuracy (argmax of the margined training logits, as face.evoLVe reports it) within a fixed number of SGD steps
 * (dropout off where the preset has it), on the reference backend and on every other backend under test.
 *
 * One recipe for every family (SGD, momentum 0.9, lr 0.05), except Light CNN at lr 0.01: with no BatchNorm in its body
 * and Max-Feature-Map units, lr 0.05 and 0.1 left it at 0–75% after 60–100 steps (measured; a chaotic trajectory that
 * differs between backends), while lr 0.01 reaches 100% on every backend — the original Light CNN was trained at
 * lr 1e-3 (Wu et al. 2018). 32×32 rather than 16×16: at 16×16 the last maps are 1×1 and EfficientNet needed 59 of
 * the 60 steps.
 */
import assert from "node:assert";
import type { Backend } from "../../src/core/backend.ts";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { Rng } from "../../src/core/rng.ts";
import { keep, scope } from "../../src/core/scope.ts";
import { noGrad } from "../../src/core/tape.ts";
import { backward } from "../../src/ops/backward.ts";
import { crossEntropy } from "../../src/losses/mod.ts";
import type { Backbone } from "../../src/models/backbones/backbone.ts";
import { backbones, headObjective, heads } from "../../src/models/mod.ts";
import type { Registered } from "../../src/models/registry.ts";
import type { ModuleContext } from "../../src/nn/module.ts";
import { sgdUpdate, tensor, zerosLike } from "../../src/ops/mod.ts";
import { backendCases, backendTest } from "../_util/backends.ts";
import { tinyTestOptions } from "../_util/tiny_options.ts";

const SIZE = 32;
const BATCH = 8;
const CLASSES = 4;
const STEPS = 60;
/** Learning rates that differ from the common 0.05, by family (a preset's first tag). */
const FAMILY_LR: Readonly<Record<string, number>> = { lightcnn: 0.01 };

/** Trains and returns the training accuracy after each step. */
async function overfit(entry: Registered<ModuleContext, Backbone>, backend: Backend): Promise<number[]> {
  const rng = new Rng(11, "init");
  const data = new Rng(11, "data");
  const options = { ...tinyTestOptions(entry.name, SIZE), ...("dropout" in entry.parse({}) ? { dropout: 0 } : {}) };
  const model = entry.create(options, { backend, rng });
  const head = heads.get("arcface").create({ embeddingSize: 512, numClasses: CLASSES }, { backend, rng });
  const params = [...model.parameters(), ...head.parameters()];
  const velocities = params.map((p) => keep(zerosLike(p.tensor)));
  const pixels = Float32Array.from({ length: BATCH * SIZE * SIZE * 3 }, () => data.uniform(-1, 1));
  const x = tensor(backend, pixels, [BATCH, SIZE, SIZE, 3]);
  const labelValues = Array.from({ length: BATCH }, (_, i) => i % CLASSES);
  const labels = tensor(backend, labelValues, [BATCH], "i32");
  const accuracies: number[] = [];
  for (let step = 0; step < STEPS; step++) {
    head.step(step);
    const logits = scope(() => {
      const out = head.forward(model.forward(x), labels);
      backward(headObjective(out, (logits) => crossEntropy(logits, labels)));
      return noGrad(() => out.logits!);
    });
    noGrad(() =>
      params.forEach((p, i) => {
        sgdUpdate(p.tensor, p.tensor.grad!, velocities[i], {
          lr: FAMILY_LR[entry.tags[0]] ?? 0.05,
          momentum: 0.9,
          nesterov: false,
          weightDecay: p.decay ? 5e-4 : 0,
        });
        p.tensor.grad!.dispose();
        p.tensor.grad = null;
      })
    );
    accuracies.push(accuracy(await logits.read(), labelValues));
    logits.dispose();
    if (accuracies.at(-1) === 1) break;
  }
  for (const t of [x, labels, ...velocities]) t.dispose();
  model.dispose();
  head.dispose();
  return accuracies;
}

function accuracy(logits: ArrayLike<number>, labels: number[]): number {
  let hits = 0;
  labels.forEach((y, n) => {
    const row = Array.from({ length: CLASSES }, (_, c) => logits[n * CLASSES + c]);
    if (row.indexOf(Math.max(...row)) === y) hits++;
  });
  return hits / labels.length;
}

function check(name: string, label: string, acc: number[]): void {
  assert.strictEqual(
    acc.at(-1),
    1,
    `${label}: ${name} + arcface reached ${acc.at(-1)} training accuracy after ${STEPS} steps (${acc.join(" ")})`,
  );
  console.log(`${label}: ${name} 100% after ${acc.length} steps`);
}

for (const entry of backbones.list("tiny")) {
  Deno.test(`overfit: ${entry.name} + arcface reaches 100% training accuracy on reference`, async () => {
    check(entry.name, "reference", await overfit(entry, new ReferenceBackend()));
  });
  for (const bc of backendCases()) {
    backendTest(
      bc,
      `overfit: ${entry.name} + arcface reaches 100% training accuracy on ${bc.label}`,
      async (backend) => check(entry.name, bc.label, await overfit(entry, backend)),
    );
  }
}
