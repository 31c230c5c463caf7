import assert from "node:assert";
import { erfc, mean, normalQuantile, normalSurvival, populationStd, sampleStd } from "../../src/eval/stats.ts";

const golden: { erfc: [number, number][] } = JSON.parse(
  await Deno.readTextFile(new URL("../../fixtures/golden/bootstrap.json", import.meta.url)),
);

Deno.test("erfc equals scipy's to 1e-13 relative on both sides of the series / continued-fraction switch", () => {
  for (const [x, want] of golden.erfc) {
    assert.ok(Math.abs(erfc(x) - want) <= 1e-13 * want, `erfc(${x}) = ${erfc(x)}, scipy ${want}`);
  }
  assert.ok(Number.isNaN(erfc(NaN)));
  assert.strictEqual(normalSurvival(0), 0.5);
  assert.ok(Math.abs(2 * normalSurvival(1.96) - 0.04999579029644087) < 1e-15);
});

Deno.test("normalQuantile equals scipy's norm.ppf", () => {
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959963984540054) < 1e-14);
  assert.ok(Math.abs(normalQuantile(0.5)) < 1e-15);
  assert.ok(Math.abs(normalQuantile(1e-10) - -6.361340902404056) < 1e-12);
  assert.throws(() => normalQuantile(1), /q must be in \(0, 1\)/);
});

Deno.test("mean, population and sample standard deviation", () => {
  assert.strictEqual(mean([1, 2, 3, 6]), 3);
  assert.strictEqual(populationStd([1, 3]), 1);
  assert.strictEqual(sampleStd([1, 3]), Math.SQRT2);
  assert.ok(Number.isNaN(sampleStd([1])) && Number.isNaN(mean([])));
});
