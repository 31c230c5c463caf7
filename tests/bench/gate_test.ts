/**
 * The cut-down regression gate inside `deno task test`: the `ci-gate` preset (two cells, one epoch) must match
 * fixtures/baselines/ci-gate.json — accuracy within tolerance and, on the same backend and thread count, the same
 * final-weight hash. A tampered baseline must make the same command fail. (The two-backend gate is in
 * gate_webgpu_test.ts.)
 */
import assert from "node:assert";
import { loadPreset } from "../../src/bench/presets.ts";
import { main } from "../../src/cli/bench.ts";
import { compareReports } from "../../src/report/compare.ts";
import { readReport } from "../../src/report/write.ts";

const baseline = new URL("../../fixtures/baselines/ci-gate.json", import.meta.url).pathname;

Deno.test({
  name: "gate: the ci-gate preset reproduces its committed baseline; a changed baseline fails the comparison",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const out = await Deno.makeTempDir();
    try {
      assert.strictEqual(await main(["--preset", "ci-gate", "--out", out, "--check", baseline]), 0);
      const [runDir] = [...Deno.readDirSync(out)].map((e) => e.name);
      const report = await readReport(`${out}/${runDir}/report.json`);
      const tampered = await readReport(baseline);
      tampered.cells[0].metrics!.accuracyMean = Math.min(1, report.cells[0].metrics!.accuracyMean + 0.1);
      tampered.cells[1].weightHash = "0".repeat(64);
      const { accuracyTolerance } = await loadPreset("ci-gate");
      const verdicts = compareReports(report, tampered, { accuracyTolerance }).rows.map((r) => r.status);
      assert.deepStrictEqual(verdicts, ["accuracy", "hash"]);
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});
