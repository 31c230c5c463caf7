/**
 * Pre-training checkpoints (`PretrainContext.storeFor`): pre-training stopped by a crash part-way resumes from its
 * newest quarter-epoch checkpoint and ends with the same weight hash as an uninterrupted run; once finished, a
 * re-run reads the weights from the last checkpoint and trains nothing.
 */
import assert from "node:assert";
import { createBackend } from "../../src/backends/registry.ts";
import { loadBenchDataset } from "../../src/bench/datasets.ts";
import { loadPreset, parsePreset } from "../../src/bench/presets.ts";
import { pretrainBackbone, type PretrainContext } from "../../src/bench/pretrain.ts";
import { directoryStore } from "../../src/train/directory_store.ts";
import { withTempDir } from "../_util/temp_files.ts";

Deno.test({
  name: "pretrain resume: a crash after step 8 resumes from step 5 (quarter epochs of 18) to the same weights",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const gate = await loadPreset("ci-gate");
    const schedule = { kind: "multistep", lr: 0.1, warmupEpochs: 0.25, milestones: [], gamma: 0.1 };
    const preset = parsePreset({
      ...gate,
      pretrain: { dataset: "synthface-ci", head: "softmax", epochs: 1, batchSize: 64, schedule },
      stages: ["scratch", "pretrained"],
    }, "pretrain resume test");
    const dataset = await loadBenchDataset("synthface-ci");
    await using backend = await createBackend("wasm", { threads: 1 });
    const context: PretrainContext = { preset, dataset, backend };
    const uninterrupted = await pretrainBackbone(context, "mobilefacenet_tiny", 1337);
    assert.strictEqual(uninterrupted.steps, 18);
    await withTempDir(async (dir) => {
      const storeFor = () => directoryStore(dir);
      const crash = new Error("simulated crash at step 8");
      await assert.rejects(
        pretrainBackbone(
          {
            ...context,
            storeFor,
            onStep: (_, __, step) => {
              if (step === 8) throw crash;
            },
          },
          "mobilefacenet_tiny",
          1337,
        ),
        (error) => error === crash,
      );
      const steps: number[] = [];
      const resumed = await pretrainBackbone(
        { ...context, storeFor, onStep: (_, __, step) => steps.push(step) },
        "mobilefacenet_tiny",
        1337,
      );
      assert.strictEqual(steps[0], 6, `the resumed run starts after the step-5 checkpoint, not at ${steps[0]}`);
      assert.strictEqual(resumed.weightHash, uninterrupted.weightHash);
      assert.deepStrictEqual(resumed.lossCurve, uninterrupted.lossCurve);
      const again: number[] = [];
      const reread = await pretrainBackbone(
        { ...context, storeFor, onStep: (_, __, step) => again.push(step) },
        "mobilefacenet_tiny",
        1337,
      );
      assert.deepStrictEqual(again, [], "a finished pre-training trains nothing");
      assert.strictEqual(reread.weightHash, uninterrupted.weightHash);
    });
  },
});
