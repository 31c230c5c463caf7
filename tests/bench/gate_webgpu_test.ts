/**
 * The two-backend regression gate: the `ci-gate` cells on WASM and WebGPU in one `--backends` comparison, each
 * checked against its own baseline (fixtures/baselines/ci-gate.json and ci-gate.webgpu.json; the WebGPU one was
 * recorded on Mesa's llvmpipe adapter, and its hashes are compared only on that adapter, its accuracies everywhere),
 * and the trained models must embed alike on both backends. Ignored where no WebGPU adapter exists (CI=true then
 * fails through the availability tests). A separate file from gate_test.ts so the parallel runner can overlap the
 * slow software-adapter training with other tests.
 */
import assert from "node:assert";
import { main } from "../../src/cli/bench.ts";
import { comparisonSchema } from "../../src/report/backend_comparison.ts";
import { backendTest, WEBGPU_CASE } from "../_util/backends.ts";

const baseline = new URL("../../fixtures/baselines/ci-gate.json", import.meta.url).pathname;

backendTest(
  WEBGPU_CASE,
  "gate: ci-gate on wasm and webgpu in one comparison passes both baselines; the models agree across backends",
  async () => {
    const out = await Deno.makeTempDir();
    try {
      const code = await main(["--preset", "ci-gate", "--backends", "wasm,webgpu", "--out", out, "--check", baseline]);
      assert.strictEqual(code, 0);
      const dir = `${out}/ci-gate-seed1337-wasm-vs-webgpu`;
      const comparison = comparisonSchema.parse(JSON.parse(await Deno.readTextFile(`${dir}/comparison.json`)));
      assert.strictEqual(comparison.parity.length, 8, "2 cells × 2 weight sources × 2 backends");
      for (const row of comparison.parity) {
        assert.strictEqual(row.note, null, `${row.cell} ${row.weightsFrom} on ${row.runOn}: ${row.note}`);
        assert.ok(row.maxRelativeDifference! < 1e-4, `${row.cell}: relative difference ${row.maxRelativeDifference}`);
      }
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
);
