import assert from "node:assert";
import { normalCdf as normalCdfF64 } from "../../src/backends/reference/normal_cdf.ts";
import { normalCdf } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("normal_cdf", [
  { name: "vector", inputs: [{ shape: [9], range: [-5, 5] }], run: ([x]) => normalCdf(x) },
  {
    name: "tails and the series / continued-fraction seam",
    inputs: [{ shape: [6], values: [-7, -2.9, -2.8, 0, 2.8, 2.9] }],
    run: ([x]) => normalCdf(x),
  },
]);

Deno.test("normal_cdf: the double-precision reference matches 0.5·erfc(−x/√2) from CPython to 1e-12 relative", () => {
  // x → 0.5 * math.erfc(-x / math.sqrt(2)) in CPython 3 (the series below |x| = 2√2, the continued fraction beyond)
  const table: [number, number][] = [
    [-12, 1.776482112077702e-33],
    [-6, 9.865876450377012e-10],
    [-3.5, 0.00023262907903552504],
    [-1, 0.15865525393145707],
    [0, 0.5],
    [0.3, 0.6179114221889526],
    [1, 0.8413447460685429],
    [2.2, 0.9860965524865014],
    [3.6, 0.9998408914098424],
    [5, 0.9999997133484281],
    [9, 1],
  ];
  for (const [x, want] of table) {
    const got = normalCdfF64(x);
    assert.ok(Math.abs(got - want) <= 1e-12 * want, `Φ(${x}) = ${got}, expected ${want}`);
  }
});
