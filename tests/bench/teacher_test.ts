/**
 * Teachers from checkpoint files (src/bench/teacher.ts): a tiny run's checkpoint gives a teacher whose weight hash
 * is the run's own and whose embeddings (evaluation mode) equal those of the model restored by the checkpoint
 * loader; a head with another class count and a file without backbone tensors are refused with readable errors.
 */
import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { buildTeacher, teacherFromCheckpoint } from "../../src/bench/teacher.ts";
import { directoryStore } from "../../src/train/directory_store.ts";
import { Rng } from "../../src/core/rng.ts";
import { noGrad } from "../../src/core/tape.ts";
import { backbones } from "../../src/models/mod.ts";
import { tensor } from "../../src/ops/mod.ts";
import { loadCheckpoint, restoreTensors } from "../../src/train/checkpoint.ts";
import { encodeSafetensors } from "../../src/train/safetensors.ts";
import { tinyRun } from "../train/_tiny_run.ts";

const backend = new ReferenceBackend();
const preset = { backboneOptions: { mobilefacenet_tiny: { inputSize: 32, embeddingSize: 32 } }, headOptions: {} };

Deno.test("teacher: from a checkpoint, the run's weight hash and the checkpoint model's embeddings", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const run = await tinyRun(directoryStore(dir), { backend, config: { steps: 4 } });
    const checkpoint = `${dir}/step-00000004.safetensors`;
    const weights = await teacherFromCheckpoint({ checkpoint, backbone: "mobilefacenet_tiny", head: "arcface" });
    assert.deepStrictEqual(
      { ...weights.info, weightHash: weights.info.weightHash === run.weightHash },
      { backbone: "mobilefacenet_tiny", head: "arcface", checkpoint, steps: 4, weightHash: true },
    );
    const teacher = buildTeacher(backend, preset, weights, 4);
    // the same model restored by the trainer's checkpoint loader
    const loaded = await loadCheckpoint(directoryStore(dir), "step-00000004");
    const ctx = { backend, rng: new Rng(5, "init"), dropoutRng: new Rng(5, "dropout") };
    const direct = backbones.get("mobilefacenet_tiny").create({ inputSize: 32, embeddingSize: 32 }, ctx);
    restoreTensors(
      [...direct.state()].map(([path, t]) => ({ path: `backbone.${path}`, tensor: t })),
      loaded.tensors,
      "step-00000004",
    );
    direct.train(false);
    const rng = new Rng(3, "faces");
    const x = tensor(backend, Float32Array.from({ length: 6 * 32 * 32 * 3 }, () => rng.uniform(-1, 1)), [6, 32, 32, 3]);
    const [a, b] = noGrad(() => [teacher.backbone.forward(x), direct.forward(x)]);
    assert.ok(!teacher.backbone.training, "the teacher is built in evaluation mode");
    assert.deepStrictEqual(await a.read(), await b.read());
    const embeddingsOnly = await teacherFromCheckpoint({ checkpoint, backbone: "mobilefacenet_tiny", head: null });
    assert.ok([...embeddingsOnly.tensors.keys()].every((k) => k.startsWith("backbone.")));
    assert.strictEqual(buildTeacher(backend, preset, embeddingsOnly, 7).head, null, "no head, any class count");
    assert.throws(
      () => buildTeacher(backend, preset, weights, 7),
      /has 4 classes, the training set 7; soft targets need a teacher trained on the same identities/,
    );
    const other = `${dir}/other.safetensors`;
    await Deno.writeFile(other, encodeSafetensors([{ name: "w", shape: [1], data: new Float32Array(1) }]));
    await assert.rejects(
      teacherFromCheckpoint({ checkpoint: other, backbone: "mobilefacenet_tiny", head: null }),
      /holds no backbone\.\* tensors/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
