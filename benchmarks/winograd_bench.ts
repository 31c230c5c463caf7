/**
 * The wasm backend's 3×3 convolution algorithms compared in one run (issue 17): im2col + SGEMM ("off"),
 * F(2×2, 3×3) everywhere ("2x2", the choice before F(4×4, 3×3) existed) and the default ("auto": F(4×4, 3×3) where
 * both channel counts are at least 64, each Winograd form only on calls with at least 32 tiles of its size). For each of IR-50's stride-1 3×3 layer shapes at `--batch`: milliseconds of
 * the forward, the input gradient and the filter gradient per algorithm (variants interleaved round by round, the
 * order reversed every other round; medians), and the max relative error of each against a float64 reference on one
 * image (|got − exact| / max(1, max |exact|), as the op tests measure it). Then IR-50's four stride-2 3×3 layers in
 * eval mode (the filter marked reused, as an eval-mode `Conv2d` does): the forward under "off" (im2col) and "auto"
 * (the stride-2 form of F(4×4, 3×3), eval only), milliseconds and errors alike. Then IR-50 training steps (forward,
 * ArcFace over 1,000 classes, backward, SGD: the throughput section's step) per algorithm, interleaved the same way.
 *
 * ```sh
 * deno run -A benchmarks/winograd_bench.ts [--batch 8] [--threads 1,2] [--rounds 5] [--steps-rounds 3] [--no-step]
 * ```
 *
 * A script, not a `deno bench` file: it prints Markdown tables. Name the CPU with its figures.
 */
import type { Backend } from "../src/core/backend.ts";
import { ReferenceBackend } from "../src/backends/reference/backend.ts";
import { WasmBackend } from "../src/backends/wasm/backend.ts";
import type { WinogradChoice } from "../src/backends/wasm/kernels/linalg.ts";
import { benchSteps } from "../src/bench/bench_steps.ts";
import { Rng } from "../src/core/rng.ts";
import { scope } from "../src/core/scope.ts";
import type { Tensor } from "../src/core/tensor.ts";
import { conv2d, conv2dAttrs, conv2dGradInput, conv2dGradWeight } from "../src/ops/mod.ts";
import { cpuModel } from "../src/report/environment.ts";
import { interleave, median, randomTensor } from "./_sampling.ts";
import { relativeError } from "../tests/_util/op_case.ts";
import { benchArgs, count, counts } from "./_args.ts";

const values = benchArgs(
  {
    batch: { type: "string", default: "8" },
    threads: { type: "string", default: "1,2" },
    rounds: { type: "string", default: "5" },
    "steps-rounds": { type: "string", default: "3" },
    "no-step": { type: "boolean", default: false },
  },
  "Usage: deno run -A benchmarks/winograd_bench.ts [--batch 8] [--threads 1,2] [--rounds 5] [--steps-rounds 3]\n" +
    "         [--no-step]",
);
const batch = count(values.batch, "--batch");
const threadCounts = counts(values.threads, "--threads");
const rounds = count(values.rounds, "--rounds");

/** IR-50's stride-1 3×3 convolutions (face.evoLVe): input map size, input and output channels. */
const LAYERS = [
  { size: 112, c: 64, o: 64 },
  { size: 56, c: 64, o: 64 },
  { size: 56, c: 64, o: 128 },
  { size: 28, c: 128, o: 128 },
  { size: 28, c: 128, o: 256 },
  { size: 14, c: 256, o: 256 },
  { size: 14, c: 256, o: 512 },
  { size: 7, c: 512, o: 512 },
];
/** IR-50's stride-2 3×3 convolutions (the first unit of each stage): input map size, channels in and out. */
const STRIDED_LAYERS = [
  { size: 112, c: 64 },
  { size: 56, c: 128 },
  { size: 28, c: 256 },
  { size: 14, c: 512 },
];
const CHOICES: WinogradChoice[] = ["off", "2x2", "auto"];
const PASSES = ["forward", "input gradient", "filter gradient"] as const;
/** The float64 reference the errors are measured against. */
const exact = new ReferenceBackend({ precision: "f64" });

/**
 * The three passes of a padded 3×3 layer as closures over fixed random tensors on `backend`. The filter counts as
 * written before each forward and input gradient, as after a training step, so every call transforms and packs it (the
 * wasm backend otherwise keeps the packing of an unchanged filter from the third call, an eval-mode saving).
 */
function layerPasses(backend: Backend, layer: (typeof LAYERS)[number], n: number, rng: Rng): (() => Tensor)[] {
  const { size, c, o } = layer;
  const x = randomTensor(rng, backend, [n, size, size, c]);
  const w = randomTensor(rng, backend, [3, 3, c, o]);
  const dy = randomTensor(rng, backend, [n, size, size, o]);
  const attrs = conv2dAttrs({ padding: 1 });
  return [
    () => (w.markWritten(), conv2d(x, w, { padding: 1 })),
    () => (w.markWritten(), conv2dGradInput(dy, w, x.shape, attrs)),
    () => conv2dGradWeight(x, dy, w.shape, attrs),
  ];
}

/** Per layer and pass, each algorithm's max relative error against float64 on one image. */
async function accuracyTable(backends: Map<WinogradChoice, Backend>): Promise<void> {
  console.log(`\n| layer (1 image) | pass | ${CHOICES.map((c) => `${c} max rel. error`).join(" | ")} |`);
  console.log(`| --- | --- | ${CHOICES.map(() => "---:").join(" | ")} |`);
  for (const layer of LAYERS) {
    const want = await Promise.all(
      layerPasses(exact, layer, 1, new Rng(7, "winograd-accuracy")).map((p) => p().read()),
    );
    const errors = await Promise.all(CHOICES.map(async (choice) => {
      const passes = layerPasses(backends.get(choice)!, layer, 1, new Rng(7, "winograd-accuracy"));
      return await Promise.all(passes.map(async (p, k) => relativeError(await scope(() => p()).read(), want[k])));
    }));
    PASSES.forEach((pass, k) => {
      const cells = errors.map((e) => e[k].toExponential(1)).join(" | ");
      console.log(`| ${layer.size}×${layer.size} ${layer.c}→${layer.o} | ${pass} | ${cells} |`);
    });
  }
}

/** Per layer and pass, each algorithm's median milliseconds (interleaved) at `threads`. */
function speedTable(backends: Map<WinogradChoice, Backend>, threads: number): void {
  console.log(
    `\n| layer, batch ${batch}, ${threads} thread(s) | pass | ${CHOICES.map((c) => `${c} ms`).join(" | ")} |`,
  );
  console.log(`| --- | --- | ${CHOICES.map(() => "---:").join(" | ")} |`);
  for (const layer of LAYERS) {
    const passes = CHOICES.map((choice) => layerPasses(backends.get(choice)!, layer, batch, new Rng(3, "bench")));
    PASSES.forEach((pass, k) => {
      const ms = interleave(
        CHOICES.map((choice, i) => ({ label: choice, run: () => scope(() => void passes[i][k]()) })),
        rounds,
        0,
        1,
      );
      console.log(
        `| ${layer.size}×${layer.size} ${layer.c}→${layer.o} | ${pass} | ${ms.map((m) => m.toFixed(1)).join(" | ")} |`,
      );
    });
  }
}

/**
 * Per stride-2 layer, the eval-mode forward (filter marked reused, its packing kept after the second call) under "off"
 * (im2col; "2x2" is the same for these layers) and "auto" (the stride-2 form of F(4×4, 3×3)): median milliseconds at
 * `threads`, interleaved, and, when `errors`, each one's max relative error against float64 on one image.
 */
async function stridedTable(backends: Map<WinogradChoice, Backend>, threads: number, errors: boolean): Promise<void> {
  const choices: WinogradChoice[] = ["off", "auto"];
  const forward = (backend: Backend, layer: (typeof STRIDED_LAYERS)[number], n: number, rng: Rng) => {
    const x = randomTensor(rng, backend, [n, layer.size, layer.size, layer.c]);
    const w = randomTensor(rng, backend, [3, 3, layer.c, layer.c]);
    return () => conv2d(x, w, { padding: 1, stride: 2, filterReused: true });
  };
  const errorHead = errors ? " | off max rel. error | auto max rel. error" : "";
  console.log(`
| stride-2 layer, eval forward, batch ${batch}, ${threads} thread(s) | off ms | auto ms${errorHead} |`);
  console.log(`| --- | ---: | ---: |${errors ? " ---: | ---: |" : ""}`);
  for (const layer of STRIDED_LAYERS) {
    const runs = choices.map((choice) => forward(backends.get(choice)!, layer, batch, new Rng(3, "bench")));
    // a reused filter's packing is kept from its second call: with interleave's own warm-up run, time the steady state
    for (const run of runs) scope(() => void run());
    const ms = interleave(
      choices.map((choice, i) => ({ label: choice, run: () => scope(() => void runs[i]()) })),
      rounds,
      0,
      1,
    );
    let cells = ms.map((m) => m.toFixed(1)).join(" | ");
    if (errors) {
      const want = await forward(exact, layer, 1, new Rng(7, "winograd-accuracy"))().read();
      for (const choice of choices) {
        const got = await scope(() => forward(backends.get(choice)!, layer, 1, new Rng(7, "winograd-accuracy"))())
          .read();
        cells += ` | ${relativeError(got, want).toExponential(1)}`;
      }
    }
    console.log(`| ${layer.size}×${layer.size} ${layer.c}→${layer.c} s2 | ${cells} |`);
  }
}

/** IR-50 training steps per algorithm at `threads`, interleaved: median img/s. */
async function stepTable(backends: Map<WinogradChoice, Backend>, threads: number): Promise<void> {
  const optimizer = { momentum: 0.9, nesterov: false, weightDecay: 5e-4 };
  const models = CHOICES.map((choice) =>
    benchSteps(backends.get(choice)!, "ir_50", { seed: 1337, batchSize: batch, optimizer })
  );
  for (const m of models) await m.train();
  const times: number[][] = CHOICES.map(() => []);
  for (let r = 0; r < count(values["steps-rounds"], "--steps-rounds"); r++) {
    const order = CHOICES.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const i of order) {
      const start = performance.now();
      await models[i].train();
      times[i].push(performance.now() - start);
    }
  }
  for (const m of models) m.dispose();
  const rates = times.map((ts) => (batch / median(ts)) * 1000);
  const cells = rates.map((r) => r.toFixed(2)).join(" | ");
  console.log(`| ir_50 b${batch} | ${threads} | ${cells} | ${(rates[2] / rates[1]).toFixed(2)}× |`);
}

console.log(`CPU: ${await cpuModel()}, Deno ${Deno.version.deno}, wasm deterministic build`);
const stepRows: (() => Promise<void>)[] = [];
for (const threads of threadCounts) {
  const backends = new Map<WinogradChoice, Backend>();
  for (const choice of CHOICES) backends.set(choice, await WasmBackend.create({ threads, winograd: choice }));
  if (threads === threadCounts[0]) await accuracyTable(backends);
  speedTable(backends, threads);
  await stridedTable(backends, threads, threads === threadCounts[0]);
  if (!values["no-step"]) stepRows.push(() => stepTable(backends, threads));
  else for (const b of backends.values()) b.destroy();
}
if (stepRows.length) {
  console.log(`\n| training step | threads | ${CHOICES.map((c) => `${c} img/s`).join(" | ")} | auto ÷ 2x2 |`);
  console.log(`| --- | --- | ${CHOICES.map(() => "---:").join(" | ")} | ---: |`);
  for (const row of stepRows) await row();
}
Deno.exit(0);
