/**
 * Data pipeline throughput: synthetic face rendering + alignment (images/s = 1 / time per iteration) and loader
 * batches (images/s = 64 or 16 × 64 / time per iteration), inline and with worker prefetch. Set FACEBENCH_BENCH_V1=1 to also
 * time loading `synthface-v1` (rendered into the cache on first use).
 */
import { EVO_AUGMENT, FULL_AUGMENT } from "../src/data/augment.ts";
import { BatchMaker } from "../src/data/batch.ts";
import { loadDataset } from "../src/data/datasets.ts";
import { loaderFor } from "../src/data/loader.ts";
import { consoleProgress } from "../src/io/progress.ts";
import { DEFAULT_SYNTH, planIdentities, synthesizeFace } from "../src/data/synth/generate.ts";
import { renderIdentityRange } from "../src/data/synth/split.ts";
import { faceSetOf } from "../src/data/synthface.ts";

const identities = planIdentities(DEFAULT_SYNTH, "train", 16);
let image = 0;
Deno.bench("synthface: render + align 1 image (144 px raw → 112 px)", { group: "generate" }, () => {
  const id = image++ % 16;
  synthesizeFace(DEFAULT_SYNTH, "train", identities[id], id, image);
});

const split = { identities: 16, imagesPerIdentity: 8 };
const set = faceSetOf(renderIdentityRange({ options: DEFAULT_SYNTH, split: "train", ...split }, 0, 16), split, 112);
const source = { kind: "memory" as const, images: set.images, size: 112 };
const spec = { source, labels: set.labels, batchSize: 64, sampler: "shuffle" as const, seed: 1 };
const evo = new BatchMaker({ ...spec, augment: EVO_AUGMENT });
const full = new BatchMaker({ ...spec, augment: FULL_AUGMENT });
let batch = 0;
Deno.bench("loader: batch of 64, face.evoLVe augment (crop + flip), inline", { group: "loader" }, () => {
  evo.make(0, batch++ % evo.batchesPerEpoch);
});
Deno.bench("loader: batch of 64, full augment (+ colour jitter + PCA), inline", { group: "loader" }, () => {
  full.make(0, batch++ % full.batchesPerEpoch);
});
Deno.bench("loader: 16 batches of 64, worker prefetch (incl. worker start)", { group: "loader" }, async () => {
  const loader = loaderFor(set, 64, 1, { prefetch: "worker" });
  for (let i = 0; i < 16; i++) await loader.next();
  loader.close();
});

Deno.bench({
  name: "synthface-v1: load (render into the cache on first use, verify SHA-256)",
  ignore: Deno.env.get("FACEBENCH_BENCH_V1") !== "1",
  n: 1,
  warmup: 0,
  async fn() {
    await loadDataset("synthface-v1", { onProgress: (s) => consoleProgress(`synthface-v1 ${s}`) });
  },
});
