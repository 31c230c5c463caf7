import assert from "node:assert";
import { learningRate, scheduleSchema } from "../../src/train/schedule.ts";

const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

Deno.test("learningRate: linear warm-up (s+1)/W, then multi-step decay at the milestones", () => {
  const s = scheduleSchema.parse({ kind: "multistep", lr: 0.1, warmupSteps: 4, milestones: [10, 20] });
  near(learningRate(s, 0), 0.025);
  near(learningRate(s, 3), 0.1);
  near(learningRate(s, 4), 0.1);
  near(learningRate(s, 9), 0.1);
  near(learningRate(s, 10), 0.01);
  near(learningRate(s, 19), 0.01);
  near(learningRate(s, 20), 0.001);
});

Deno.test("learningRate: cosine from lr to minLr over the steps after warm-up", () => {
  const s = scheduleSchema.parse({ kind: "cosine", lr: 1, minLr: 0.1, warmupSteps: 2, totalSteps: 12 });
  near(learningRate(s, 0), 0.5);
  near(learningRate(s, 2), 1);
  near(learningRate(s, 7), 0.55); // halfway: 0.1 + 0.9 · 0.5
  near(learningRate(s, 12), 0.1);
  near(learningRate(s, 50), 0.1);
});

Deno.test("scheduleSchema: defaults and readable errors", () => {
  assert.deepStrictEqual(scheduleSchema.parse({ kind: "multistep", lr: 0.1 }), {
    kind: "multistep",
    lr: 0.1,
    warmupSteps: 0,
    milestones: [],
    gamma: 0.1,
  });
  const bad = scheduleSchema.safeParse({ kind: "cosine", lr: -1, totalSteps: 5 });
  assert.ok(!bad.success && bad.error.issues[0].path.join(".") === "lr");
  assert.throws(() => learningRate(scheduleSchema.parse({ kind: "multistep", lr: 1 }), -1), /step must be/);
});
