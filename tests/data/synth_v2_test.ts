/**
 * synthface v2 (`synthface-gen-2`): deterministic, v1 untouched, `synthface-v2-ci` regenerates to its committed
 * hashes, identity lives in geometry and relief (the face relief moves the aligned face more than alignment jitter),
 * a large share of images is grey, landmarks stay inside the raw frame, and unknown generator versions are refused.
 */
import assert from "node:assert";
import { sha256Hex } from "../../src/core/sha256.ts";
import type { Landmarks } from "../../src/data/align.ts";
import { datasetIds } from "../../src/data/datasets.ts";
import { DataError } from "../../src/data/errors.ts";
import { readManifest } from "../../src/data/synth_cache.ts";
import { specOptions, SYNTH_DATASETS, synthOptionsOf } from "../../src/data/synthface.ts";
import {
  DEFAULT_SYNTH,
  imageNuisance,
  markStream,
  modelOf,
  type NuisanceOverride,
  planIdentities,
  synthesizeFace,
} from "../../src/data/synth/generate.ts";
import { renderIdentityRange } from "../../src/data/synth/split.ts";
import { GREY_SHARE } from "../../src/data/synth/v2/nuisance.ts";

const V2 = specOptions(SYNTH_DATASETS["synthface-v2-ci"]);

/** SHA-256 of v1's first 4 identities × 3 images of split "train" with seed 1 (rendered before v2 existed). */
const V1_PREFIX_SHA256 = "4c126b40f70d6e47b40ea2af0fd75e4776ccdcdc3d9bb34919dccbb0109856a9";

/** Mean absolute difference of two aligned crops over the face interior (x 30–82, y 40–100: eyes to mouth). */
function faceChange(a: Uint8Array, b: Uint8Array): number {
  let sum = 0, count = 0;
  for (let y = 40; y < 100; y++) {
    for (let i = (y * 112 + 30) * 3; i < (y * 112 + 82) * 3; i++, count++) sum += Math.abs(a[i] - b[i]);
  }
  return sum / count;
}

/** Eye-mid to mouth-mid distance over eye distance. */
function eyeMouthRatio(l: Landmarks): number {
  const eye = Math.hypot(l[1][0] - l[0][0], l[1][1] - l[0][1]);
  const dx = (l[3][0] + l[4][0] - l[0][0] - l[1][0]) / 2, dy = (l[3][1] + l[4][1] - l[0][1] - l[1][1]) / 2;
  return Math.hypot(dx, dy) / eye;
}

Deno.test("synth v2: v1 pixels are unchanged by the generator seam", async () => {
  const request = { options: { ...DEFAULT_SYNTH, seed: 1 }, split: "train", identities: 4, imagesPerIdentity: 3 };
  assert.strictEqual(await sha256Hex(renderIdentityRange(request, 0, 4)), V1_PREFIX_SHA256);
});

Deno.test("synth v2: rendering is deterministic and a pure function of (seed, split, identity, image)", () => {
  const request = { options: V2, split: "train", identities: 5, imagesPerIdentity: 2 };
  const whole = renderIdentityRange(request, 0, 5);
  assert.deepStrictEqual(renderIdentityRange(request, 3, 5), whole.subarray(3 * 2 * 112 * 112 * 3));
  assert.deepStrictEqual(renderIdentityRange(request, 0, 5), whole);
  const v1 = renderIdentityRange({ ...request, options: { ...V2, generator: "synthface-gen-1" } }, 0, 1);
  assert.notDeepStrictEqual(v1, whole.subarray(0, v1.length));
});

Deno.test("synth v2: synthface-v2-ci test split regenerates to its committed hash", async () => {
  const m = await readManifest("synthface-v2-ci");
  assert.strictEqual(m.generator.version, "synthface-gen-2");
  const request = { options: synthOptionsOf(m), split: "test", ...m.test };
  assert.strictEqual(await sha256Hex(renderIdentityRange(request, 0, m.test.identities)), m.test.sha256);
});

Deno.test("synth v2: grey share, landmarks inside the frame, proportions are identity traits", () => {
  const ids = 24, per = 8;
  const identities = planIdentities(V2, "train", ids);
  let grey = 0;
  const ratios: number[][] = [];
  for (let i = 0; i < ids; i++) {
    ratios.push([]);
    for (let k = 0; k < per; k++) {
      const face = synthesizeFace(V2, "train", identities[i], i, k);
      face.landmarks.forEach(([x, y]) => assert.ok(x > 0 && x < V2.rawSize && y > 0 && y < V2.rawSize));
      const d = face.aligned.data;
      let colour = false;
      for (let p = 0; p < d.length && !colour; p += 3) colour = d[p] !== d[p + 1] || d[p] !== d[p + 2];
      grey += colour ? 0 : 1;
      ratios[i].push(eyeMouthRatio(face.landmarks));
    }
  }
  const share = grey / (ids * per);
  assert.ok(Math.abs(share - GREY_SHARE) < 0.12, `grey share ${share}, expected about ${GREY_SHARE}`);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const within = mean(ratios.map((r) => mean(r.map((v) => (v - mean(r)) ** 2))));
  const means = ratios.map(mean);
  const between = mean(means.map((m) => (m - mean(means)) ** 2));
  assert.ok(between > within, `eye-mouth ratio: between-identity variance ${between} vs within ${within}`);
  const all = ratios.flat();
  assert.ok(Math.abs(mean(all) - 1.02) < 0.08, `eye-mouth / eye distance ${mean(all)} (ORL 1.02)`);
});

Deno.test("synth v2: face relief changes the aligned face more than alignment jitter does", () => {
  const model = modelOf(V2);
  const ids = 6;
  const relief = model.geneNames.flatMap((name, g) => model.geneKinds[name] === "relief" ? [g] : []);
  const perGene = new Float64Array(relief.length);
  let jitter = 0, whole = 0;
  for (let i = 0; i < ids; i++) {
    const genes = model.randomGenes(markStream(V2, "probe-genes", i));
    const identity = (g: Float64Array) => model.decode(g, markStream(V2, "probe", i));
    const crop = (g: Float64Array, override?: NuisanceOverride) =>
      synthesizeFace(V2, "probe", identity(g), i, 0, override).aligned.data;
    const anchor = crop(genes);
    const donor = imageNuisance(V2, "probe", identity(genes), i, 1).landmarkNoise;
    jitter += faceChange(anchor, crop(genes, { edit: (n) => n.landmarkNoise = donor })) / ids;
    const redrawn = genes.slice(), fresh = model.randomGenes(markStream(V2, "probe-other", i));
    for (const g of relief) redrawn[g] = fresh[g];
    whole += faceChange(anchor, crop(redrawn)) / ids;
    relief.forEach((g, k) => {
      const moved = genes.slice();
      moved[g] = moved[g] < 0.5 ? 0.95 : 0.05;
      perGene[k] += faceChange(anchor, crop(moved)) / ids;
    });
  }
  const strongest = Math.max(...perGene);
  console.log(
    `face-interior change (grey levels): landmark jitter ${jitter.toFixed(2)}, all relief genes ${whole.toFixed(2)}, ` +
      `strongest relief gene ${strongest.toFixed(2)}, mean relief gene ${
        (perGene.reduce((a, b) => a + b) / relief.length).toFixed(2)
      }`,
  );
  assert.ok(whole > jitter, `all relief genes ${whole} vs alignment jitter ${jitter}`);
  assert.ok(strongest > jitter, `strongest relief gene ${strongest} vs alignment jitter ${jitter}`);
});

Deno.test("synth v2: the registry lists the v2 datasets and their committed manifests are valid", async () => {
  const ids = datasetIds();
  for (const id of ["synthface-v2-ci", "synthface-v2"]) {
    assert.ok(ids.includes(id), ids.join(", "));
    const m = await readManifest(id);
    assert.deepStrictEqual(synthOptionsOf(m), specOptions(SYNTH_DATASETS[id]));
  }
});

Deno.test("synth v2: a manifest from an unknown generator version is refused with a readable error", async () => {
  const m = await readManifest("synthface-v2-ci");
  assert.throws(
    () => synthOptionsOf({ ...m, generator: { ...m.generator, version: "synthface-gen-9" } }),
    (e: unknown) => e instanceof DataError && /synthface-gen-9/.test(e.message),
  );
});
