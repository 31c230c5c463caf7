/** Init schemes: bounds and spreads follow PyTorch's formulas; draws are deterministic per seed. */
import assert from "node:assert";
import { Rng } from "../../src/core/rng.ts";
import { initValues } from "../../src/nn/init.ts";

const fans = { fanIn: 48, fanOut: 96 };
const N = 20000;

function stats(v: Float32Array): { max: number; std: number; mean: number } {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { max: v.reduce((a, b) => Math.max(a, Math.abs(b)), 0), std, mean };
}

Deno.test("init: xavier-uniform and torch-default bounds", () => {
  const xavier = stats(initValues(new Rng(1, "init"), { kind: "xavierUniform" }, N, fans));
  const bound = Math.sqrt(6 / (48 + 96));
  assert.ok(xavier.max <= bound && xavier.max > 0.99 * bound, `xavier max ${xavier.max} vs bound ${bound}`);
  assert.ok(Math.abs(xavier.std - bound / Math.sqrt(3)) < 0.01 * bound);
  const torch = stats(initValues(new Rng(1, "init"), { kind: "torchDefault" }, N, fans));
  assert.ok(torch.max <= 1 / Math.sqrt(48) && torch.max > 0.99 / Math.sqrt(48));
});

Deno.test("init: kaiming-normal fan-out and normal(σ) spreads", () => {
  const kaiming = stats(initValues(new Rng(2, "init"), { kind: "kaimingNormalFanOut" }, N, fans));
  assert.ok(Math.abs(kaiming.std / Math.sqrt(2 / 96) - 1) < 0.03, `kaiming std ${kaiming.std}`);
  assert.ok(Math.abs(kaiming.mean) < 0.01);
  const normal = stats(initValues(new Rng(2, "init"), { kind: "normal", std: 0.1 }, N, fans));
  assert.ok(Math.abs(normal.std / 0.1 - 1) < 0.03, `normal std ${normal.std}`);
});

Deno.test("init: same seed and stream give the same values; constants are exact", () => {
  const a = initValues(new Rng(3, "init"), { kind: "xavierUniform" }, 100, fans);
  const b = initValues(new Rng(3, "init"), { kind: "xavierUniform" }, 100, fans);
  const c = initValues(new Rng(4, "init"), { kind: "xavierUniform" }, 100, fans);
  assert.deepStrictEqual(a, b);
  assert.notDeepStrictEqual(a, c);
  assert.ok(initValues(new Rng(3, "init"), { kind: "constant", value: 0.25 }, 5, fans).every((v) => v === 0.25));
});
