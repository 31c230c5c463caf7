/**
 * Regenerates the committed manifests `fixtures/data/<id>.json` of the standard synthetic datasets, and caches
 * their pixels. Usage: `deno run --allow-all tools/data_manifest.ts [id ...]` (default: every dataset).
 * @module
 */
import { writeBytesAtomic, writeTextAtomic } from "../src/data/files.ts";
import { formatManifest } from "../src/data/manifest.ts";
import { consoleProgress } from "../src/io/progress.ts";
import { manifestPath, splitCachePath } from "../src/data/synth_cache.ts";
import { buildManifest, SYNTH_DATASETS } from "../src/data/synthface.ts";

const ids = Deno.args.length > 0 ? Deno.args : Object.keys(SYNTH_DATASETS);
for (const id of ids) {
  const spec = SYNTH_DATASETS[id];
  if (!spec) throw new Error(`unknown dataset "${id}"; known: ${Object.keys(SYNTH_DATASETS).join(", ")}`);
  const start = performance.now();
  const { manifest, train, test } = await buildManifest(spec, {
    workers: navigator.hardwareConcurrency,
    onProgress: (split) => consoleProgress(`${id} ${split} identities`),
  });
  await writeTextAtomic(manifestPath(id), formatManifest(manifest));
  await writeBytesAtomic(splitCachePath(manifest, "train"), train);
  await writeBytesAtomic(splitCachePath(manifest, "test"), test);
  const seconds = (performance.now() - start) / 1000;
  const images = manifest.train.images + manifest.test.images;
  console.log(
    `${id}: ${images} images in ${seconds.toFixed(1)} s; train ${manifest.train.sha256}, test ${manifest.test.sha256}`,
  );
}
