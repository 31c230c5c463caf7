/**
 * Inference speed of the engine's WASM backend against onnxruntime-web's WASM backend on the same model: each
 * selected backbone preset is built with seeded weights, exported with the project's exporter (opset 17, NCHW,
 * BatchNorm kept), and the same random inputs are run through the engine's eval-mode forward
 * (`createBackend("wasm", { threads })`, output read back to the host) and through onnxruntime-web 1.30 (WASM EP,
 * `ort.env.wasm.numThreads`, in a worker per thread count since its thread pool is global), at each batch size and
 * thread count. After warm-up the two runtimes alternate in bursts: each round waits `--settle` milliseconds idle, runs
 * one engine once untimed (its thread pool wakes) and `--burst` times timed, then waits and does the same with the
 * other; each row is the median of the timed runs. Bursts and the pause measure each runtime with the cores to itself:
 * alternating single runs had each one start while the other's threads were still spinning down, which halved the
 * engine's 2-thread batch-1 speed (34 against 74 img/s alone), and without the pause the engine's first two runs after
 * an onnxruntime-web burst still took about twice their time (MobileFaceNet batch 1, two threads: 15.6 and 13.1 ms,
 * then 6.7–7.7; with a 50 ms pause 7.0 and 7.1), while onnxruntime-web's runs after the engine's were unaffected.
 * After each row's rounds, PyTorch CPU (Debian's python3-torch, `tools/torch_train_bench.py --infer`, a fresh
 * process) times the same backbone's eval-mode forward at the same batch and thread count (`--steps` = rounds × burst
 * timed forwards; MobileFaceNet, IR-50 and ViT-T only), once per `--peer-isa` setting: with its CPU's instruction
 * sets (`native`, the default) and/or capped at AVX2 (`avx2`); the instruction sets PyTorch reported follow the table.
 * Prints the CPU model and one Markdown row per backbone × batch × threads: img/s of the three and the ratios
 * engine/ORT and engine/PyTorch (≥ 1 means the engine is at least as fast).
 *
 * `deno run -A benchmarks/onnx_speed.ts [--backbones mobilefacenet,ir_50 (preset names, or registry globs/tags)] [--batches 1,16] [--threads 1,2]
 * [--warmup 2] [--runs 5 (rounds)] [--burst 3] [--settle 50 (ms idle before each burst)] [--fast (the engine's
 * relaxed-SIMD build)] [--peer-isa native,avx2]`
 * @module
 */
import { RecordingBackend } from "../src/backends/recording/backend.ts";
import { createBackend } from "../src/backends/registry.ts";
import { Rng } from "../src/core/rng.ts";
import { scope } from "../src/core/scope.ts";
import { noGrad } from "../src/core/tape.ts";
import { backbones } from "../src/models/mod.ts";
import { exportBackboneOnnx } from "../src/models/onnx/export.ts";
import { nhwcToNchw } from "../src/models/onnx/parity.ts";
import { tensor } from "../src/ops/mod.ts";
import { cpuModel } from "../src/report/environment.ts";
import { benchArgs, count, counts, someOf, usageError } from "./_args.ts";
import { median } from "./_sampling.ts";
import { OrtWorker } from "./_ort_runner.ts";
import { PEER_ISAS, printPeerIsas, pytorchRates, TORCH_MODELS } from "./_torch_peer.ts";

const USAGE = "Usage: deno run -A benchmarks/onnx_speed.ts [--backbones mobilefacenet,ir_50] [--batches 1,16]\n" +
  "         [--threads 1,2] [--warmup 2] [--runs 5] [--burst 3] [--settle 50] [--fast] [--peer-isa native,avx2]\n" +
  "  --backbones takes preset names, or registry globs and tags; --runs counts rounds.";
const values = benchArgs({
  backbones: { type: "string", default: "mobilefacenet,ir_50" },
  batches: { type: "string", default: "1,16" },
  threads: { type: "string", default: "1,2" },
  warmup: { type: "string", default: "2" },
  runs: { type: "string", default: "5" },
  burst: { type: "string", default: "3" },
  settle: { type: "string", default: "50" },
  fast: { type: "boolean", default: false },
  "peer-isa": { type: "string", default: "native" },
}, USAGE);
const batches = counts(values.batches, "--batches"), threadCounts = counts(values.threads, "--threads");
const warmup = count(values.warmup, "--warmup", 0), runs = count(values.runs, "--runs");
const burst = count(values.burst, "--burst"), settleMs = count(values.settle, "--settle", 0);
const peerIsas = someOf(values["peer-isa"], "--peer-isa", PEER_ISAS);
/** Waits `settleMs` idle, so the runtime that ran last has gone quiet before the next burst. */
const settle = () => new Promise((resolve) => setTimeout(resolve, settleMs));
// a registered preset name selects that preset only; anything else is a registry glob or tag
const selected = values.backbones.split(",").map((v) => v.trim()).flatMap((name) => {
  const exact = backbones.list().filter((e) => e.name === name);
  return exact.length > 0 ? exact : backbones.list(name);
});
if (selected.length === 0) usageError(`--backbones ${values.backbones} matches no registered backbone`);

const INIT_SEED = 1;

/** The exported ONNX bytes of `name` with the seeded weights every engine model of the run also gets. */
async function exported(name: string): Promise<Uint8Array> {
  await using inner = await createBackend("wasm", { threads: 1 });
  const backend = new RecordingBackend(inner);
  const model = backbones.get(name).create({}, { backend, rng: new Rng(INIT_SEED, "init") });
  try {
    return (await exportBackboneOnnx(model, backend, name)).bytes;
  } finally {
    model.dispose();
  }
}

const ort = new Map(threadCounts.map((t) => [t, new OrtWorker(t)]));
console.log(`CPU: ${await cpuModel() ?? "unknown"} (${navigator.hardwareConcurrency} logical cores)`);
if (values.fast) console.log("engine: the relaxed-SIMD build (--fast)");
console.log(
  `warm-up ${warmup}, ${runs} rounds of ${settleMs} ms idle, 1 untimed + ${burst} timed runs per runtime, alternating; ` +
    "median of the timed runs",
);
console.log(
  "| backbone | batch | threads | engine img/s | onnxruntime-web img/s | " +
    peerIsas.map((isa) => `PyTorch (${isa}) img/s`).join(" | ") + " | engine / ORT | " +
    peerIsas.map((isa) => `engine / PyTorch (${isa})`).join(" | ") + " |",
);
console.log(`|---|---|---|---|---${"|---".repeat(2 * peerIsas.length)}|---|`);
try {
  for (const entry of selected) {
    const onnx = await exported(entry.name);
    for (const threads of threadCounts) {
      await using backend = await createBackend("wasm", { threads, mode: values.fast ? "fast" : undefined });
      const model = backbones.get(entry.name).create({}, { backend, rng: new Rng(INIT_SEED, "init") });
      model.eval();
      try {
        for (const batch of batches) {
          const size = model.inputSize, shape = [batch, size, size, 3];
          const rng = new Rng(2, "input");
          const host = Float32Array.from({ length: batch * size * size * 3 }, () => rng.uniform(-1, 1));
          const x = tensor(backend, host, shape);
          const engineRun = async () => {
            const start = performance.now();
            const out = noGrad(() => scope(() => model.forward(x)));
            await out.read();
            out.dispose();
            return performance.now() - start;
          };
          const runner = ort.get(threads)!;
          await runner.load(onnx, nhwcToNchw(host, shape), [batch, 3, size, size]);
          const engineMs: number[] = [], ortMs: number[] = [];
          for (let k = 0; k < warmup; k++) (await engineRun(), await runner.run());
          for (let round = 0; round < runs; round++) {
            await settle();
            await engineRun();
            for (let k = 0; k < burst; k++) engineMs.push(await engineRun());
            await settle();
            await runner.run();
            for (let k = 0; k < burst; k++) ortMs.push(await runner.run());
          }
          x.dispose();
          const [engine, onnxRt] = [batch / (median(engineMs) / 1000), batch / (median(ortMs) / 1000)];
          const torch = peerIsas.map((isa) =>
            TORCH_MODELS.includes(entry.name)
              ? pytorchRates(threads, runs * burst, [entry.name], { kind: "infer", batch }, isa)
                ?.[entry.name]
              : undefined
          );
          console.log(
            `| ${entry.name} | ${batch} | ${threads} | ${engine.toFixed(1)} | ${onnxRt.toFixed(1)} | ` +
              torch.map((rate) => rate?.toFixed(1) ?? "–").join(" | ") + ` | ${(engine / onnxRt).toFixed(2)} | ` +
              torch.map((rate) => rate ? (engine / rate).toFixed(2) : "–").join(" | ") + " |",
          );
        }
      } finally {
        model.dispose();
      }
    }
  }
} finally {
  for (const worker of ort.values()) worker.close();
}
printPeerIsas();
