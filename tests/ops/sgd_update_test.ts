import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { sgdUpdate, tensor } from "../../src/ops/mod.ts";
import type { Backend } from "../../src/core/backend.ts";
import { backendCases, backendTest } from "../_util/backends.ts";
import { relativeError } from "../_util/op_case.ts";

/** Two steps of PyTorch SGD on one parameter, computed by hand in float64. */
function expected(nesterov: boolean): { p: number[]; v: number[] } {
  const lr = 0.1, m = 0.9, wd = 0.01;
  const p = [1, -2, 0.5], g = [0.3, 0.1, -0.4], v = [0, 0, 0];
  for (let step = 0; step < 2; step++) {
    for (let i = 0; i < 3; i++) {
      const d = g[i] + wd * p[i];
      v[i] = m * v[i] + d;
      p[i] -= lr * (nesterov ? d + m * v[i] : v[i]);
    }
  }
  return { p, v };
}

for (const nesterov of [false, true]) {
  const name = nesterov ? "Nesterov" : "heavy ball";
  const run = async (backend: Backend) => {
    const p = tensor(backend, [1, -2, 0.5], [3]);
    const g = tensor(backend, [0.3, 0.1, -0.4], [3]);
    const v = tensor(backend, [0, 0, 0], [3]);
    for (let step = 0; step < 2; step++) sgdUpdate(p, g, v, { lr: 0.1, momentum: 0.9, nesterov, weightDecay: 0.01 });
    const want = expected(nesterov);
    assert.ok(relativeError(await p.toArray(), want.p) < 1e-6, `param ${await p.toArray()} vs ${want.p}`);
    assert.ok(relativeError(await v.toArray(), want.v) < 1e-6, `velocity ${await v.toArray()} vs ${want.v}`);
  };
  Deno.test(`sgd_update: ${name} step matches PyTorch's formula on reference`, () => run(new ReferenceBackend()));
  for (const bc of backendCases()) {
    backendTest(bc, `sgd_update: ${name} step matches PyTorch's formula on ${bc.label}`, run);
  }
}

Deno.test("sgd_update: records the in-place writes of param and velocity (their versions), not of grad", () => {
  const backend = new ReferenceBackend();
  const [p, g, v] = [tensor(backend, [1], [1]), tensor(backend, [0.5], [1]), tensor(backend, [0], [1])];
  sgdUpdate(p, g, v, { lr: 0.1, momentum: 0.9, nesterov: false, weightDecay: 0 });
  assert.deepStrictEqual([p.version, g.version, v.version], [1, 0, 1]);
});
