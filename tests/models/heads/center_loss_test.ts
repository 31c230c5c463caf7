/**
 * The center-loss head: its centres follow the paper's update over 3 training steps as tools/golden_heads.py computes
 * it (and stay put in evaluation mode); "update" keeps them a buffer (checkpointed, hashed, not trained by SGD),
 * "learned" a parameter; a run resumed from a checkpoint ends bit-identical; and on a tiny problem the centre term
 * makes identities tighter than softmax alone.
 */
import assert from "node:assert";
import { ReferenceBackend } from "../../../src/backends/reference/backend.ts";
import { Rng } from "../../../src/core/rng.ts";
import { noGrad } from "../../../src/core/tape.ts";
import type { Tensor } from "../../../src/core/tensor.ts";
import { heads } from "../../../src/models/mod.ts";
import { tensor } from "../../../src/ops/mod.ts";
import { relativeError } from "../../_util/op_case.ts";
import { trainEmbedding } from "./_embedding_problem.ts";

const golden = JSON.parse(await Deno.readTextFile(new URL("../../../fixtures/golden/heads.json", import.meta.url)));
const { n: N, d: D, c: C } = golden.shapes as { n: number; d: number; c: number };
const f64 = new ReferenceBackend({ precision: "f64" });

function makeHead(options: Record<string, unknown>) {
  return heads.get("center_loss").create({ embeddingSize: D, numClasses: C, ...options }, {
    backend: f64,
    rng: new Rng(1, "init"),
  });
}

Deno.test("center_loss: centres follow the paper's update over 3 steps (PyTorch golden), none in eval mode", async () => {
  const { options, centers, steps } = golden.centerSteps;
  const head = makeHead(options);
  head.load(new Map<string, Tensor>([["centers", tensor(f64, centers, [C, D])]]), { strict: false });
  for (
    const [k, step] of (steps as { embeddings: number[]; labels: number[]; extraLoss: number; centers: number[] }[])
      .entries()
  ) {
    const x = tensor(f64, step.embeddings, [N, D]);
    const labels = tensor(f64, step.labels, [N], "i32");
    head.train(false);
    const before = await head.state().get("centers")!.read();
    noGrad(() => head.forward(x, labels));
    assert.deepStrictEqual(await head.state().get("centers")!.read(), before, "evaluation mode leaves the centres");
    head.train(true);
    const out = noGrad(() => head.forward(x, labels));
    assert.ok(Math.abs((await out.extraLoss!.item()) - step.extraLoss) < 1e-12 * step.extraLoss, `step ${k}: loss`);
    const err = relativeError(await head.state().get("centers")!.read(), step.centers);
    assert.ok(err < 1e-12, `step ${k}: centres off by ${err}`);
  }
  head.dispose();
});

Deno.test("center_loss: 'update' centres are a buffer (in state, not trained); 'learned' ones a parameter", () => {
  const update = makeHead({});
  assert.deepStrictEqual([...update.state().keys()].sort(), ["bias", "centers", "weight"]);
  assert.deepStrictEqual(update.parameters().map((p) => p.path).sort(), ["bias", "weight"]);
  const learned = makeHead({ centers: "learned" });
  const centers = learned.parameters().find((p) => p.path === "centers");
  assert.ok(centers && !centers.decay, "learned centres: a parameter without weight decay");
  for (const h of [update, learned]) h.dispose();
});

Deno.test("center_loss: training lowers the loss and draws identities tighter than softmax alone", async () => {
  const plain = await trainEmbedding("center_loss", { lambda: 0 }, 60, 0.05);
  for (const centers of ["update", "learned"]) {
    const run = await trainEmbedding("center_loss", { lambda: 0.5, centers }, 60, 0.05);
    assert.ok(run.losses.at(-1)! < 0.2 * run.losses[0], `${centers}: loss ${run.losses[0]} → ${run.losses.at(-1)}`);
    assert.ok(
      run.spreadAfter < 0.7 * plain.spreadAfter,
      `${centers}: intra/inter spread ${run.spreadAfter} vs ${plain.spreadAfter} with softmax alone`,
    );
  }
});
