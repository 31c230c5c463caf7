/**
 * Module: parameter paths and weight-decay flags, frozen parameters, buffers, train/eval propagation,
 * state/load round trip and its errors.
 */
import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { Rng } from "../../src/core/rng.ts";
import { scope } from "../../src/core/scope.ts";
import { tensor } from "../../src/ops/mod.ts";
import { BatchNorm, Conv2d, Dropout, Linear, type ModuleContext, PReLU, Sequential } from "../../src/nn/mod.ts";

const backend = new ReferenceBackend();
const ctx = (): ModuleContext => ({ backend, rng: new Rng(4, "init") });

function net(c: ModuleContext = ctx()): Sequential {
  return new Sequential([
    new Conv2d(c, { inChannels: 2, outChannels: 3, kernel: 3, padding: 1, bias: true }),
    new BatchNorm(c, { channels: 3 }),
    new PReLU(c, 3),
    new Sequential([new Dropout(0.5, new Rng(4, "dropout")), new Linear(c, { inFeatures: 3, outFeatures: 2 })]),
  ]);
}

Deno.test("module: parameters by path with decay flags, buffers, counts", () => {
  const m = net();
  assert.deepStrictEqual(
    m.parameters().map((p) => [p.path, p.decay, p.tensor.requiresGrad, p.tensor.kept]),
    [
      ["0.weight", true, true, true],
      ["0.bias", false, true, true],
      ["1.weight", false, true, true],
      ["1.bias", false, true, true],
      ["2.weight", false, true, true],
      ["3.1.weight", true, true, true],
      ["3.1.bias", false, true, true],
    ],
  );
  assert.deepStrictEqual(m.buffers().map((b) => b.path), ["1.running_mean", "1.running_var"]);
  assert.strictEqual(m.parameterCount(), 3 * 3 * 2 * 3 + 3 + 3 + 3 + 3 + 6 + 2);
  assert.deepStrictEqual([...m.state().keys()].length, 9);
  m.dispose();
});

Deno.test("module: Sequential registers [name, layer] entries under their names, plain layers under their index", () => {
  const c = ctx();
  const m = new Sequential([["conv1", new Conv2d(c, { inChannels: 2, outChannels: 3, kernel: 1 })], new PReLU(c, 3)]);
  assert.deepStrictEqual(m.parameters().map((p) => p.path), ["conv1.weight", "1.weight"]);
  assert.strictEqual(m.layers.length, 2);
  m.dispose();
});

Deno.test("module: a frozen gamma is in the state and the count, not in parameters()", async () => {
  const bn = new BatchNorm(ctx(), { channels: 4, frozenGamma: true });
  assert.deepStrictEqual(bn.parameters().map((p) => p.path), ["bias"]);
  assert.deepStrictEqual([...bn.state().keys()], ["weight", "bias", "running_mean", "running_var"]);
  assert.strictEqual(bn.parameterCount(), 8);
  assert.strictEqual(bn.gamma.requiresGrad, false);
  assert.deepStrictEqual(await bn.gamma.toArray(), [1, 1, 1, 1]);
  bn.dispose();
});

Deno.test("module: train/eval reaches every descendant", () => {
  const m = net();
  const modes = (s: Sequential): boolean[] =>
    s.layers.flatMap((l) => [l.training, ...(l instanceof Sequential ? modes(l) : [])]);
  m.eval();
  assert.ok(modes(m).every((t) => !t) && !m.training);
  m.train();
  assert.ok(modes(m).every((t) => t) && m.training);
  m.dispose();
});

Deno.test("module: load copies values by path and keeps tensor identity", async () => {
  const a = net(ctx());
  const b = net({ backend, rng: new Rng(9, "init") });
  const before = b.parameters()[0].tensor;
  assert.notDeepStrictEqual(await a.parameters()[0].tensor.toArray(), await before.toArray());
  b.load(a.state());
  assert.strictEqual(b.parameters()[0].tensor, before);
  for (const [path, t] of a.state()) assert.deepStrictEqual(await b.state().get(path)!.toArray(), await t.toArray());
  a.dispose();
  b.dispose();
});

Deno.test("module: load names missing, unexpected and mis-shaped paths", () => {
  const m = net();
  const state = new Map(m.state());
  state.delete("0.bias");
  const extra = tensor(backend, [1], [1]);
  state.set("9.weight", extra);
  assert.throws(() => m.load(state), /missing paths \[0\.bias\], unexpected paths \[9\.weight\]/);
  const wrong = tensor(backend, [1, 2], [2]);
  assert.throws(
    () => m.load(new Map([["0.bias", wrong]]), { strict: false }),
    /"0\.bias" expected f32 \[3\], got f32 \[2\]/,
  );
  for (const t of [extra, wrong]) t.dispose();
  m.dispose();
});

Deno.test("module: parameters and buffers survive scopes; duplicate names are refused", () => {
  const m = scope(() => net());
  assert.ok(m.parameters().every((p) => !p.tensor.disposed));
  assert.ok(m.buffers().every((b) => !b.tensor.disposed));
  class Twice extends Sequential {
    constructor() {
      super([]);
      this.addChild("x", new PReLU(ctx(), 1));
      this.addChild("x", new PReLU(ctx(), 1));
    }
  }
  assert.throws(() => new Twice(), /name "x" is already registered/);
  m.dispose();
});
