/**
 * A preset's `onnxReferences`, end to end: a one-cell bench run (seed 0) lists an exported `mobilefacenet_tiny` at its
 * seed-0 initialisation as the reference row "onnx:tiny", evaluated in onnxruntime-web on the same pairs as the cell;
 * it scores as the run's own "untrained:mobilefacenet_tiny" row (the same weights through the engine), and has its
 * interval in the statistics.
 */
import assert from "node:assert";
import { runBench } from "../../src/bench/run.ts";
import { parseBenchArgs } from "../../src/cli/bench_args.ts";
import { exportToFile } from "../../src/cli/export.ts";
import { withTempDir } from "../_util/temp_files.ts";

Deno.test("bench: a preset's onnxReferences become onnx:NAME reference rows next to the cells", async () => {
  await withTempDir(async (dir) => {
    await exportToFile({ backbone: "mobilefacenet_tiny", out: `${dir}/tiny.onnx` });
    const preset = {
      name: "onnx-references",
      description: "mobilefacenet_tiny × softmax, one epoch on synthface-ci, with an external ONNX reference row",
      dataset: "synthface-ci",
      backbones: ["mobilefacenet_tiny"],
      heads: ["softmax"],
      threads: 1,
      seed: 0,
      train: { epochs: 1, batchSize: 32, schedule: { kind: "multistep", lr: 0.1, warmupEpochs: 0.25 } },
      onnxReferences: [{ name: "tiny", path: `${dir}/tiny.onnx` }],
    };
    await Deno.writeTextFile(`${dir}/preset.json`, JSON.stringify(preset));
    const args = ["--preset", `${dir}/preset.json`, "--out", `${dir}/reports`, "--no-throughput"];
    const [report] = (await runBench(parseBenchArgs(args))).reports;
    assert.strictEqual(report.cells[0].error, null);
    const onnx = report.references.find((r) => r.kind === "onnx")!;
    const untrained = report.references.find((r) => r.kind === "untrained")!;
    assert.deepStrictEqual([onnx.backbone, onnx.seed, untrained.seed], ["tiny", null, 0]);
    const pairs = report.evaluation!.same.length;
    assert.ok(Math.abs(onnx.metrics.accuracyMean - untrained.metrics.accuracyMean) <= 2 / pairs);
    assert.ok(
      Math.abs(onnx.metrics.auc - untrained.metrics.auc) <= 1e-3,
      `${onnx.metrics.auc} ${untrained.metrics.auc}`,
    );
    assert.strictEqual(onnx.metrics.rank1, untrained.metrics.rank1);
    const keys = report.statistics!.references.map((r) => r.key);
    assert.deepStrictEqual(keys.sort(), ["onnx:tiny", "raw_pixels", "untrained:mobilefacenet_tiny"]);
  });
});
