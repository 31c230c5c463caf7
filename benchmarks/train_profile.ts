/**
 * Where a WASM training step spends its time, per backbone family (issue 22: which families train slowest per MAC,
 * and why; issue 17's per-op profile). For each selected full-size backbone: one warm-up training step (forward,
 * ArcFace over 1,000 classes, loss, backward, SGD — the throughput section's step), then `--steps` timed steps with
 * every kernel call timed (`KernelProfile`); prints the step time, the forward MACs of the batch, milliseconds per
 * forward GMAC (a training step costs about three forwards, so families are compared on the same footing), and the
 * kernels that took most of the step.
 *
 * ```sh
 * deno run -A benchmarks/train_profile.ts [--backbones 'ir_50,mobilefacenet,…' (globs; default: the first full
 *   preset of every family)] [--batch 4] [--threads 2] [--steps 1] [--top 4] [--winograd auto|2x2|off]
 *   [--by-shape] [--by-layer] [--infer] [--phases]
 * ```
 *
 * `--infer` profiles the eval-mode forward (the throughput section's inference step) instead of the training step,
 * after two untimed forwards (the wasm backend keeps a weight's packing from its second eval call on).
 *
 * `--phases` also lists the WASM module exports the kernels called (the phases inside a kernel: `winograd_filter`,
 * `conv2d_winograd`, `sum_partials`, …) with their calls and milliseconds per step.
 *
 * `--by-shape` splits the convolution kernels by filter size, grouping and stride (`conv2d 1×1`,
 * `conv2d_grad_weight 3×3 depthwise s2`, …) and lists every kernel with its calls and milliseconds per step below
 * the table. `--by-layer` also splits them by layer (forward output map and channels: `conv2d 3×3 14×14 256→256`).
 *
 * Times are wall clock on a shared machine: compare families only within one run, and name the CPU with them.
 */
import { createBackend } from "../src/backends/registry.ts";
import { WINOGRAD_CHOICES } from "../src/backends/wasm/kernels/linalg.ts";
import { benchSteps } from "../src/bench/bench_steps.ts";
import {
  convolutionDetail,
  convolutionLayerDetail,
  KernelProfile,
  type KernelTiming,
} from "../src/core/kernel_profile.ts";
import { backboneCost } from "../src/models/flops.ts";
import { backbones } from "../src/models/mod.ts";
import { FAMILY_OPTIONS, selectFamilies } from "./_families.ts";
import { benchArgs, count, oneOf } from "./_args.ts";

const values = benchArgs(
  {
    ...FAMILY_OPTIONS,
    steps: { type: "string", default: "1" },
    top: { type: "string", default: "4" },
    winograd: { type: "string", default: "auto" },
    "by-shape": { type: "boolean", default: false },
    "by-layer": { type: "boolean", default: false },
    infer: { type: "boolean", default: false },
    phases: { type: "boolean", default: false },
  },
  "Usage: deno run -A benchmarks/train_profile.ts [--backbones 'ir_50,mobilefacenet,…' (globs)] [--batch 4]\n" +
    "         [--threads 2] [--steps 1] [--top 4] [--winograd auto|2x2|off] [--by-shape] [--by-layer]\n" +
    "         [--infer] [--phases]",
);
const [batchSize, threads] = [count(values.batch, "--batch"), count(values.threads, "--threads")];
const [steps, top] = [count(values.steps, "--steps"), count(values.top, "--top")];
const winograd = oneOf(values.winograd, "--winograd", WINOGRAD_CHOICES);

const names = selectFamilies(values.backbones);
const detail = values["by-layer"] ? convolutionLayerDetail : values["by-shape"] ? convolutionDetail : undefined;
/** Per backbone, every kernel's timings (`--by-shape`, `--by-layer`) or every module export's (`--phases`). */
const details: { name: string; stepMs: number; title: string; timings: KernelTiming[] }[] = [];

console.log(`| backbone | fwd GMACs / batch | step ms | ms / fwd GMAC | top kernels (share of the step) |`);
console.log(`| --- | ---: | ---: | ---: | --- |`);
for (const name of names) {
  const profile = new KernelProfile(undefined, detail);
  const backend = await createBackend("wasm", { threads, profile, winograd });
  try {
    const bench = benchSteps(backend, name, {
      seed: 1337,
      batchSize,
      optimizer: { momentum: 0.9, nesterov: false, weightDecay: 5e-4 },
    });
    const step = values.infer ? bench.infer : bench.train;
    // an eval forward keeps its weight packings from its second call on (packed_cache.ts): time the steady state
    for (let i = values.infer ? 2 : 1; i > 0; i--) await step();
    profile.reset();
    const start = performance.now();
    for (let i = 0; i < steps; i++) await step();
    const stepMs = (performance.now() - start) / steps;
    const gmacs = (backboneCost(backbones.get(name)).macs * batchSize) / 1e9;
    const timings = profile.timings();
    const kernels = timings.slice(0, top).map((t) =>
      `${t.kernel} ${(100 * t.milliseconds / (stepMs * steps)).toFixed(0)}%`
    );
    console.log(
      `| ${name} | ${gmacs.toFixed(2)} | ${stepMs.toFixed(0)} | ${(stepMs / gmacs).toFixed(0)} | ${
        kernels.join(", ")
      } |`,
    );
    if (detail) details.push({ name, stepMs, title: "kernel", timings });
    if (values.phases) details.push({ name, stepMs, title: "module export", timings: profile.phaseTimings() });
  } catch (error) {
    console.log(`| ${name} | – | – | – | failed: ${(error as Error).message} |`);
  } finally {
    backend.destroy();
  }
}
for (const { name, stepMs, title, timings } of details) {
  console.log(`\n${name}, ${values.infer ? "eval forward" : "training step"} (${stepMs.toFixed(1)} ms per step):\n`);
  console.log(`| ${title} | calls per step | ms per step | share |`);
  console.log(`| --- | ---: | ---: | ---: |`);
  for (const t of timings) {
    const ms = t.milliseconds / steps;
    console.log(`| ${t.kernel} | ${t.calls / steps} | ${ms.toFixed(2)} | ${(100 * ms / stepMs).toFixed(1)}% |`);
  }
}
