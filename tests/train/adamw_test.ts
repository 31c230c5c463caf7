import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import type { Backend } from "../../src/core/backend.ts";
import { tensor } from "../../src/ops/mod.ts";
import { Adamw } from "../../src/train/adamw.ts";
import { Sgd } from "../../src/train/optimizer.ts";
import { createOptimizer, optimizerSchema } from "../../src/train/optimizer_config.ts";
import { backendCases, backendTest } from "../_util/backends.ts";
import { relativeError } from "../_util/op_case.ts";

const golden = JSON.parse(await Deno.readTextFile(new URL("../../fixtures/golden/adamw.json", import.meta.url)));

/**
 * float32 storage against PyTorch's float64: |got − want| / max(1, max |want|) below 1e-5 (the error after five
 * steps is a few float32 roundings of each moment and parameter).
 */
const TOLERANCE = 1e-5;

/** Five AdamW steps against tools/golden_adamw.py; the 1-D bias is flagged for decay, but AdamW must not decay it. */
async function goldenSteps(backend: Backend): Promise<void> {
  const names = ["weight", "bias"] as const;
  const params = names.map((name) => ({
    path: name,
    tensor: tensor(backend, golden.initial[name], golden.shapes[name]),
    decay: true,
  }));
  const optimizer = new Adamw(params, { kind: "adamw", ...golden.hyper });
  const state = new Map(optimizer.stateTensors().map((s) => [s.path, s.tensor]));
  for (const [k, step] of golden.steps.entries()) {
    params.forEach((p, i) => p.tensor.grad = tensor(backend, step.grads[names[i]], golden.shapes[names[i]]));
    optimizer.step(step.lr);
    for (const name of names) {
      const want = step.after[name];
      const got = {
        param: params[names.indexOf(name)].tensor,
        expAvg: state.get(`optimizer.exp_avg.${name}`)!,
        expAvgSq: state.get(`optimizer.exp_avg_sq.${name}`)!,
      };
      for (const key of ["param", "expAvg", "expAvgSq"] as const) {
        const err = relativeError(await got[key].toArray(), want[key]);
        assert.ok(err < TOLERANCE, `step ${k + 1}, ${name} ${key}: differs from PyTorch by ${err}`);
      }
    }
    optimizer.zeroGrad();
  }
  optimizer.dispose();
}

Deno.test("Adamw: five steps match torch.optim.AdamW (no decay on the 1-D bias) on reference", () =>
  goldenSteps(new ReferenceBackend()));
for (const bc of backendCases()) {
  backendTest(bc, `Adamw: five steps match torch.optim.AdamW on ${bc.label}`, goldenSteps);
}

Deno.test("Adamw: a parameter without a gradient is skipped and keeps its update count; counts round-trip", () => {
  const backend = new ReferenceBackend();
  const a = { path: "a", tensor: tensor(backend, [1, 2], [2]), decay: false };
  const b = { path: "b", tensor: tensor(backend, [3], [1]), decay: false };
  const optimizer = new Adamw([a, b], { kind: "adamw" });
  a.tensor.grad = tensor(backend, [0.1, 0.2], [2]);
  optimizer.step(0.1);
  optimizer.step(0.1);
  assert.deepStrictEqual(optimizer.hostState(), { adamwSteps: { a: 2, b: 0 } });
  const restored = new Adamw([a, b], { kind: "adamw" });
  restored.loadHostState(optimizer.hostState());
  assert.deepStrictEqual(restored.hostState(), optimizer.hostState());
  assert.throws(() => restored.loadHostState({}), /adamwSteps/);
  assert.throws(() => restored.loadHostState({ adamwSteps: { a: 1 } }), /"b"/);
  for (const o of [optimizer, restored]) {
    o.zeroGrad();
    o.dispose();
  }
});

Deno.test("optimizer config: SGD stays the default and parses unchanged; AdamW is selected by kind", () => {
  const sgd = { momentum: 0.9, nesterov: false, weightDecay: 5e-4 };
  assert.deepStrictEqual(optimizerSchema.parse(sgd), sgd, "no kind key is added to an SGD config");
  assert.deepStrictEqual(optimizerSchema.parse({ kind: "adamw" }), {
    kind: "adamw",
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weightDecay: 0.05,
  });
  const bad = optimizerSchema.safeParse({ kind: "adam" });
  assert.ok(!bad.success && bad.error.issues[0].path.join(".") === "kind");
  assert.ok(!optimizerSchema.safeParse({ kind: "adamw", momentum: 0.9 }).success, "SGD fields are refused for AdamW");
  const backend = new ReferenceBackend();
  const params = [{ path: "w", tensor: tensor(backend, [1], [1]), decay: true }];
  const made = [createOptimizer(params, sgd), createOptimizer(params, { kind: "adamw" })];
  assert.ok(made[0] instanceof Sgd && made[1] instanceof Adamw);
  for (const o of made) o.dispose();
});
