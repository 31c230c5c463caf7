/** The bench's datasets: ORL aligned from MTCNN landmarks through the data layer's detector seam; report hashes. */
import assert from "node:assert";
import { datasetHash, withoutLowShot } from "../../src/bench/datasets.ts";
import { MtcnnLandmarkDetector } from "../../src/bench/mtcnn_landmarks.ts";
import { sha256Hex } from "../../src/core/sha256.ts";
import { alignmentTransform, applyAffine, type Landmarks, TEMPLATE_112 } from "../../src/data/align.ts";
import type { FaceDataset } from "../../src/data/dataset.ts";
import type { Image } from "../../src/data/image/image.ts";
import { loadOrl } from "../../src/data/importers/orl.ts";
import type { LandmarkDetector } from "../../src/data/landmarks.ts";
import { readManifest } from "../../src/data/synth_cache.ts";
import { sharedDataPresent, skipWithout } from "../_util/shared_data.ts";

const present = (await sharedDataPresent("orl/s1")) && (await sharedDataPresent("mtcnn/pnet.safetensors"));

Deno.test({
  name: "ORL with MTCNN: the first identity's 10 images become aligned 112×112 crops (the rest padded)",
  ignore: skipWithout(present),
  fn: async () => {
    const mtcnn = new MtcnnLandmarkDetector({ backend: "reference" });
    let calls = 0;
    const found: Landmarks[] = [];
    const firstIdentity: LandmarkDetector = {
      id: "mtcnn-s1",
      async detect(image: Image) {
        if (calls++ >= 10) return null;
        const landmarks = await mtcnn.detect(image);
        if (landmarks) found.push(landmarks);
        return landmarks;
      },
    };
    const orl = await loadOrl(undefined, { detector: firstIdentity, cachePath: null });
    await mtcnn.close();
    assert.strictEqual(found.length, 10);
    assert.strictEqual(orl.alignment!.aligned, 10);
    assert.strictEqual(orl.alignment!.fallbacks.length, 390);
    assert.strictEqual(orl.alignment!.fallbacks[0], "s2/1.pgm");
    assert.deepStrictEqual([orl.train.width, orl.train.height], [112, 112]);
    for (const landmarks of found) {
      // A face-shaped set of points: the best similarity puts every point within a few pixels of the template.
      const m = alignmentTransform(landmarks);
      landmarks.forEach((p, i) => {
        const [x, y] = applyAffine(m, p);
        const d = Math.hypot(x - TEMPLATE_112[i][0], y - TEMPLATE_112[i][1]);
        assert.ok(d < 8, `point ${i} lands ${d.toFixed(1)} px from the template`);
      });
    }
    const size = 112 * 112 * 3;
    const aligned = orl.train.images.subarray(0, size), padded = orl.train.images.subarray(10 * size, 11 * size);
    assert.strictEqual(padded[(50 * 112 + 5) * 3], 0, "fallback keeps the black padding column");
    assert.ok(aligned.some((v) => v > 0), "aligned crop has content");
  },
});

Deno.test("datasetHash: the manifest's split hashes for synthetic sets, the pixels' otherwise", async () => {
  const m = await readManifest("synthface-ci");
  const expected = await sha256Hex(new TextEncoder().encode(`${m.train.sha256}\n${m.test.sha256}\n`));
  assert.strictEqual(await datasetHash({ id: "synthface-ci" } as FaceDataset), expected);
  const train = Uint8Array.of(1, 2, 3), test = Uint8Array.of(4, 5);
  const toy = { id: "toy", train: { images: train }, test: { images: test } } as unknown as FaceDataset;
  const pixels = `${await sha256Hex(train)}\n${await sha256Hex(test)}\n`;
  assert.strictEqual(await datasetHash(toy), await sha256Hex(new TextEncoder().encode(pixels)));
});

Deno.test("withoutLowShot: drops training identities with numMin images or fewer, keeps their pixels in order", () => {
  const px = (v: number) => new Uint8Array(2 * 2 * 3).fill(v);
  const labels = Int32Array.from([0, 0, 0, 1, 2, 2]);
  const images = new Uint8Array(6 * 12);
  labels.forEach((_, i) => images.set(px(10 * i), 12 * i));
  const train = { images, labels, count: 6, height: 2, width: 2, numClasses: 3 };
  const dataset = { id: "toy", train, test: train } as unknown as FaceDataset;
  assert.strictEqual(withoutLowShot(dataset, 0), dataset, "numMin 0 keeps everything");
  const kept = withoutLowShot(dataset, 1);
  assert.deepStrictEqual([...kept.train.labels], [0, 0, 0, 1, 1]);
  assert.deepStrictEqual([kept.train.count, kept.train.numClasses], [5, 2]);
  assert.deepStrictEqual([...kept.train.images.subarray(3 * 12, 4 * 12)], [...px(40)], "image 4 moved to slot 3");
  assert.strictEqual(kept.test, train, "the test split is untouched");
  assert.throws(() => withoutLowShot(dataset, 2), /data.numMin 2 leaves 1 training identities of toy/);
});
