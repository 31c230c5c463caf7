/**
 * Whether an image's eval-mode embedding depends on the batch it comes in: for each backbone, random weights (seeded),
 * the embedding of one random image alone and as the first image of a batch of `--batch`, compared bit by bit. Prints
 * one row per backbone (how many of the embedding's values differ, and the largest difference relative to the
 * embedding's largest magnitude: untrained deep nets in eval mode can reach huge values; and the backend's live memory
 * with the model built and after its two forwards, the difference being what the backend keeps of the weights, e.g.
 * the wasm backend's packings) and exits 1 when any differs. On the wasm backend every preset gives the same bits
 * (benchmarks/README.md, "Eval-mode layers on Winograd at any batch"); before eval-mode layers took their Winograd form
 * at any batch, 21 full-size presets did not.
 *
 * ```sh
 * deno run -A benchmarks/eval_batch_bits.ts [--backbones 'ir_50,*_tiny' (globs; default: every preset)]
 *   [--backend wasm] [--batch 3] [--threads 2]
 * ```
 */
import { backendNames, createBackend } from "../src/backends/registry.ts";
import { Rng } from "../src/core/rng.ts";
import { scopeAsync } from "../src/core/scope.ts";
import { noGrad } from "../src/core/tape.ts";
import { backbones } from "../src/models/mod.ts";
import { tensor } from "../src/ops/mod.ts";
import { benchArgs, count, oneOf } from "./_args.ts";
import { selectFamilies } from "./_families.ts";

const values = benchArgs(
  {
    backbones: { type: "string", default: "*" },
    backend: { type: "string", default: "wasm" },
    batch: { type: "string", default: "3" },
    threads: { type: "string", default: "2" },
  },
  "Usage: deno run -A benchmarks/eval_batch_bits.ts [--backbones 'ir_50,*_tiny' (globs)] [--backend wasm]\n" +
    "         [--batch 3] [--threads 2]",
);
const backendName = oneOf(values.backend, "--backend", backendNames());
const batch = count(values.batch, "--batch", 2);
const threads = count(values.threads, "--threads");
const names = selectFamilies(values.backbones);

const backend = await createBackend(backendName, { threads });
console.log(`${backendName} backend, ${threads} thread(s): each image alone against the first of a batch of ${batch}`);
console.log(
  "\n| backbone | values that differ | largest difference ÷ largest value | live MiB: model, after both |\n| --- | ---: | ---: | ---: |",
);
let differing = 0;
for (const name of names) {
  const backbone = backbones.get(name).create({}, { backend, rng: new Rng(1, "init") });
  backbone.train(false);
  const modelMiB = backend.memory().liveBytes / 2 ** 20;
  const pixels = backbone.inputSize * backbone.inputSize * 3;
  const rng = new Rng(2, "images");
  const images = Float32Array.from({ length: batch * pixels }, () => rng.uniform(-1, 1));
  /** The first image's embedding when `n` images are embedded together. */
  const firstEmbedding = (n: number) =>
    scopeAsync(async () => {
      const x = tensor(backend, images.subarray(0, n * pixels), [n, backbone.inputSize, backbone.inputSize, 3]);
      const y = noGrad(() => backbone.forward(x));
      return (await y.read() as Float32Array).slice(0, backbone.embeddingSize);
    });
  const alone = await firstEmbedding(1), inBatch = await firstEmbedding(batch);
  const liveMiB = backend.memory().liveBytes / 2 ** 20;
  backbone.dispose();
  let differ = 0, largest = 0, scale = 0;
  alone.forEach((v, i) => {
    scale = Math.max(scale, Math.abs(v));
    if (Object.is(v, inBatch[i])) return;
    differ++;
    largest = Math.max(largest, Math.abs(v - inBatch[i]));
  });
  if (differ > 0) differing++;
  console.log(
    `| ${name} | ${differ} of ${alone.length} | ${(scale > 0 ? largest / scale : largest).toExponential(2)} | ` +
      `${modelMiB.toFixed(0)}, ${liveMiB.toFixed(0)} |`,
  );
}
await backend[Symbol.asyncDispose]();
console.log(`\n${differing} of ${names.length} backbone(s) embed an image differently alone and in a batch.`);
Deno.exit(differing > 0 ? 1 : 0);
