/**
 * A backend comparison end to end on a tiny preset (mobilefacenet_tiny × softmax, one epoch of 37 iterations on
 * synthface-ci, one thread): the deterministic WASM build against its relaxed-SIMD build (`wasm,wasm-fast`; the
 * reference backend is far too slow to train even this). Each backend gets its own report; the parity step
 * reproduces each run's own accuracy from the kept weights (same backend: no difference at all); the comparison is
 * schema-valid and also written as HTML; `--update-baseline` writes one baseline per backend; `compare-backends`
 * rebuilds the comparison from the two saved reports, and so does `merge` given them (whole runs, not shards). Bad
 * comparison input exits 2 before anything trains.
 */
import assert from "node:assert";
import { join } from "node:path";
import { main } from "../../src/cli/bench.ts";
import { comparisonSchema } from "../../src/report/backend_comparison.ts";
import { readReport } from "../../src/report/write.ts";

const preset = {
  name: "tiny-compare",
  description: "mobilefacenet_tiny × softmax, one epoch (37 iterations) on synthface-ci",
  dataset: "synthface-ci",
  backbones: ["mobilefacenet_tiny"],
  heads: ["softmax"],
  threads: 1,
  train: { epochs: 1, batchSize: 32, schedule: { kind: "multistep", lr: 0.1, warmupEpochs: 0.25 } },
};

Deno.test("backend comparison: bad backends or options exit 2 before anything trains", async () => {
  const out = await Deno.makeTempDir();
  try {
    const path = join(out, "bad.json");
    await Deno.writeTextFile(path, JSON.stringify({ ...preset, backends: ["wasm", "cuda"] }));
    assert.strictEqual(await main(["--preset", path, "--out", out]), 2, "unknown backend in the preset");
    await Deno.writeTextFile(path, JSON.stringify(preset));
    assert.strictEqual(await main(["--preset", path, "--out", out, "--backends", "wasm,x"]), 2);
    assert.strictEqual(
      await main(["--preset", path, "--out", out, "--backends", "wasm,wasm-fast", "--mode", "fast"]),
      2,
    );
    assert.strictEqual(
      await main(["--preset", path, "--out", out, "--backends", "wasm,reference", "--shard", "1/2"]),
      2,
    );
    assert.deepStrictEqual([...Deno.readDirSync(out)].map((e) => e.name), ["bad.json"], "nothing written");
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test({
  name:
    "backend comparison: wasm vs wasm-fast on a tiny preset writes both reports, comparison.{json,md,html}, baselines",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const out = await Deno.makeTempDir();
    try {
      const path = join(out, "tiny-compare.json");
      await Deno.writeTextFile(path, JSON.stringify({ ...preset, backends: ["wasm", "wasm-fast"] }));
      const baseline = join(out, "base.json");
      const run = ["--preset", path, "--out", out, "--no-throughput", "--update-baseline", "--baseline-out", baseline];
      assert.strictEqual(await main(run), 0);
      const dir = join(out, "tiny-compare-seed1337-wasm-vs-wasm-fast");
      const comparison = comparisonSchema.parse(JSON.parse(await Deno.readTextFile(join(dir, "comparison.json"))));
      assert.match(await Deno.readTextFile(join(dir, "comparison.md")), /## Forward parity on the trained model/);
      assert.deepStrictEqual(comparison.backends.map((b) => [b.label, b.info?.details.mode]), [
        ["wasm", "deterministic"],
        ["wasm-fast", "fast"],
      ]);
      const reports = await Promise.all(comparison.backends.map((b) => readReport(join(dir, b.report))));
      assert.deepStrictEqual(reports.map((r) => r.cells[0].backend), ["wasm", "wasm-fast"]);
      assert.strictEqual(comparison.parity.length, 4, "1 cell × 1 seed × 2 weight sources × 2 backends");
      for (const [k, label] of ["wasm", "wasm-fast"].entries()) {
        const own = comparison.parity.find((p) => p.weightsFrom === label && p.runOn === label)!;
        assert.strictEqual(own.note, null);
        assert.strictEqual(own.accuracy, reports[k].cells[0].metrics!.accuracyMean, `${label}: kept weights = trained`);
      }
      const onReference = comparison.parity.filter((p) => p.runOn === "wasm");
      assert.ok(onReference.every((p) => p.maxAbsDifference === 0 && p.differingDecisions === 0));
      const crossed = comparison.parity.find((p) => p.weightsFrom === "wasm" && p.runOn === "wasm-fast")!;
      assert.ok(
        crossed.maxAbsDifference! < 1e-3,
        `relaxed FMA differs in the last bits only: ${crossed.maxAbsDifference}`,
      );
      assert.deepStrictEqual(comparison.speed.map((s) => [s.backend, s.trainRatio]).slice(0, 1), [["wasm", 1]]);
      assert.strictEqual(comparison.lossDivergence[0].steps, 37);
      assert.strictEqual(typeof comparison.equivalence[0].differs, "boolean");
      assert.strictEqual(comparison.failedCells, 0);
      assert.match(await Deno.readTextFile(join(dir, "comparison.html")), /id="chart-backend-speed"/);

      for (const [k, file] of ["base.json", "base.wasm-fast.json"].entries()) {
        const written = await readReport(join(out, file));
        assert.strictEqual(written.cells[0].weightHash, reports[k].cells[0].weightHash, `${file}: its backend's hash`);
      }

      const saved = join(out, "saved");
      const sources = comparison.backends.map((b) => join(dir, b.report));
      assert.strictEqual(await main(["compare-backends", ...sources, "--out", saved]), 0);
      const [folder] = [...Deno.readDirSync(saved)].map((e) => e.name);
      const again = comparisonSchema.parse(JSON.parse(await Deno.readTextFile(join(saved, folder, "comparison.json"))));
      assert.deepStrictEqual(again.backends.map((b) => b.label), ["wasm/1t", "wasm-fast/1t"]);
      assert.deepStrictEqual(
        again.equivalence.map((e) => e.difference),
        comparison.equivalence.map((e) => e.difference),
      );
      assert.deepStrictEqual(again.parity, []);

      const merged = join(out, "merged");
      assert.strictEqual(await main(["merge", ...sources, "--out", merged]), 0, "merge compares two whole runs");
      const [mergedFolder] = [...Deno.readDirSync(merged)].map((e) => e.name);
      assert.match(mergedFolder, /-compared-/, "merge wrote a comparison, not a merged report");
      const viaMerge = comparisonSchema.parse(
        JSON.parse(await Deno.readTextFile(join(merged, mergedFolder, "comparison.json"))),
      );
      assert.deepStrictEqual(viaMerge.equivalence, again.equivalence);
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});
