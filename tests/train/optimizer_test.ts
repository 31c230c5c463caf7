import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { scope } from "../../src/core/scope.ts";
import { backward } from "../../src/ops/backward.ts";
import { liveTensorCount } from "../../src/core/tensor.ts";
import { mul, reduceSum, tensor } from "../../src/ops/mod.ts";
import { Sgd } from "../../src/train/optimizer.ts";

const backend = new ReferenceBackend();

function param(values: number[]) {
  const t = tensor(backend, values, [values.length]);
  t.requiresGrad = true;
  return t;
}

/** PyTorch SGD in float64 on loss = sum(c · p): gradient c. */
function torchSgd(p: number[], c: number[], steps: number, lr: number, wd: number, nesterov: boolean) {
  const v = p.map(() => 0);
  for (let s = 0; s < steps; s++) {
    for (let i = 0; i < p.length; i++) {
      const g = c[i] + wd * p[i];
      v[i] = 0.9 * v[i] + g;
      p[i] -= lr * (nesterov ? g + 0.9 * v[i] : v[i]);
    }
  }
  return p;
}

for (const nesterov of [false, true]) {
  Deno.test(`Sgd: matches PyTorch over 3 steps, decay only where flagged (nesterov=${nesterov})`, async () => {
    const w = param([1, -2]), b = param([0.5]);
    const c = tensor(backend, [0.3, -0.7], [2]);
    const opt = new Sgd([{ path: "w", tensor: w, decay: true }, { path: "b", tensor: b, decay: false }], { nesterov });
    const counts: number[] = [];
    for (let s = 0; s < 3; s++) {
      scope(() => {
        opt.zeroGrad();
        backward(reduceSum(mul(w, c)));
        backward(reduceSum(mul(b, b)));
        opt.step(0.1);
      });
      counts.push(liveTensorCount());
    }
    assert.deepStrictEqual(counts, [counts[0], counts[0], counts[0]], "grads replaced, intermediates freed");
    const wantW = torchSgd([1, -2], [0.3, -0.7], 3, 0.1, 5e-4, nesterov);
    const gotW = await w.toArray();
    assert.ok(gotW.every((x, i) => Math.abs(x - wantW[i]) < 1e-6), `w ${gotW} vs ${wantW}`);
    // b: loss b² (gradient 2b), no weight decay
    let bv = 0.5, vel = 0;
    for (let s = 0; s < 3; s++) {
      const g = 2 * bv;
      vel = 0.9 * vel + g;
      bv -= 0.1 * (nesterov ? g + 0.9 * vel : vel);
    }
    assert.ok(Math.abs((await b.item()) - bv) < 1e-6, `b ${await b.item()} vs ${bv}`);
    opt.zeroGrad();
    opt.dispose();
  });
}

Deno.test("Sgd: parameters without a gradient are left alone", async () => {
  const w = param([1, 2]);
  const opt = new Sgd([{ path: "w", tensor: w, decay: true }]);
  opt.step(0.1);
  assert.deepStrictEqual(await w.toArray(), [1, 2]);
  opt.dispose();
});

Deno.test("Sgd: state round trip continues bit-identically", async () => {
  const run = async (split: boolean) => {
    const w = param([1, -2, 3]);
    const c = tensor(backend, [0.25, 0.5, -1], [3]);
    let opt = new Sgd([{ path: "w", tensor: w, decay: true }], { nesterov: true });
    for (let s = 0; s < 4; s++) {
      if (split && s === 2) {
        const state = await opt.state();
        opt.dispose();
        opt = new Sgd([{ path: "w", tensor: w, decay: true }], state.options);
        opt.loadState(state);
      }
      scope(() => {
        opt.zeroGrad();
        backward(reduceSum(mul(w, c)));
        opt.step(0.05);
      });
    }
    opt.zeroGrad();
    opt.dispose();
    return w.toArray();
  };
  assert.deepStrictEqual(await run(true), await run(false));
});

Deno.test("Sgd: duplicate paths and bad state are clear errors", () => {
  const w = param([1]);
  assert.throws(
    () => new Sgd([{ path: "w", tensor: w, decay: true }, { path: "w", tensor: w, decay: true }]),
    /duplicate parameter path "w"/,
  );
  const opt = new Sgd([{ path: "w", tensor: w, decay: true }]);
  assert.throws(() => opt.loadState({ options: opt.options, velocities: new Map() }), /no velocity for parameter "w"/);
  assert.throws(
    () => opt.loadState({ options: opt.options, velocities: new Map([["w", new Float32Array(2)]]) }),
    /velocity of "w" has 2 values, parameter \[1\] needs 1/,
  );
  assert.throws(() => new Sgd([], { momentum: 1 }), /momentum/);
  opt.dispose();
});

Deno.test("Sgd: stateTensors names velocities after their parameters", () => {
  const opt = new Sgd([{ path: "head.weight", tensor: param([1, 2]), decay: true }]);
  assert.deepStrictEqual(opt.stateTensors().map((s) => [s.path, s.tensor.shape]), [["optimizer.velocity.head.weight", [
    2,
  ]]]);
  opt.dispose();
});
