/**
 * The training pieces compose into a bit-identical resume: SGD + schedule + clipping + seeded data, with a
 * checkpoint written through the directory store mid-run and a fresh process state rebuilt from it, ends with the
 * same weight hash as the uninterrupted run. (The Trainer's own kill -9 test builds on this.)
 */
import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { directoryStore } from "../../src/train/directory_store.ts";
import { Rng } from "../../src/core/rng.ts";
import { keep, scope } from "../../src/core/scope.ts";
import { backward } from "../../src/ops/backward.ts";
import { linear, mul, reduceMean, sub, tensor, zeros } from "../../src/ops/mod.ts";
import { loadCheckpoint, restoreTensors, saveCheckpoint } from "../../src/train/checkpoint.ts";
import { clipGradNorm } from "../../src/train/grad_clip.ts";
import { Sgd } from "../../src/train/optimizer.ts";
import { learningRate, scheduleSchema } from "../../src/train/schedule.ts";
import { hashTensors, readTensors } from "../../src/train/weight_hash.ts";

const backend = new ReferenceBackend();
const schedule = scheduleSchema.parse({ kind: "cosine", lr: 0.1, warmupSteps: 3, totalSteps: 12 });
const TRUE_W = [0.5, -1, 2, 1.5, 0, -0.5];

function newRun() {
  const w = keep(zeros(backend, [2, 3]));
  w.requiresGrad = true;
  const params = [{ path: "fc.weight", tensor: w, decay: true }];
  return { w, params, sgd: new Sgd(params, { nesterov: true }), rng: new Rng(7, "data") };
}

function step(run: ReturnType<typeof newRun>, s: number): void {
  const x = Array.from({ length: 8 * 3 }, () => run.rng.normal());
  const y = Array.from({ length: 8 * 2 }, (_, k) => {
    const [n, o] = [Math.floor(k / 2), k % 2];
    return x[3 * n] * TRUE_W[3 * o] + x[3 * n + 1] * TRUE_W[3 * o + 1] + x[3 * n + 2] * TRUE_W[3 * o + 2];
  });
  scope(() => {
    run.sgd.zeroGrad();
    const diff = sub(linear(tensor(backend, x, [8, 3]), run.w), tensor(backend, y, [8, 2]));
    backward(reduceMean(mul(diff, diff)));
    clipGradNorm(run.params, 1);
    run.sgd.step(learningRate(schedule, s));
  });
}

const named = (run: ReturnType<typeof newRun>) => [...run.params, ...run.sgd.stateTensors()];

Deno.test("resume from a checkpoint mid-run gives the same final weight hash as an uninterrupted run", async () => {
  const straight = newRun();
  for (let s = 0; s < 12; s++) step(straight, s);
  const expected = await hashTensors(straight.params);

  const dir = await Deno.makeTempDir();
  try {
    const store = directoryStore(dir);
    const first = newRun();
    for (let s = 0; s < 5; s++) step(first, s);
    await saveCheckpoint(store, "step-5", {
      step: 5,
      schedule,
      optimizer: first.sgd.options,
      rng: [first.rng.state()],
      sampler: null,
    }, await readTensors(named(first)));
    step(first, 5); // work after the checkpoint is lost, as after kill -9

    const { state, tensors } = await loadCheckpoint(store, "step-5");
    const resumed = newRun();
    restoreTensors(named(resumed), tensors, "step-5.safetensors");
    resumed.rng = Rng.fromState(state.rng[0]);
    for (let s = state.step; s < 12; s++) step(resumed, s);
    assert.strictEqual(await hashTensors(resumed.params), expected);
    assert.notStrictEqual(await hashTensors(first.params), expected, "the lost step changed the interrupted run");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  const w = await straight.w.toArray();
  assert.ok(w.every((v, i) => Math.abs(v - TRUE_W[i]) < 0.5), `12 steps move w towards the truth: ${w}`);
});
