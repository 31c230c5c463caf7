import assert from "node:assert";
import {
  baselineMismatch,
  compareReports,
  comparisonTable,
  runIdentity,
  toBaseline,
} from "../../src/report/compare.ts";
import { parseReport, type Report } from "../../src/report/schema.ts";
import { evalSetsReport } from "./_eval_sets_fixture.ts";
import { syntheticCell, syntheticReport } from "./_fixture.ts";

const clone = (r: Report): Report => structuredClone(r);

Deno.test("compareReports: an identical run passes with matching hashes", () => {
  const c = compareReports(syntheticReport(), syntheticReport(), { accuracyTolerance: 0.01 });
  assert.strictEqual(c.pass, false, "the baseline's own failed cell stays a failure");
  const ok = c.rows.filter((r) => r.status === "pass");
  assert.strictEqual(ok.length, 5);
  assert.ok(ok.every((r) => r.hash === "match"));
});

Deno.test("compareReports: accuracy drop beyond tolerance, hash change, missing and new cells", () => {
  const base = syntheticReport();
  base.cells = base.cells.filter((c) => c.metrics !== null);
  const now = clone(base);
  now.cells[0].metrics!.accuracyMean -= 0.015; // drop 1.5 points > 1
  now.cells[1].metrics!.accuracyMean -= 0.005; // drop 0.5 points: ok
  now.cells[2].weightHash = "f".repeat(64); // same backend/threads → must match
  now.cells[3].backend = "webgpu"; // other backend: hash not compared
  now.cells[3].weightHash = "e".repeat(64);
  now.cells.splice(4, 1); // missing
  now.cells.push(syntheticCell(9, "resnet_tiny", "arcface", 0.5));
  const c = compareReports(now, base, { accuracyTolerance: 0.01 });
  assert.strictEqual(c.pass, false);
  assert.deepStrictEqual(c.rows.map((r) => [r.key, r.status]), [
    ["ir_se_50_tiny/arcface/seed1337", "accuracy"],
    ["ir_se_50_tiny/cosface/seed1337", "pass"],
    ["ir_se_50_tiny/softmax/seed1337", "hash"],
    ["mobilefacenet_tiny/arcface/seed1337", "pass"],
    ["mobilefacenet_tiny/softmax/seed1337", "missing"],
    ["resnet_tiny/arcface/seed1337", "new"],
  ]);
  assert.match(c.rows[3].hash, /not compared \(webgpu\/2t vs wasm\/2t\)/);
  const table = comparisonTable(c);
  assert.deepStrictEqual(table.rows[0], [
    "ir_se_50_tiny/arcface/seed1337",
    "98.00",
    "96.50",
    "-1.50",
    "1.00",
    "match",
    "REGRESSION: accuracy dropped",
  ]);
});

Deno.test("compareReports: per-cell tolerance overrides the default; a failed current cell regresses", () => {
  const base = syntheticReport();
  const now = clone(base);
  now.cells[0].metrics!.accuracyMean -= 0.06;
  now.cells[1].error = "out of memory";
  const c = compareReports(now, base, {
    accuracyTolerance: 0.01,
    cellTolerances: { "ir_se_50_tiny/arcface": 0.1 },
  });
  assert.strictEqual(c.rows[0].status, "pass");
  assert.strictEqual(c.rows[1].status, "failed");
});

Deno.test("toBaseline: drops curves, distances and kept-model paths, keeps metrics, hashes and statistics, refuses failed cells", () => {
  const report = syntheticReport();
  assert.throws(() => toBaseline(report), /failed cells: mobilefacenet_tiny\/cosface/);
  report.cells = report.cells.filter((c) => c.metrics !== null).map((c) => ({
    ...c,
    model: "models/kept.safetensors",
  }));
  const baseline = toBaseline(report);
  assert.ok(baseline.cells.every((c) => c.lossCurve.length === 0 && c.evalCurve.length === 0 && c.distances === null));
  assert.ok(baseline.cells.every((c) => !("model" in c)), "kept-model paths belong to one run");
  assert.ok(baseline.references.every((r) => r.distances === null));
  assert.strictEqual(baseline.evaluation, null);
  assert.deepStrictEqual(baseline.statistics, report.statistics);
  assert.deepStrictEqual(baseline.cells.map((c) => c.weightHash), report.cells.map((c) => c.weightHash));
  assert.ok(compareReports(report, baseline, { accuracyTolerance: 0 }).pass);
});

Deno.test("compareReports: seeds are compared one by one; a version-1 baseline is compared through its one seed", () => {
  const base = syntheticReport();
  base.cells = base.cells.filter((c) => c.metrics !== null);
  const now = clone(base);
  now.cells.push({ ...clone(base).cells[0], seed: 1338, weightHash: "a".repeat(64) });
  const c = compareReports(now, base, { accuracyTolerance: 0.01 });
  assert.deepStrictEqual(c.rows.at(-1)!.key, "ir_se_50_tiny/arcface/seed1338");
  assert.strictEqual(c.rows.at(-1)!.status, "new");
  const v1 = JSON.parse(JSON.stringify(base));
  v1.version = 1;
  v1.run.seed = 1337;
  delete v1.run.seeds;
  for (const key of ["references", "evaluation", "statistics"]) delete v1[key];
  for (const cell of v1.cells) for (const key of ["seed", "trained", "distances"]) delete cell[key];
  const upgraded = parseReport(v1, "v1.json");
  assert.deepStrictEqual(upgraded.run.seeds, [1337]);
  assert.ok(compareReports(base, upgraded, { accuracyTolerance: 0 }).pass);
});

Deno.test("compareReports: failed cells always fail; cells the baseline lacks fail unless allowed", () => {
  const empty = { ...syntheticReport(), cells: [] };
  const failing = syntheticReport();
  failing.cells = failing.cells.map((c) => ({ ...c, metrics: null, error: "Error: out of memory" }));
  const verdict = compareReports(failing, empty, { accuracyTolerance: 0.02, allowNewCells: true });
  assert.strictEqual(verdict.pass, false, "an empty baseline must not let failed cells pass");
  assert.ok(verdict.rows.every((r) => r.status === "failed"));
  const fresh = syntheticReport();
  fresh.cells = fresh.cells.filter((c) => c.metrics !== null);
  assert.strictEqual(compareReports(fresh, empty, { accuracyTolerance: 0.02 }).pass, false);
  assert.strictEqual(compareReports(fresh, empty, { accuracyTolerance: 0.02, allowNewCells: true }).pass, true);
  assert.match(
    comparisonTable(compareReports(fresh, empty, { accuracyTolerance: 0.02 })).rows[0][6],
    /--allow-new-cells/,
  );
});

Deno.test("baselineMismatch: names another preset, dataset or seed list instead of a row per missing cell", () => {
  const report = syntheticReport();
  assert.strictEqual(baselineMismatch(runIdentity(report), syntheticReport()), null);
  const other = syntheticReport();
  other.run = { ...other.run, preset: "ci-gate", seeds: [7] };
  other.environment = { ...other.environment, dataset: { ...other.environment.dataset, id: "orl" } };
  assert.strictEqual(
    baselineMismatch(runIdentity(report), other),
    "the baseline is for another run: preset ci-gate (this run: quick); dataset orl (this run: synthface-ci); " +
      "seeds 7 (this run: 1337)",
  );
});

Deno.test("toBaseline: drops the curves, distances and pairs of further evaluation sets too, keeps metrics and statistics", () => {
  const report = evalSetsReport();
  report.cells = report.cells.filter((c) => c.metrics !== null);
  const baseline = parseReport(JSON.parse(JSON.stringify(toBaseline(report))), "baseline.json");
  for (const [i, cell] of baseline.cells.entries()) {
    assert.deepStrictEqual(
      cell.evalSets,
      report.cells[i].evalSets.map((e) => ({ ...e, evalCurve: [], distances: null })),
    );
  }
  for (const [i, reference] of baseline.references.entries()) {
    assert.deepStrictEqual(reference.evalSets, report.references[i].evalSets.map((e) => ({ ...e, distances: null })));
  }
  assert.deepStrictEqual(baseline.primaryEval, report.primaryEval);
  assert.deepStrictEqual(baseline.evalSets, report.evalSets.map((e) => ({ ...e, evaluation: null })));
  assert.deepStrictEqual(baseline.statistics, report.statistics);
});

Deno.test("compareReports: WebGPU hashes are compared on the same adapter only, relaxed-SIMD ones on the same rounding", () => {
  const onAdapter = (description: string, cpu = "Test CPU", mode?: string, multiplyAdd?: string): Report => {
    const report = syntheticReport();
    report.environment.cpu.model = cpu;
    report.environment.backends = [
      mode
        ? { name: "wasm", threads: 2, details: multiplyAdd ? { mode, multiplyAdd } : { mode } }
        : { name: "webgpu", threads: 2, details: { vendor: "mesa", architecture: "", description } },
    ];
    if (mode) return report;
    for (const c of report.cells) c.backend = "webgpu";
    return report;
  };
  const tampered = (r: Report) => {
    const copy = clone(r);
    for (const c of copy.cells) if (c.weightHash) c.weightHash = "f".repeat(64);
    return copy;
  };
  // the fixture's failed cell has no hash
  const hashes = (current: Report, baseline: Report) =>
    [...new Set(compareReports(current, baseline, { accuracyTolerance: 0.01 }).rows.map((r) => r.hash))]
      .filter((h) => h !== "–" && h !== "not compared (no hash)");
  const llvmpipe = onAdapter("llvmpipe (LLVM 19.1.7, 256 bits)");
  assert.deepStrictEqual(hashes(tampered(llvmpipe), llvmpipe), ["differs"]);
  assert.deepStrictEqual(hashes(tampered(onAdapter("NVIDIA H100")), llvmpipe), [
    "not compared (adapter mesa NVIDIA H100 vs adapter mesa llvmpipe (LLVM 19.1.7, 256 bits))",
  ]);
  // reports without the multiply-add probe: the CPU model decides
  const fast = onAdapter("", "EPYC", "fast");
  assert.deepStrictEqual(hashes(tampered(onAdapter("", "Xeon", "fast")), fast), [
    "not compared (relaxed SIMD on Xeon vs relaxed SIMD on EPYC)",
  ]);
  // with it: fused results are compared across CPUs, never with separate ones
  const fused = onAdapter("", "EPYC", "fast", "fused");
  assert.deepStrictEqual(hashes(tampered(onAdapter("", "Xeon", "fast", "fused")), fused), ["differs"]);
  assert.deepStrictEqual(hashes(onAdapter("", "Xeon", "fast", "fused"), fused), ["match"]);
  assert.deepStrictEqual(hashes(tampered(onAdapter("", "EPYC", "fast", "separate")), fused), [
    "not compared (relaxed SIMD, separate multiply-add vs relaxed SIMD, fused multiply-add)",
  ]);
  const strict = onAdapter("", "EPYC", "deterministic");
  assert.deepStrictEqual(hashes(tampered(onAdapter("", "Xeon", "deterministic")), strict), [
    "differs",
  ]);
});
