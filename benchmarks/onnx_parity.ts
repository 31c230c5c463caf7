/**
 * ONNX export parity of full-size backbone presets (the test suite covers the `tiny` ones): each selected preset is
 * built with seeded weights (BatchNorm statistics and per-channel vectors perturbed, as in the test), exported, run in
 * onnxruntime-web 1.30 (WASM EP, 1 thread) on seeded inputs at batch 2, and compared with the engine's eval-mode
 * forward on the chosen backend (default: reference, the oracle). Prints one Markdown row per preset: export time,
 * file size, nodes, max |diff|, output scale, relative diff and whether it is within the tolerance.
 *
 * `deno run -A benchmarks/onnx_parity.ts --backbones mobilefacenet,ir_50 [--backend reference|wasm] [--batch 2]`
 * (`--backbones` takes comma-separated registry globs; default `mobilefacenet,ir_50`). Exit code 1 when a preset
 * exceeds the tolerance.
 * @module
 */
import * as ort from "onnxruntime-web";
import { RecordingBackend } from "../src/backends/recording/backend.ts";
import { createBackend } from "../src/backends/registry.ts";
import { Rng } from "../src/core/rng.ts";
import { backbones } from "../src/models/mod.ts";
import { exportBackboneOnnx } from "../src/models/onnx/export.ts";
import { ONNX_PARITY_TOLERANCE, onnxParity, perturbState } from "../src/models/onnx/parity.ts";
import { benchArgs, count, usageError } from "./_args.ts";

const values = benchArgs(
  {
    backbones: { type: "string", default: "mobilefacenet,ir_50" },
    backend: { type: "string", default: "reference" },
    batch: { type: "string", default: "2" },
  },
  "Usage: deno run -A benchmarks/onnx_parity.ts [--backbones mobilefacenet,ir_50 (globs)] [--backend reference|wasm]\n" +
    "         [--batch 2]",
);
ort.env.wasm.numThreads = 1;
const batch = count(values.batch, "--batch");
const selected = values.backbones.split(",").flatMap((glob) => backbones.list(glob.trim()));
if (selected.length === 0) usageError(`--backbones ${values.backbones} matches no registered backbone`);

await using inner = await createBackend(values.backend);
const backend = new RecordingBackend(inner);
console.log(`engine backend: ${values.backend}; onnxruntime-web WASM EP, 1 thread; batch ${batch}`);
console.log("| backbone | export s | MiB | nodes | max abs diff | max abs output | relative | ≤ 1e-4 |");
console.log("|---|---|---|---|---|---|---|---|");
let failed = false;
for (const entry of selected) {
  const model = entry.create({}, { backend, rng: new Rng(1, "init") });
  await perturbState(model, new Rng(2, "perturb"));
  const start = performance.now();
  const exported = await exportBackboneOnnx(model, backend, entry.name);
  const seconds = (performance.now() - start) / 1000;
  const parity = await onnxParity(exported.bytes, model, batch, new Rng(3, "input"));
  const ok = parity.relative <= ONNX_PARITY_TOLERANCE;
  failed ||= !ok;
  console.log(
    `| ${entry.name} | ${seconds.toFixed(1)} | ${(exported.bytes.length / 2 ** 20).toFixed(1)} | ` +
      `${exported.opTypes.length} | ${parity.maxAbsDiff.toExponential(2)} | ${parity.maxAbs.toPrecision(4)} | ` +
      `${parity.relative.toExponential(2)} | ${ok ? "yes" : "NO"} |`,
  );
  model.dispose();
}
if (failed) Deno.exit(1);
