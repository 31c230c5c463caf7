/**
 * The maths of a backend comparison on synthetic rows and embeddings: ratios, loss divergence, embedding
 * differences, pair-decision agreement, the paired accuracy test with its "differs" flag, and the written files
 * (JSON, Markdown, HTML with its charts); each backend's baseline file; comparisons of saved reports from different
 * machines, whose labels keep the machines apart.
 */
import assert from "node:assert";
import { createBackend } from "../../src/backends/registry.ts";
import { backendLabel } from "../../src/bench/backend_label.ts";
import { parseBackendList } from "../../src/bench/backend_list.ts";
import { backendBaselinePath } from "../../src/bench/run_backends.ts";
import { compareSavedReports, reportLabels } from "../../src/bench/saved_comparison.ts";
import {
  type BackendRun,
  compareBackends,
  differingIndices,
  embeddingDifference,
  lossDivergence,
  type ParityEmbedding,
  parityRows,
  ratio,
  speedRows,
  throughputRows,
  trainingEquivalence,
} from "../../src/bench/backend_comparison.ts";
import {
  COMPARISON_VERSION,
  comparisonSchema,
  renderComparisonMarkdown,
  writeComparison,
} from "../../src/report/backend_comparison.ts";
import type { Report } from "../../src/report/schema.ts";
import { syntheticCell, syntheticReport } from "../report/_fixture.ts";

Deno.test("backend list: wasm-fast is the WASM backend in fast mode; order is kept", () => {
  assert.deepStrictEqual(parseBackendList(["wasm-fast", "wasm", "reference"]), [
    { label: "wasm-fast", name: "wasm", mode: "fast" },
    { label: "wasm", name: "wasm" },
    { label: "reference", name: "reference" },
  ]);
});

Deno.test("backend list: wasm-winograd2x2 and wasm-im2col are WASM with other 3×3 convolution algorithms", async () => {
  const entries = parseBackendList(["wasm", "wasm-winograd2x2", "wasm-im2col"]);
  assert.deepStrictEqual(entries, [
    { label: "wasm", name: "wasm" },
    { label: "wasm-winograd2x2", name: "wasm", winograd: "2x2" },
    { label: "wasm-im2col", name: "wasm", winograd: "off" },
  ]);
  // Each entry's backend carries its label into report rows, so weight hashes are never compared across them.
  for (const entry of entries) {
    await using backend = await createBackend(entry.name, { threads: 1, winograd: entry.winograd });
    assert.strictEqual(backendLabel(backend), entry.label);
  }
});

Deno.test("backend label: the relaxed-SIMD build is wasm-fast where its multiply-add is fused, else wasm-fast-unfused", () => {
  const labelOf = (details: Record<string, string>) =>
    backendLabel({ name: "wasm", info: () => ({ name: "wasm", threads: 1, details }) });
  assert.strictEqual(labelOf({ mode: "fast", multiplyAdd: "fused", winograd: "auto" }), "wasm-fast");
  assert.strictEqual(labelOf({ mode: "fast", multiplyAdd: "separate", winograd: "auto" }), "wasm-fast-unfused");
  assert.strictEqual(labelOf({ mode: "fast", multiplyAdd: "separate", winograd: "off" }), "wasm-fast-unfused-im2col");
  assert.strictEqual(labelOf({ mode: "deterministic", multiplyAdd: "separate", winograd: "auto" }), "wasm");
});

Deno.test("backend comparison: ratios are null where either speed is missing", () => {
  assert.strictEqual(ratio(50, 200), 0.25);
  assert.strictEqual(ratio(null, 200), null);
  assert.strictEqual(ratio(50, null), null);
  assert.strictEqual(ratio(50, 0), null);
});

Deno.test("backend comparison: loss divergence over the common steps, first step over 1% or never", () => {
  const ref = [{ step: 1, loss: 10 }, { step: 2, loss: 8 }, { step: 3, loss: 6 }, { step: 4, loss: 4 }];
  assert.deepStrictEqual(lossDivergence(ref, ref), { steps: 4, maxAbsDelta: 0, firstStepOverTolerance: null });
  const other = [{ step: 1, loss: 10.05 }, { step: 2, loss: 8.05 }, { step: 4, loss: 4.2 }, { step: 5, loss: 1 }];
  const d = lossDivergence(ref, other);
  assert.strictEqual(d.steps, 3, "steps 1, 2 and 4 are in both curves");
  assert.ok(Math.abs(d.maxAbsDelta! - 0.2) < 1e-12);
  assert.strictEqual(d.firstStepOverTolerance, 4, "0.5% and 0.6% stay under 1%; 5% at step 4 does not");
  assert.strictEqual(lossDivergence(ref, [{ step: 2, loss: NaN }]).firstStepOverTolerance, 2, "NaN diverges");
});

Deno.test("backend comparison: embedding differences (max |Δ|, max per-row relative) and differing decisions", () => {
  const b = Float32Array.from([1, 0, 0, 1]);
  const a = Float32Array.from([1, 0, 0.03, 0.96]);
  const { maxAbs, maxRelative } = embeddingDifference(a, b, 2);
  assert.ok(Math.abs(maxAbs - 0.04) < 1e-6);
  assert.ok(Math.abs(maxRelative - 0.05) < 1e-6, `‖(0.03, −0.04)‖ / 1 = 0.05, got ${maxRelative}`);
  assert.deepStrictEqual(embeddingDifference(b, b, 2), { maxAbs: 0, maxRelative: 0 });
  assert.throws(() => embeddingDifference(a, b.subarray(1), 2), RangeError);
  assert.deepStrictEqual(differingIndices([true, false, true, true], [true, true, true, false]), [1, 3]);
  assert.deepStrictEqual(differingIndices([true], [true]), []);
});

Deno.test("backend comparison: parity rows compare each embedding with the reference backend's of the same weights", () => {
  const embedded = (runOn: string, weightsFrom: string, data: number[], decisions: boolean[]): ParityEmbedding => ({
    cell: "m/arcface",
    seed: 1,
    weightsFrom,
    runOn,
    embeddings: { data: Float32Array.from(data), dim: 2 },
    accuracy: 0.75,
    decisions,
    inferenceImagesPerSecond: 10,
    note: null,
  });
  const rows = parityRows([
    embedded("wasm", "wasm", [1, 0, 0, 1], [true, true, false]),
    embedded("webgpu", "wasm", [1, 0, 0, 1.001], [true, false, false]),
    {
      ...embedded("webgpu", "webgpu", [], []),
      embeddings: null,
      decisions: null,
      note: "weights not available (resumed)",
    },
  ], "wasm");
  assert.deepStrictEqual(
    rows.map((r) => [r.runOn, r.weightsFrom, r.differingDecisions, r.differingPairs, r.note]),
    [
      ["wasm", "wasm", 0, [], null],
      ["webgpu", "wasm", 1, [1], null],
      ["webgpu", "webgpu", null, [], "weights not available (resumed)"],
    ],
  );
  assert.strictEqual(rows[0].maxAbsDifference, 0);
  assert.ok(Math.abs(rows[1].maxAbsDifference! - 0.001) < 1e-6);
});

/** A "second backend" of the fixture report: other noise, speeds × `speed`, and cell 0 at `quality0`. */
function otherBackend(quality0: number, speed: number): Report {
  const report = syntheticReport(7);
  report.cells[0] = syntheticCell(0, "ir_se_50_tiny", "arcface", quality0, 7);
  for (const c of report.cells) {
    c.backend = "webgpu";
    c.imagesPerSecond *= speed;
  }
  report.cells[1].lossCurve = report.cells[1].lossCurve.map((p) => ({ ...p, loss: p.loss * 1.02 }));
  return report;
}

Deno.test("backend comparison: the paired test flags only a cell whose accuracy differs; failed cells are noted", () => {
  const runs: BackendRun[] = [
    { label: "wasm", report: syntheticReport(7) },
    { label: "webgpu", report: otherBackend(0.7, 0.5) },
  ];
  const rows = trainingEquivalence(runs);
  assert.strictEqual(rows.length, 6);
  assert.strictEqual(rows[0].differs, true, `cell 0 at 0.70 instead of 0.98: ${JSON.stringify(rows[0])}`);
  assert.ok(rows[0].difference!.value < -0.15);
  for (const r of [rows[1], rows[2], rows[3], rows[5]]) {
    assert.strictEqual(r.differs, false, `${r.cell}: same distances on both backends`);
    assert.strictEqual(r.difference!.value, 0);
  }
  assert.strictEqual(rows[4].differs, null);
  assert.match(rows[4].note!, /no complete row on webgpu and wasm/);
  assert.ok(rows.every((r) => r.pHolm === null || r.pHolm >= r.p!), "Holm never lowers a p-value");

  const speed = speedRows(runs, []);
  assert.deepStrictEqual(speed.filter((s) => s.backend === "webgpu").map((s) => s.trainRatio), [
    0.5,
    0.5,
    0.5,
    0.5,
    null,
    0.5,
  ]);
  const reseeded = structuredClone(runs[1].report);
  reseeded.run.seeds = [7];
  assert.throws(
    () => trainingEquivalence([runs[0], { label: "webgpu", report: reseeded }]),
    /differ in pairs or seeds/,
  );
});

Deno.test("backend comparison: loss divergence rows, a schema-valid comparison.json and comparison.md", async () => {
  const runs: BackendRun[] = [
    { label: "wasm", report: syntheticReport(7) },
    { label: "webgpu", report: otherBackend(0.98, 0.25) },
  ];
  const parts = compareBackends(runs, []);
  const divergence = parts.lossDivergence;
  assert.deepStrictEqual(divergence[0], {
    cell: "ir_se_50_tiny/arcface",
    seed: 1337,
    backend: "webgpu",
    steps: 5,
    maxAbsDelta: 0,
    firstStepOverTolerance: null,
    sameWeights: true,
    note: null,
  });
  assert.strictEqual(divergence[1].firstStepOverTolerance, 0, "2% from the first step");
  assert.strictEqual(divergence[4].note, "failed on wasm");
  assert.strictEqual(divergence[4].sameWeights, null, "no weights to compare with a failed cell");
  const retrained = structuredClone(runs[1].report);
  for (const c of retrained.cells) c.weightHash = "e".repeat(64);
  const [changed] = compareBackends([runs[0], { label: "webgpu", report: retrained }], []).lossDivergence;
  assert.strictEqual(changed.sameWeights, false, "another weight hash");
  assert.strictEqual(changed.steps, 5, "the curves are compared all the same");
  assert.strictEqual(parts.failedCells, 2, "the failed cell on each backend");
  const comparison = comparisonSchema.parse({
    version: COMPARISON_VERSION,
    preset: "quick",
    seeds: [1337],
    createdAt: "2026-11-29T04:00:00Z",
    command: "deno task bench --backends wasm,webgpu",
    reference: "wasm",
    evalSet: "synthface-ci",
    pairs: 200,
    backends: runs.map((r) => ({
      label: r.label,
      info: r.report.environment.backends[0],
      report: `${r.label}/report.json`,
      runId: r.report.run.id,
      cells: 6,
      failed: 1,
    })),
    ...parts,
  });
  const markdown = renderComparisonMarkdown(comparison);
  assert.match(
    markdown,
    /\| ir_se_50_tiny\/arcface \| webgpu \| 98\.\d\d \| 98\.\d\d \| \+0\.00 \[\+0\.00, \+0\.00\] \| .* \| not significant \|/,
  );
  assert.match(markdown, /0\.25×/);
  const dir = await Deno.makeTempDir();
  try {
    const files = await writeComparison(dir, comparison);
    assert.deepStrictEqual(comparisonSchema.parse(JSON.parse(await Deno.readTextFile(files.json))), comparison);
    assert.strictEqual(await Deno.readTextFile(files.markdown), markdown);
    const html = await Deno.readTextFile(files.html);
    for (const id of ["chart-backend-speed", "chart-backend-accuracy"]) assert.match(html, new RegExp(`id="${id}"`));
    assert.match(html, /<h2>Training equivalence<\/h2>/);
    assert.match(html, /<svg/);
    assert.doesNotMatch(html, /<script/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("backend comparison: every report's full-size throughput rows, as ratios to the first row of the backbone", () => {
  const oneThread = syntheticReport(7);
  oneThread.throughput = [{
    ...oneThread.throughput[0],
    threads: 1,
    trainImagesPerSecond: 2,
    inferenceImagesPerSecond: 9,
  }];
  const rows = throughputRows([
    { label: "wasm/2t", report: syntheticReport(7) },
    { label: "wasm/1t", report: oneThread },
  ]);
  assert.deepStrictEqual(
    rows.map((r) => [r.from, r.backend, r.threads, r.trainRatio, r.inferenceRatio, r.error]),
    [
      ["wasm/2t", "wasm", 2, 1, 1, null],
      ["wasm/2t", "webgpu", 1, null, null, "no WebGPU adapter"],
      ["wasm/1t", "wasm", 1, 2 / 3.5, 9 / 11.25, null],
    ],
  );
  const comparison = comparisonSchema.parse({
    ...compareSavedReports(
      [{ source: "/r/a/report.json", report: syntheticReport(7) }, { source: "/r/b/report.json", report: oneThread }],
      "/r/out",
      "compare-backends",
    ),
  });
  const markdown = renderComparisonMarkdown(comparison);
  assert.match(markdown, /## Full-size throughput/);
  assert.match(markdown, /\| wasm\/2t @ Test CPU #2 \| wasm \| 1 \| ir_50 \| 8 \| 2 \| 0\.57× \| 9 \| 0\.80× \|/);
  assert.match(markdown, /no WebGPU adapter/);
  const bare = structuredClone(comparison);
  bare.throughput = [];
  assert.match(renderComparisonMarkdown(bare), /Not measured: no compared report has a throughput section/);
});

Deno.test("backend comparison: each backend has its own baseline file; the preset's own backend keeps the plain name", () => {
  const path = "fixtures/baselines/ci-gate.json";
  assert.strictEqual(backendBaselinePath(path, "wasm", "wasm"), path);
  assert.strictEqual(backendBaselinePath(path, "webgpu", "wasm"), "fixtures/baselines/ci-gate.webgpu.json");
  assert.strictEqual(backendBaselinePath(path, "wasm-fast", "wasm"), "fixtures/baselines/ci-gate.wasm-fast.json");
  assert.strictEqual(backendBaselinePath("base", "webgpu", "wasm"), "base.webgpu.json");
});

/** A synthetic report as if run on `backend` with `threads` on a machine with `cpu` (and `adapter` for WebGPU). */
function onMachine(backend: string, threads: number, cpu: string, adapter?: string): Report {
  const report = syntheticReport(7);
  report.environment.cpu.model = cpu;
  report.environment.backends = [{
    name: backend,
    threads,
    details: adapter ? { vendor: "test", architecture: "", description: adapter } : { mode: "deterministic" },
  }];
  for (const c of report.cells) [c.backend, c.threads] = [backend, threads];
  return report;
}

Deno.test("compare-backends: saved reports keep each machine's rows apart; parity is left empty and said so", () => {
  const laptop = onMachine("webgpu", 1, "Laptop CPU", "Some GPU");
  const [serverA, serverB] = [onMachine("wasm", 2, "EPYC"), onMachine("wasm", 2, "Xeon")];
  assert.deepStrictEqual(reportLabels([serverA, laptop]), ["wasm/2t", "webgpu"]);
  assert.deepStrictEqual(reportLabels([serverA, serverB, laptop]), ["wasm/2t @ EPYC", "wasm/2t @ Xeon", "webgpu"]);
  assert.deepStrictEqual(reportLabels([serverA, serverA]), ["wasm/2t @ EPYC #1", "wasm/2t @ EPYC #2"]);
  const page = onMachine("wasm", 4, "ignored");
  page.environment.deno = "none (browser page bundled by Deno 2.9.6)";
  page.environment.v8 = "HeadlessChrome 156.0.8078.114";
  page.environment.cpu.model = null;
  assert.deepStrictEqual(
    reportLabels([serverA, page]),
    ["wasm/2t", "wasm/4t @ HeadlessChrome 156.0.8078.114"],
    "a page's row names its browser even where the backend label alone differs",
  );
  assert.deepStrictEqual(reportLabels([page, onMachine("wasm", 4, "EPYC")]), [
    "wasm/4t @ HeadlessChrome 156.0.8078.114",
    "wasm/4t @ EPYC",
  ]);

  const inputs = [
    { source: "/runs/a/report.json", report: serverA },
    { source: "/runs/b/report.json", report: serverB },
    { source: "/runs/c/report.json", report: laptop },
  ];
  const comparison = comparisonSchema.parse(compareSavedReports(inputs, "/runs/out", "compare-backends"));
  assert.strictEqual(comparison.reference, "wasm/2t @ EPYC");
  assert.deepStrictEqual(comparison.backends.map((b) => b.report), [
    "../a/report.json",
    "../b/report.json",
    "../c/report.json",
  ]);
  assert.deepStrictEqual(comparison.parity, []);
  assert.deepStrictEqual(
    [...new Set(comparison.equivalence.map((e) => e.backend))],
    ["wasm/2t @ Xeon", "webgpu"],
    "one row set per machine, none merged",
  );
  assert.match(renderComparisonMarkdown(comparison), /Not measured: this comparison was built from saved reports/);

  const otherPreset = structuredClone(laptop);
  otherPreset.run.preset = "ci-gate";
  assert.throws(
    () => compareSavedReports([inputs[0], { source: "/runs/d/report.json", report: otherPreset }], "/o", "c"),
    /compare-backends: \/runs\/d\/report.json has preset "ci-gate", \/runs\/a\/report.json has "quick"/,
  );
  assert.throws(() => compareSavedReports([inputs[0]], "/o", "c"), /at least two/);

  // as `toBaseline` keeps a report: no evaluation pairs, no curves
  const baseline: Report = {
    ...serverB,
    evaluation: null,
    cells: serverB.cells.map((c) => ({ ...c, lossCurve: [], evalCurve: [] })),
  };
  const againstBaseline = compareSavedReports(
    [{ source: "/b/ci.json", report: baseline }, inputs[0]],
    "/o",
    "compare-backends",
  );
  assert.deepStrictEqual(
    [...new Set(againstBaseline.equivalence.map((e) => e.note))],
    ["no evaluation pairs in the report of wasm/2t @ Xeon (a baseline keeps none)"],
    "a baseline keeps no pairs: no test, said so",
  );
  assert.ok(
    againstBaseline.lossDivergence.filter((d) => d.note === null).every((d) => d.sameWeights === true && d.steps === 0),
    "no curves in a baseline, but the weight hashes are compared",
  );
});
