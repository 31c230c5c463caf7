import assert from "node:assert";
import { discordantCounts, holm, mcnemarExact } from "../../src/eval/significance.ts";

const near = (got: number, want: number, what = "") =>
  assert.ok(Math.abs(got - want) <= 1e-15, `${what}: ${got} vs ${want}`);

Deno.test("mcnemarExact: small cases by hand", () => {
  // n = 5, k = 0: 2 · 2^-5
  assert.strictEqual(mcnemarExact(0, 5), 0.0625);
  assert.strictEqual(mcnemarExact(5, 0), 0.0625);
  // n = 10, k = 1: 2 · (1 + 10) / 1024
  near(mcnemarExact(1, 9), 22 / 1024, "1 vs 9");
  // n = 10, k = 3: 2 · (1 + 10 + 45 + 120) / 1024
  near(mcnemarExact(3, 7), 352 / 1024, "3 vs 7");
  // no discordant pair, or a balanced or nearly balanced split: 1
  assert.strictEqual(mcnemarExact(0, 0), 1);
  assert.strictEqual(mcnemarExact(1, 1), 1);
  assert.strictEqual(mcnemarExact(2, 3), 1);
});

Deno.test("mcnemarExact: large n stays finite and in [0, 1] (no 2^-n underflow on the way)", () => {
  assert.strictEqual(mcnemarExact(50000, 50000), 1);
  assert.strictEqual(mcnemarExact(0, 100000), 0); // 2^-99999: below the smallest double
  const p = mcnemarExact(49990, 50010);
  assert.ok(p > 0.9 && p < 1, `p ${p}`);
  const tiny = mcnemarExact(49000, 51000);
  assert.ok(tiny > 1e-10 && tiny < 1e-9, `p ${tiny}`);
});

Deno.test("mcnemarExact: counts must be non-negative integers", () => {
  assert.throws(() => mcnemarExact(-1, 3), /mcnemarExact: n01 must be an integer >= 0, got -1/);
  assert.throws(() => mcnemarExact(2, 1.5), /n10 must be an integer >= 0, got 1.5/);
});

Deno.test("discordantCounts: A right & B wrong, A wrong & B right", () => {
  assert.deepStrictEqual(
    discordantCounts([true, true, false, false, true], [true, false, true, false, false]),
    { n01: 2, n10: 1 },
  );
  assert.throws(() => discordantCounts([true], [true, false]), /1 and 2 flags; expected equal/);
});

Deno.test("holm: step-down by hand, in input order, monotone and capped at 1", () => {
  // sorted 0.005, 0.01, 0.03, 0.04 → ×4, ×3, ×2, ×1 = 0.02, 0.03, 0.06, 0.04 → running max 0.02, 0.03, 0.06, 0.06
  const adjusted = holm([0.01, 0.04, 0.03, 0.005]);
  [0.03, 0.06, 0.06, 0.02].forEach((want, i) => near(adjusted[i], want, `p ${i}`));
  assert.deepStrictEqual(holm([0.6, 0.5]), [1, 1]);
  assert.deepStrictEqual(holm([0.2]), [0.2]);
  assert.deepStrictEqual(holm([]), []);
  assert.throws(() => holm([0.1, NaN]), /holm: pValues\[1\] = NaN, expected a probability in \[0, 1\]/);
  assert.throws(() => holm([1.5]), /pValues\[0\] = 1.5/);
});
