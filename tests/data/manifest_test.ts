/** Manifests: schema and consistency errors name the file and field. */
import assert from "node:assert";
import { formatManifest, parseManifest, parseManifestText } from "../../src/data/manifest.ts";
import { manifestPath, readManifest } from "../../src/data/synth_cache.ts";

Deno.test("manifest: the committed file is exactly what formatManifest writes", async () => {
  const m = await readManifest("synthface-ci");
  assert.strictEqual(formatManifest(m), await Deno.readTextFile(manifestPath("synthface-ci")));
});

Deno.test("manifest: bad fields are named in the error", async () => {
  const m = await readManifest("synthface-ci");
  const cases: [(v: typeof m) => unknown, RegExp][] = [
    [(v) => ({ ...v, format: "x" }), /field "format"/],
    [
      (v) => ({ ...v, train: { ...v.train, sha256: "abc" } }),
      /field "train\.sha256": expected 64 lowercase hex digits/,
    ],
    [
      (v) => ({ ...v, train: { ...v.train, images: 5 } }),
      /field "train\.images": expected identities × imagesPerIdentity = 1200, got 5/,
    ],
    [
      (v) => ({ ...v, pairs: { ...v.pairs, list: v.pairs.list.slice(1) } }),
      /field "pairs\.list": expected 1200 pairs, got 1199/,
    ],
    [
      (v) => ({ ...v, pairs: { ...v.pairs, list: [[0, 15, 1], ...v.pairs.list.slice(1)] } }),
      /field "pairs\.list\.0\.2": flag 1 contradicts the identities of images 0 and 15/,
    ],
    [(v) => ({ ...v, identification: { ...v.identification, gallery: [0] } }), /field "identification\.gallery"/],
    [(v) => ({ ...v, extra: 1 }), /Cannot read manifest "m\.json"/],
  ];
  for (const [mutate, pattern] of cases) {
    assert.throws(() => parseManifest(mutate(structuredClone(m)), "m.json"), pattern);
  }
  assert.throws(() => parseManifestText("{", "bad.json"), /Cannot read manifest "bad\.json": invalid JSON/);
});
