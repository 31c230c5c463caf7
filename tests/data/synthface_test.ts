/**
 * The standard synthetic datasets: `synthface-ci` regenerates to the committed hashes in this process (any worker
 * count) and in two fresh processes; manifests are consistent; look-alikes are closer than strangers.
 */
import assert from "node:assert";
import { loadDataset } from "../../src/data/datasets.ts";
import { sha256Hex } from "../../src/core/sha256.ts";
import { readManifest, splitCachePath } from "../../src/data/synth_cache.ts";
import { synthOptionsOf } from "../../src/data/synthface.ts";
import { renderIdentityRange } from "../../src/data/synth/split.ts";
import { DEFAULT_SYNTH, planIdentities, synthesizeFace } from "../../src/data/synth/generate.ts";
import { GENE_NAMES } from "../../src/data/synth/identity.ts";

Deno.test("synthface: synthface-ci generates to the committed hashes and then loads from the cache", async () => {
  const cache = await Deno.makeTempDir();
  const start = performance.now();
  const ds = await loadDataset("synthface-ci", { cacheDir: cache });
  const seconds = (performance.now() - start) / 1000;
  console.log(`synthface-ci generated in ${seconds.toFixed(1)} s on ${navigator.hardwareConcurrency} workers`);
  const m = await readManifest("synthface-ci");
  assert.strictEqual(await sha256Hex(ds.train.images), m.train.sha256);
  assert.strictEqual(await sha256Hex(ds.test.images), m.test.sha256);
  assert.strictEqual(ds.train.count, 1200);
  assert.strictEqual(ds.test.numClasses, 50);
  assert.strictEqual(ds.pairs.left.length, 1200);
  assert.strictEqual(ds.gallery.length, 50);
  assert.strictEqual(ds.probe.length, 450);
  const again = await loadDataset("synthface-ci", { cacheDir: cache, workers: 1 });
  assert.deepStrictEqual(again.test.images, ds.test.images);
  const path = splitCachePath(m, "test", cache);
  const bytes = await Deno.readFile(path);
  bytes[1000] ^= 1;
  await Deno.writeFile(path, bytes);
  assert.deepStrictEqual(
    (await loadDataset("synthface-ci", { cacheDir: cache, workers: 1 })).test.images,
    ds.test.images,
  );
  await Deno.remove(cache, { recursive: true });
});

Deno.test("synthface: two fresh processes render identical test pixels matching the manifest", async () => {
  const m = await readManifest("synthface-ci");
  const code = `
    import { renderIdentityRange } from "${new URL("../../src/data/synth/split.ts", import.meta.url)}";
    import { sha256Hex } from "${new URL("../../src/core/sha256.ts", import.meta.url)}";
    const request = ${JSON.stringify({ options: synthOptionsOf(m), split: "test", ...m.test })};
    console.log(await sha256Hex(renderIdentityRange(request, 0, request.identities)));`;
  const run = () => new Deno.Command(Deno.execPath(), { args: ["eval", code], stdout: "piped" }).output();
  const outputs = await Promise.all([run(), run()]);
  for (const out of outputs) assert.strictEqual(new TextDecoder().decode(out.stdout).trim(), m.test.sha256);
});

Deno.test("synthface: rendering is a pure function of (seed, split, identity, image)", () => {
  const request = { options: DEFAULT_SYNTH, split: "train", identities: 6, imagesPerIdentity: 2 };
  const whole = renderIdentityRange(request, 0, 6);
  const tail = renderIdentityRange(request, 4, 6);
  assert.deepStrictEqual(whole.subarray(4 * 2 * 112 * 112 * 3), tail);
  const face = synthesizeFace(DEFAULT_SYNTH, "train", planIdentities(DEFAULT_SYNTH, "train", 1)[0], 0, 0);
  assert.deepStrictEqual([face.raw.width, face.aligned.width, face.aligned.channels], [144, 112, 3]);
  face.landmarks.forEach(([x, y]) => assert.ok(x > 0 && x < 144 && y > 0 && y < 144));
});

Deno.test("synthface: look-alike siblings are closer in gene space than strangers; splits are disjoint", () => {
  const train = planIdentities(DEFAULT_SYNTH, "train", 60);
  const test = planIdentities(DEFAULT_SYNTH, "test", 60);
  const vec = (
    id: (typeof train)[number],
  ) => [id.faceWidth, id.eyeSpacing, id.noseLength, id.mouthY, id.skinTone, id.jawWidth];
  const dist = (a: number[], b: number[]) => Math.hypot(...a.map((v, i) => v - b[i]));
  const neighbours = train.slice(1).map((id, i) => dist(vec(id), vec(train[i])));
  const sorted = [...neighbours].sort((a, b) => a - b);
  assert.ok(
    sorted[Math.floor(sorted.length * 0.25)] < 0.5 * sorted[Math.floor(sorted.length * 0.9)],
    "some neighbours are look-alikes",
  );
  const keys = new Set(train.map((id) => vec(id).join()));
  assert.ok(test.every((id) => !keys.has(vec(id).join())));
  assert.ok(GENE_NAMES.length >= 30);
});

Deno.test("synthface: committed manifests are valid and pairs are balanced per fold", async () => {
  for (const id of ["synthface-ci", "synthface-v1"]) {
    const m = await readManifest(id);
    const perFold = m.pairs.perFold;
    for (let f = 0; f < m.pairs.folds; f++) {
      const fold = m.pairs.list.slice(f * perFold, (f + 1) * perFold);
      assert.strictEqual(fold.filter((p) => p[2] === 1).length, perFold / 2);
    }
  }
});
