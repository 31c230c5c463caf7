import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { adamwUpdate, tensor } from "../../src/ops/mod.ts";
import type { Backend } from "../../src/core/backend.ts";
import { Rng } from "../../src/core/rng.ts";
import { backendCases, backendTest } from "../_util/backends.ts";
import { relativeError } from "../_util/op_case.ts";

const HYPER = { lr: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
const P0 = [1, -2, 0.5, 0, 3];
const GRADS = [[0.3, 0.1, -0.4, 2, 1e-3], [-0.2, 0.1, 0.05, -1, 5e-4], [0.1, -0.3, 0.2, 0.5, -1e-3]];

/** Three steps of PyTorch AdamW (decoupled decay, bias correction) on one parameter, by hand in float64. */
function expected(weightDecay: number): { p: number[]; m: number[]; v: number[] } {
  const { lr, beta1, beta2, eps } = HYPER;
  const p = [...P0], m = P0.map(() => 0), v = P0.map(() => 0);
  GRADS.forEach((g, k) => {
    const t = k + 1;
    for (let i = 0; i < p.length; i++) {
      p[i] *= 1 - lr * weightDecay;
      m[i] = beta1 * m[i] + (1 - beta1) * g[i];
      v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
      const mHat = m[i] / (1 - beta1 ** t), vHat = v[i] / (1 - beta2 ** t);
      p[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
    }
  });
  return { p, m, v };
}

for (const weightDecay of [0, 0.05]) {
  const run = async (backend: Backend) => {
    const p = tensor(backend, P0, [5]);
    const m = tensor(backend, [0, 0, 0, 0, 0], [5]);
    const v = tensor(backend, [0, 0, 0, 0, 0], [5]);
    GRADS.forEach((g, k) => adamwUpdate(p, tensor(backend, g, [5]), m, v, { ...HYPER, weightDecay, step: k + 1 }));
    const want = expected(weightDecay);
    for (const [name, got, w] of [["param", p, want.p], ["exp_avg", m, want.m], ["exp_avg_sq", v, want.v]] as const) {
      const err = relativeError(await got.toArray(), w);
      assert.ok(err < 1e-6, `${name} ${await got.toArray()} vs ${w} (error ${err})`);
    }
  };
  const name = `weight decay ${weightDecay}`;
  Deno.test(`adamw_update: three steps (${name}) match PyTorch's formula on reference`, () =>
    run(new ReferenceBackend()));
  for (const bc of backendCases()) {
    backendTest(bc, `adamw_update: three steps (${name}) match PyTorch's formula on ${bc.label}`, run);
  }
}

Deno.test("adamw_update: rejects a step below 1 and mismatched shapes", () => {
  const backend = new ReferenceBackend();
  const p = tensor(backend, [1, 2], [2]);
  const g = tensor(backend, [1, 2], [2]);
  assert.throws(() => adamwUpdate(p, g, g, g, { ...HYPER, weightDecay: 0, step: 0 }), /step/);
  assert.throws(() => adamwUpdate(p, g, tensor(backend, [0], [1]), g, { ...HYPER, weightDecay: 0, step: 1 }), /expAvg/);
});

Deno.test("adamw_update: records the in-place writes of param and both moments (their versions), not of grad", () => {
  const backend = new ReferenceBackend();
  const [p, g, m, v] = [[1], [0.5], [0], [0]].map((values) => tensor(backend, values, [1]));
  adamwUpdate(p, g, m, v, { ...HYPER, weightDecay: 0, step: 1 });
  assert.deepStrictEqual([p, g, m, v].map((t) => t.version), [1, 0, 1, 1]);
});

/** Three AdamW steps on 4,099 random values (odd size: the kernels' chunk tails), read back: param, m, v. */
async function randomSteps(backend: Backend): Promise<number[][]> {
  const rng = new Rng(15, "adamw-parity");
  const n = 4099;
  const values = () => Array.from({ length: n }, () => rng.uniform(-1, 1));
  const p = tensor(backend, values(), [n]);
  const m = tensor(backend, new Array(n).fill(0), [n]);
  const v = tensor(backend, new Array(n).fill(0), [n]);
  for (let step = 1; step <= 3; step++) {
    adamwUpdate(p, tensor(backend, values(), [n]), m, v, { ...HYPER, weightDecay: 0.05, step });
  }
  return [await p.toArray(), await m.toArray(), await v.toArray()];
}

for (const bc of backendCases()) {
  const exact = bc.name === "wasm";
  backendTest(bc, `adamw_update: ${bc.label} ${exact ? "is bit-identical to" : "matches"} reference`, async (b) => {
    const want = await randomSteps(new ReferenceBackend());
    const got = await randomSteps(b);
    for (const k of [0, 1, 2]) {
      if (exact) assert.deepStrictEqual(got[k], want[k]);
      else assert.ok(relativeError(got[k], want[k]) <= bc.tolerance, `tensor ${k} off by more than ${bc.tolerance}`);
    }
  });
}
