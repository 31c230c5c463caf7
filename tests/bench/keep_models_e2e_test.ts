/**
 * `deno task bench --keep-models`, end to end: a one-cell run keeps the cell's final backbone in its report folder
 * under the name the row records (the journal's staging folder is gone afterwards), and that file exports to ONNX
 * through the export command's function with parity to the backbone loaded from it.
 */
import assert from "node:assert";
import * as ort from "onnxruntime-web";
import { runBench } from "../../src/bench/run.ts";
import { RecordingBackend } from "../../src/backends/recording/backend.ts";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { parseBenchArgs } from "../../src/cli/bench_args.ts";
import { exportToFile } from "../../src/cli/export.ts";
import { Rng } from "../../src/core/rng.ts";
import { backbones } from "../../src/models/mod.ts";
import { ONNX_PARITY_TOLERANCE, onnxParity } from "../../src/models/onnx/parity.ts";
import { restoreTensors } from "../../src/train/checkpoint.ts";
import { decodeSafetensors } from "../../src/train/safetensors.ts";
import { withTempDir } from "../_util/temp_files.ts";

ort.env.wasm.numThreads = 1;

const preset = {
  name: "keep-models",
  description: "mobilefacenet_tiny × softmax, one epoch on synthface-ci",
  dataset: "synthface-ci",
  backbones: ["mobilefacenet_tiny"],
  heads: ["softmax"],
  threads: 1,
  train: { epochs: 1, batchSize: 32, schedule: { kind: "multistep", lr: 0.1, warmupEpochs: 0.25 } },
};

Deno.test("bench --keep-models keeps the trained backbone in the report folder, and it exports to ONNX", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/preset.json`, JSON.stringify(preset));
    const args = ["--preset", `${dir}/preset.json`, "--out", `${dir}/reports`, "--no-throughput", "--keep-models"];
    const [report] = (await runBench(parseBenchArgs(args))).reports;
    const [cell] = report.cells;
    assert.strictEqual(cell.error, null);
    assert.strictEqual(cell.model, `models/mobilefacenet_tiny__softmax__scratch__seed${cell.seed}.safetensors`);
    const file = `${dir}/reports/${report.run.id}/${cell.model}`;
    await assert.rejects(() => Deno.stat(`${dir}/reports/.resume`), Deno.errors.NotFound);

    await exportToFile({ backbone: "mobilefacenet_tiny", checkpoint: file, out: `${dir}/model.onnx` });
    const backend = new RecordingBackend(new ReferenceBackend());
    const trained = backbones.get("mobilefacenet_tiny").create({}, { backend, rng: new Rng(0, "init") });
    const untrained = await onnxParity(await Deno.readFile(`${dir}/model.onnx`), trained, 2, new Rng(1, "input"));
    const { tensors } = decodeSafetensors(await Deno.readFile(file), file);
    restoreTensors([...trained.state()].map(([path, tensor]) => ({ path: `backbone.${path}`, tensor })), tensors, file);
    const parity = await onnxParity(await Deno.readFile(`${dir}/model.onnx`), trained, 2, new Rng(1, "input"));
    assert.ok(parity.relative <= ONNX_PARITY_TOLERANCE, `relative diff ${parity.relative}`);
    assert.ok(untrained.relative > 0.01, "the kept file holds the initial weights, not the trained ones");
    trained.dispose();
  });
});
