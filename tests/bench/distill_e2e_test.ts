/**
 * The distilled stage end to end on synthface-ci under 30% label noise: mobilefacenet_tiny × softmax from scratch
 * and self-distilled from a teacher of the same architecture trained first in the run (every distillation term),
 * one epoch each (batch 64, 18 iterations). The teacher, trained with the cell's seed on the same noisy labels, is
 * exactly the scratch row's model; the report records its hash, the label noise and the distillation comparison.
 */
import assert from "node:assert";
import { main } from "../../src/cli/bench.ts";
import { readReport } from "../../src/report/write.ts";

Deno.test({
  name: "distill: self-distillation under label noise, teacher hash and noise in the report",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const gate = JSON.parse(
        await Deno.readTextFile(new URL("../../benchmarks/presets/ci-gate.json", import.meta.url)),
      );
      const preset = {
        ...gate,
        $schema: undefined,
        name: "distill-test",
        heads: ["softmax"],
        train: { ...gate.train, batchSize: 64 },
        data: { labelNoise: { fraction: 0.3 } },
        distill: {
          teacher: {},
          terms: { softTargets: {}, embedding: { metric: "cosine" }, relational: { weight: 1 } },
        },
        stages: ["scratch", "distilled"],
      };
      await Deno.writeTextFile(`${dir}/distill-test.json`, JSON.stringify(preset));
      assert.strictEqual(await main(["--preset", `${dir}/distill-test.json`, "--out", dir]), 0);
      const [run] = [...Deno.readDirSync(dir)].filter((e) => e.isDirectory).map((e) => e.name);
      const report = await readReport(`${dir}/${run}/report.json`);
      assert.ok(report.cells.every((c) => c.error === null), report.cells.map((c) => c.error).join("; "));
      const [scratch, distilled] = report.cells;
      assert.deepStrictEqual(report.cells.map((c) => c.stage), ["scratch", "distilled"]);
      assert.strictEqual(scratch.teacher, undefined);
      assert.deepStrictEqual(distilled.teacher, {
        backbone: "mobilefacenet_tiny",
        head: "softmax",
        checkpoint: null,
        steps: 18,
        weightHash: scratch.weightHash,
      });
      assert.strictEqual(distilled.steps, scratch.steps);
      assert.notStrictEqual(distilled.weightHash, scratch.weightHash);
      assert.deepStrictEqual(report.environment.dataset.labelNoise, {
        fraction: 0.3,
        to: "random",
        seed: 0,
        flipped: 360,
      });
      const comparison = report.statistics!.comparisons.find((c) => c.purpose === "distillation");
      assert.deepStrictEqual(
        comparison && [comparison.a, comparison.b],
        ["mobilefacenet_tiny/softmax@distilled", "mobilefacenet_tiny/softmax"],
      );
      const md = await Deno.readTextFile(`${dir}/${run}/report.md`);
      assert.ok(md.includes("| label noise | 360 training labels (30.00%) flipped to random other identities"), md);
      assert.ok(md.includes("distilled (teacher mobilefacenet_tiny × softmax, trained first, 18 steps"), md);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
