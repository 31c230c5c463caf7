/**
 * The triplet head: batch-hard and semi-hard losses and gradients against the PyTorch loops of tools/golden_heads.py;
 * random-hard against a host re-statement that draws with the same seeded keys; the registry asks for the P×K
 * sampler and the bench gives it to triplet cells only; training separates identities; resume is bit-identical.
 */
import assert from "node:assert";
import { ReferenceBackend } from "../../../src/backends/reference/backend.ts";
import { Rng } from "../../../src/core/rng.ts";
import { scope } from "../../../src/core/scope.ts";
import { noGrad } from "../../../src/core/tape.ts";
import { directoryStore } from "../../../src/train/directory_store.ts";
import { randomKeys } from "../../../src/models/heads/triplet.ts";
import { heads } from "../../../src/models/mod.ts";
import { backward } from "../../../src/ops/backward.ts";
import { tensor } from "../../../src/ops/mod.ts";
import { withHeadSampler } from "../../../src/bench/training_plan.ts";
import { relativeError } from "../../_util/op_case.ts";
import { withTempDir } from "../../_util/temp_files.ts";
import { tinyRun } from "../../train/_tiny_run.ts";
import { trainEmbedding } from "./_embedding_problem.ts";

const golden = JSON.parse(await Deno.readTextFile(new URL("../../../fixtures/golden/heads.json", import.meta.url)));
const { labels: LABELS, embeddings: X, cases } = golden.triplet as {
  labels: number[];
  embeddings: number[];
  cases: { options: Record<string, unknown>; loss: number; gradEmbeddings: number[] }[];
};
const D = golden.shapes.d as number;
const N = LABELS.length;
const f64 = new ReferenceBackend({ precision: "f64" });

/** The loss and embedding gradient of the triplet head on the golden batch. */
async function lossAndGrad(backend: ReferenceBackend, options: Record<string, unknown>, iteration = 0) {
  const head = heads.get("triplet").create({ embeddingSize: D, numClasses: 4, ...options }, {
    backend,
    rng: new Rng(1, "init"),
  });
  head.step(iteration);
  const x = tensor(backend, X, [N, D]);
  x.requiresGrad = true;
  const labels = tensor(backend, LABELS, [N], "i32");
  const loss = scope(() => {
    const out = head.forward(x, labels);
    backward(out.extraLoss!);
    return out.extraLoss!;
  });
  const result = { loss: await loss.item(), grad: Float64Array.from(await x.grad!.read()) };
  for (const t of [x, x.grad!, labels, loss]) t.dispose();
  return result;
}

for (const backend of [f64, new ReferenceBackend()]) {
  const tolerance = backend === f64 ? 1e-9 : 1e-4;
  for (const c of cases) {
    Deno.test(`triplet ${JSON.stringify(c.options)}: matches PyTorch (reference ${backend === f64 ? "f64" : "f32"})`, async () => {
      const { loss, grad } = await lossAndGrad(backend, c.options);
      assert.ok(relativeError([loss], [c.loss]) < tolerance, `loss ${loss} vs ${c.loss}`);
      const err = relativeError(grad, c.gradEmbeddings);
      assert.ok(err < tolerance, `embedding gradient off by ${err}`);
    });
  }
}

/** Random-hard mining restated on the host: per anchor-positive pair, the candidate with the largest key. */
function randomHardOnHost(margin: number, seed: number, iteration: number): number {
  const e = LABELS.map((_, i) => {
    const row = X.slice(i * D, (i + 1) * D);
    const norm = Math.hypot(...row);
    return row.map((v) => v / norm);
  });
  const d2 = (a: number, b: number) => e[a].reduce((acc, v, k) => acc + (v - e[b][k]) ** 2, 0);
  const keys = randomKeys(seed, iteration, N);
  let sum = 0, count = 0;
  for (let a = 0; a < N; a++) {
    for (let p = 0; p < N; p++) {
      if (p === a || LABELS[p] !== LABELS[a]) continue;
      let best = -1, chosen = -1;
      for (let n = 0; n < N; n++) {
        const loss = d2(a, p) - d2(a, n) + margin;
        if (LABELS[n] !== LABELS[a] && loss > 0 && keys[(a * N + p) * N + n] > best) {
          [best, chosen] = [keys[(a * N + p) * N + n], n];
        }
      }
      if (chosen >= 0) [sum, count] = [sum + d2(a, p) - d2(a, chosen) + margin, count + 1];
    }
  }
  return count > 0 ? sum / count : 0;
}

Deno.test("triplet random_hard: the seeded draw matches the host re-statement, per iteration", async () => {
  const values = new Set<number>();
  for (const iteration of [0, 1, 2, 3]) {
    const { loss } = await lossAndGrad(f64, { mining: "random_hard", margin: 1, seed: 4 }, iteration);
    const want = randomHardOnHost(1, 4, iteration);
    assert.ok(Math.abs(loss - want) < 1e-12, `iteration ${iteration}: ${loss} vs ${want}`);
    values.add(loss);
  }
  assert.ok(values.size > 1, "different iterations draw different negatives");
  const again = await lossAndGrad(f64, { mining: "random_hard", margin: 1, seed: 4 }, 2);
  assert.strictEqual(again.loss, randomHardOnHost(1, 4, 2));
});

Deno.test("triplet: a batch without any triplet gives loss 0", async () => {
  const head = heads.get("triplet").create({ embeddingSize: D, numClasses: 4, mining: "batch_hard" }, {
    backend: f64,
    rng: new Rng(1, "init"),
  });
  const x = tensor(f64, X.slice(0, 3 * D), [3, D]);
  const out = noGrad(() => head.forward(x, tensor(f64, [0, 1, 2], [3], "i32")));
  assert.strictEqual(await out.extraLoss!.item(), 0);
});

Deno.test("triplet: the registry asks for the P×K sampler, and only triplet cells get it", () => {
  assert.strictEqual(heads.get("triplet").sampler, "pk");
  assert.strictEqual(heads.get("arcface").sampler, undefined);
  const preset = {
    data: { augment: "evo", sampler: "shuffle", imagesPerIdentity: 4, numMin: 0, labelNoise: null },
  } as const;
  assert.strictEqual(withHeadSampler(preset, "triplet").data.sampler, "pk");
  assert.strictEqual(withHeadSampler(preset, "arcface"), preset);
});

for (const mining of ["semi_hard", "batch_hard", "random_hard"]) {
  Deno.test(`triplet ${mining}: training lowers the loss and pulls identities apart on a tiny problem`, async () => {
    const run = await trainEmbedding("triplet", { mining, margin: 0.5 }, 40, 0.1);
    const [first, last] = [run.losses[0], run.losses.at(-1)!];
    assert.ok(last < 0.5 * first, `loss ${first} → ${last}`);
    assert.ok(run.spreadAfter < 0.6 * run.spreadBefore, `intra/inter spread ${run.spreadBefore} → ${run.spreadAfter}`);
  });
}

Deno.test("triplet random_hard: resuming from a checkpoint ends with the uninterrupted run's weight hash", async () => {
  const head = { name: "triplet", options: { mining: "random_hard", margin: 0.5 } };
  const straight = await withTempDir((dir) => tinyRun(directoryStore(dir), { head }));
  await withTempDir(async (dir) => {
    await tinyRun(directoryStore(dir), { head, config: { steps: 6 } });
    const resumed = await tinyRun(directoryStore(dir), { head });
    assert.strictEqual(resumed.resumedAt, 6);
    assert.strictEqual(resumed.weightHash, straight.weightHash);
  });
});
