/**
 * The throughput section of a report for every full-size family on WASM, measured alone (issue 22): the rows the
 * `standard` preset's throughput section produces (`runThroughput`: training and inference images/s of the ArcFace
 * step, each on a fresh backend, and that backend's peak memory), here for the first full-size preset of every
 * family (or `--backbones` globs) at a batch small enough to finish on a 2-core machine in minutes. Prints the CPU and
 * a Markdown table with each row's forward MACs and the forward GMAC/s its training step reaches.
 *
 * ```sh
 * deno run -A benchmarks/family_throughput.ts [--backbones 'ir_50,…' (globs)] [--batch 4] [--threads 2]
 *   [--warmup 1] [--steps 2]
 * ```
 *
 * Wall-clock times: run on idle cores, and compare rows only within one run.
 */
import { loadPreset } from "../src/bench/presets.ts";
import { runThroughput } from "../src/bench/run_throughput.ts";
import { backboneCost } from "../src/models/flops.ts";
import { backbones } from "../src/models/mod.ts";
import { cpuModel, gitCommit } from "../src/report/environment.ts";
import { FAMILY_OPTIONS, selectFamilies } from "./_families.ts";
import { benchArgs, count } from "./_args.ts";

const values = benchArgs(
  { ...FAMILY_OPTIONS, warmup: { type: "string", default: "1" }, steps: { type: "string", default: "2" } },
  "Usage: deno run -A benchmarks/family_throughput.ts [--backbones 'ir_50,…' (globs)] [--batch 4] [--threads 2]\n" +
    "         [--warmup 1] [--steps 2]",
);
const [batchSize, threads, timedSteps] = [
  count(values.batch, "--batch"),
  count(values.threads, "--threads"),
  count(values.steps, "--steps"),
];
const warmupSteps = count(values.warmup, "--warmup", 0);

const names = selectFamilies(values.backbones);
const standard = await loadPreset("standard");
const preset = {
  ...standard,
  throughput: { backbones: names, backends: ["wasm"], batchSize, warmupSteps, timedSteps },
};
console.log(
  `CPU: ${await cpuModel()} (${navigator.hardwareConcurrency} cores), Deno ${Deno.version.deno}, commit ` +
    `${(await gitCommit())?.slice(0, 7)}; batch ${batchSize}, ${warmupSteps} warm-up + ${timedSteps} timed steps`,
);
const rows = await runThroughput(preset, { threads }, (line) => console.error(line));

console.log(
  `| backbone | params (M) | fwd GMACs / image | train img/s | inference img/s | peak MiB | train fwd GMAC/s |`,
);
console.log(`| --- | ---: | ---: | ---: | ---: | ---: | ---: |`);
for (const row of rows) {
  const cost = backboneCost(backbones.get(row.backbone));
  const gmacs = cost.macs / 1e9;
  const cells = row.error ? [`failed: ${row.error}`, "–", "–", "–"] : [
    row.trainImagesPerSecond!.toFixed(2),
    row.inferenceImagesPerSecond!.toFixed(2),
    (row.peakBytes! / 2 ** 20).toFixed(0),
    (row.trainImagesPerSecond! * gmacs).toFixed(1),
  ];
  console.log(`| ${row.backbone} | ${(cost.params / 1e6).toFixed(2)} | ${gmacs.toFixed(2)} | ${cells.join(" | ")} |`);
}
