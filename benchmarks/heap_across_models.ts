/**
 * The WASM heap across models trained one after another on one backend, as a `deno task bench` run trains its cells
 * (issue 15): for each backbone in turn, `--steps` ArcFace training steps and one eval forward at the given batch
 * (the throughput section's steps, `benchSteps`, with the `quick` preset's optimizer), then everything freed. Prints,
 * after each model, the live bytes left (should return to what the backend held before the first model), the peak live
 * bytes so far, and the length of the linear memory (which never shrinks, and cannot pass 4 GiB). With an allocator
 * that cannot reuse one model's freed memory for another model's tensor sizes, the linear memory climbs model after
 * model until a step fails.
 *
 * ```sh
 * deno run -A benchmarks/heap_across_models.ts [--backbones vit_tiny,repvgg_tiny,swin_tiny,rexnet_tiny,resnest_tiny]
 *   [--batch 32] [--threads 1] [--steps 1]
 * ```
 */
import { createBackend } from "../src/backends/registry.ts";
import { benchSteps } from "../src/bench/bench_steps.ts";
import { loadPreset } from "../src/bench/presets.ts";
import { cpuModel, gitCommit } from "../src/report/environment.ts";
import { benchArgs, count } from "./_args.ts";

const values = benchArgs({
  backbones: { type: "string", default: "vit_tiny,repvgg_tiny,swin_tiny,rexnet_tiny,resnest_tiny" },
  batch: { type: "string", default: "32" },
  threads: { type: "string", default: "1" },
  steps: { type: "string", default: "1" },
}, "Usage: deno run -A benchmarks/heap_across_models.ts [--backbones NAME,…] [--batch 32] [--threads 1] [--steps 1]");
const [batchSize, threads, steps] = [["batch", values.batch], ["threads", values.threads], ["steps", values.steps]]
  .map(([option, text]) => count(text, `--${option}`));
const names = values.backbones.split(",").map((n) => n.trim()).filter((n) => n !== "");

const { optimizer } = (await loadPreset("quick")).train;
const backend = await createBackend("wasm", { threads });
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
const linearMemory = () => backend.info().details.memoryBytes as number;
console.log(
  `CPU: ${await cpuModel()}, Deno ${Deno.version.deno}, commit ${(await gitCommit())?.slice(0, 7)}; WASM ` +
    `${threads} thread(s), batch ${batchSize}, ${steps} training step(s) + 1 eval forward per model`,
);
const before = backend.memory().liveBytes;
console.log(`\nlive before the first model: ${mib(before)} MiB; linear memory ${mib(linearMemory())} MiB\n`);
console.log("| backbone | live after freeing (MiB) | peak live so far (MiB) | linear memory (MiB) | outcome |");
console.log("| --- | ---: | ---: | ---: | --- |");
let failed = false;
for (const name of names) {
  let outcome = "ok";
  try {
    const model = benchSteps(backend, name, { seed: 1, batchSize, optimizer });
    for (let s = 0; s < steps; s++) await model.train();
    await model.infer();
    model.dispose();
  } catch (e) {
    outcome = `failed: ${e instanceof Error ? e.message : String(e)}`;
    failed = true;
  }
  const { liveBytes, peakBytes } = backend.memory();
  console.log(`| ${name} | ${mib(liveBytes)} | ${mib(peakBytes)} | ${mib(linearMemory())} | ${outcome} |`);
  if (failed) break;
}
backend.destroy();
if (failed) Deno.exit(1);
