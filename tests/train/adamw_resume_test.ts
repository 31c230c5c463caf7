/**
 * AdamW under the Trainer: a run stopped at a checkpoint and resumed ends with the same weight hash as an
 * uninterrupted one (moments and per-parameter update counts restored), and the checkpoint holds both.
 */
import assert from "node:assert";
import { directoryStore } from "../../src/train/directory_store.ts";
import { loadCheckpoint } from "../../src/train/checkpoint.ts";
import type { TrainConfig } from "../../src/train/trainer.ts";
import { withTempDir as withDir } from "../_util/temp_files.ts";
import { tinyRun } from "./_tiny_run.ts";

const ADAMW: Partial<TrainConfig> = {
  optimizer: { kind: "adamw", beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.05 },
  schedule: { kind: "multistep", lr: 2e-3, warmupSteps: 2, milestones: [6], gamma: 0.1 },
};

Deno.test("AdamW resume: stopped at step 4 and resumed gives the uninterrupted run's weight hash", async () => {
  let uninterrupted = "";
  let sgd = "";
  await withDir(async (dir) =>
    void (uninterrupted = (await tinyRun(directoryStore(dir), { config: ADAMW })).weightHash)
  );
  await withDir(async (dir) => void (sgd = (await tinyRun(directoryStore(dir))).weightHash));
  assert.notStrictEqual(uninterrupted, sgd, "the AdamW run trains differently from the SGD run");
  await withDir(async (dir) => {
    const store = directoryStore(dir);
    await tinyRun(store, { config: { ...ADAMW, steps: 4 } });
    const { state, tensors } = await loadCheckpoint(store, "step-00000004");
    assert.deepStrictEqual(state.optimizer, ADAMW.optimizer);
    const steps = state.extra.adamwSteps as Record<string, number>;
    assert.ok(Object.keys(steps).length > 0 && Object.values(steps).every((n) => n === 4), JSON.stringify(steps));
    for (const path of Object.keys(steps)) {
      for (const moment of ["exp_avg", "exp_avg_sq"]) {
        assert.ok(tensors.has(`optimizer.${moment}.${path}`), `checkpoint lacks optimizer.${moment}.${path}`);
      }
    }
    const resumed = await tinyRun(store, { config: ADAMW });
    assert.strictEqual(resumed.resumedAt, 4);
    assert.strictEqual(resumed.weightHash, uninterrupted);
  });
});
