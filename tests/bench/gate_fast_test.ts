/**
 * The relaxed-SIMD build's gate: the `ci-gate` preset trained with `--mode fast` must reproduce
 * fixtures/baselines/ci-gate.wasm-fast.json, final-weight hashes included (recorded on an Intel Xeon with AVX-512).
 * The fast build's multiply-add is fused wherever V8 emits an FMA instruction (x86-64 with FMA3, arm64), and a fused
 * multiply-add rounds exactly once, so the hashes must agree across all such CPUs; every CI machine this runs on
 * checks that claim again. Ignored where the multiply-add is not fused (rows are then labelled wasm-fast-unfused and
 * no hash is expected to match).
 */
import assert from "node:assert";
import { WasmBackend } from "../../src/backends/wasm/backend.ts";
import { main } from "../../src/cli/bench.ts";
import { readReport } from "../../src/report/write.ts";

const baseline = new URL("../../fixtures/baselines/ci-gate.wasm-fast.json", import.meta.url).pathname;

/** Whether this CPU runs the fast build's multiply-add fused. */
async function fastBuildIsFused(): Promise<boolean> {
  const backend = await WasmBackend.create({ threads: 1, mode: "fast" });
  try {
    return backend.info().details.multiplyAdd === "fused";
  } finally {
    backend.destroy();
  }
}

Deno.test({
  name: "gate: ci-gate on the fast build (fused multiply-add) reproduces its baseline's weight hashes on this CPU",
  ignore: !(await fastBuildIsFused()),
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const out = await Deno.makeTempDir();
    try {
      assert.strictEqual(await main(["--preset", "ci-gate", "--mode", "fast", "--out", out, "--check", baseline]), 0);
      const [runDir] = [...Deno.readDirSync(out)].map((e) => e.name);
      const report = await readReport(`${out}/${runDir}/report.json`);
      const expected = await readReport(baseline);
      // The check above compares hashes only between rows of the same label and thread count: say that it did.
      const rowsOf = (r: typeof report) => r.cells.map((c) => [c.backend, c.threads, c.weightHash]);
      assert.deepStrictEqual(rowsOf(report), rowsOf(expected));
      assert.ok(report.cells.every((c) => c.backend === "wasm-fast"));
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});
