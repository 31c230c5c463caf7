/**
 * Distillation in the trainer (src/train/distill.ts): a tiny run with a fixed teacher (every distillation term)
 * ends with another weight hash than the same run without it, is reproducible, and killed and resumed from its
 * checkpoint ends bit-identical, but refuses to resume against another teacher or other terms; the teacher is frozen
 * (no gradient, weights unchanged, evaluation mode) and is not part of the student's weight hash.
 */
import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { directoryStore } from "../../src/train/directory_store.ts";
import { Rng } from "../../src/core/rng.ts";
import { distillationSchema } from "../../src/losses/mod.ts";
import { backbones, heads } from "../../src/models/mod.ts";
import { distillationTerm, type Teacher } from "../../src/train/distill.ts";
import { hashTensors } from "../../src/train/weight_hash.ts";
import { withTempDir } from "../_util/temp_files.ts";
import { tinyRun } from "./_tiny_run.ts";

const backend = new ReferenceBackend();

const teacherEntries = (t: Pick<Teacher, "backbone" | "head">) =>
  [...t.backbone.state(), ...t.head!.state()].map(([path, tensor]) => ({ path, tensor }));

/** A fixed teacher for the tiny run's 32×32 faces and 4 classes (its own initialisation, seed 99 unless given). */
async function tinyTeacher(seed = 99): Promise<Teacher> {
  const ctx = { backend, rng: new Rng(seed, "init"), dropoutRng: new Rng(seed, "dropout") };
  const modules = {
    backbone: backbones.get("mobilefacenet_tiny").create({ inputSize: 32, embeddingSize: 32 }, ctx),
    head: heads.get("cosface").create({ embeddingSize: 32, numClasses: 4 }, ctx),
  };
  return { ...modules, weightHash: await hashTensors(teacherEntries(modules)) };
}

const TERMS = distillationSchema.parse({ softTargets: {}, embedding: { metric: "l2" }, relational: { weight: 2 } });

Deno.test("distill: a distilled tiny run differs from plain training, repeats, and resumes bit-identically", async () => {
  const plain = await withTempDir((dir) => tinyRun(directoryStore(dir), { backend }));
  const teacher = await tinyTeacher();
  const before = await hashTensors(teacherEntries(teacher));
  const distilled = await withTempDir((dir) =>
    tinyRun(directoryStore(dir), { backend, auxiliaryLoss: distillationTerm(teacher, TERMS) })
  );
  assert.notStrictEqual(distilled.weightHash, plain.weightHash, "the teacher changes training");
  assert.strictEqual(await hashTensors(teacherEntries(teacher)), before, "the teacher's weights are frozen");
  assert.ok(!teacher.backbone.training && !teacher.head!.training, "the teacher runs in evaluation mode");
  assert.ok(teacher.backbone.parameters().every((p) => p.tensor.grad === null || p.tensor.grad === undefined));
  const again = await withTempDir(async (dir) =>
    tinyRun(directoryStore(dir), { backend, auxiliaryLoss: distillationTerm(await tinyTeacher(), TERMS) })
  );
  assert.strictEqual(again.weightHash, distilled.weightHash, "two distilled runs, one hash");
  const resumed = await withTempDir(async (dir) => {
    const first = await tinyRun(directoryStore(dir), {
      config: { steps: 6 },
      backend,
      auxiliaryLoss: distillationTerm(await tinyTeacher(), TERMS),
    });
    assert.strictEqual(first.resumedAt, null);
    return tinyRun(directoryStore(dir), { backend, auxiliaryLoss: distillationTerm(await tinyTeacher(), TERMS) });
  });
  assert.strictEqual(resumed.resumedAt, 6);
  assert.strictEqual(resumed.weightHash, distilled.weightHash, "killed at 6 and resumed: the same final hash");
});

Deno.test("distill: a checkpoint of a distilled run resumes only with the same teacher and terms", async () => {
  await withTempDir(async (dir) => {
    await tinyRun(directoryStore(dir), {
      config: { steps: 3 },
      backend,
      auxiliaryLoss: distillationTerm(await tinyTeacher(), TERMS),
    });
    const otherTeacher = distillationTerm(await tinyTeacher(7), TERMS);
    await assert.rejects(
      () => tinyRun(directoryStore(dir), { backend, auxiliaryLoss: otherTeacher }),
      /differs from the checkpoint's \(auxiliary\.teacherWeightHash:/,
    );
    const otherTerms = distillationTerm(await tinyTeacher(), distillationSchema.parse({ embedding: {} }));
    await assert.rejects(
      () => tinyRun(directoryStore(dir), { backend, auxiliaryLoss: otherTerms }),
      /auxiliary\.distillation/,
    );
    await assert.rejects(() => tinyRun(directoryStore(dir), { backend }), /auxiliary/, "nor without distillation");
  });
});

Deno.test("distill: soft targets need the teacher's head", async () => {
  const teacher = { ...(await tinyTeacher()), head: null };
  assert.throws(() => distillationTerm(teacher, TERMS), /softTargets: the teacher has no head/);
  distillationTerm(teacher, distillationSchema.parse({ embedding: {} }));
});
