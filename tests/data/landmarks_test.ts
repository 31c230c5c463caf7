/** Landmarks from an injected detector: the JSON cache, and ORL aligned from them with padding as the fallback. */
import assert from "node:assert";
import { alignFace, type Landmarks, TEMPLATE_112 } from "../../src/data/align.ts";
import { createImage, type Image, padToSquare, toRgb } from "../../src/data/image/image.ts";
import { loadOrl } from "../../src/data/importers/orl.ts";
import { detectLandmarks, landmarkCachePath, type LandmarkDetector } from "../../src/data/landmarks.ts";
import { decodePgm } from "../../src/data/image/pgm.ts";
import { joinPath, readBytes } from "../../src/data/files.ts";
import { orlDir } from "../../src/data/importers/orl.ts";
import { sharedDataPresent, skipWithout } from "../_util/shared_data.ts";

/** Landmarks for images whose first pixel is odd, none otherwise; counts its calls. */
function stubDetector(id = "stub"): LandmarkDetector & { calls: number } {
  return {
    id,
    calls: 0,
    detect(image: Image) {
      this.calls++;
      const shift = image.data[0] % 7;
      const points = TEMPLATE_112.map(([x, y]) => [x * 0.8 + shift, y * 0.8 + 3]) as unknown as Landmarks;
      return Promise.resolve(image.data[0] % 2 === 1 ? points : null);
    },
  };
}

function images(count: number): { name: string; image: Image }[] {
  return Array.from({ length: count }, (_, i) => {
    const image = createImage(8, 8, 1);
    image.data.fill(10 + i);
    return { name: `img${i}`, image };
  });
}

Deno.test("detectLandmarks: detects once, then reads the cache; a changed image is detected again", async () => {
  const dir = await Deno.makeTempDir();
  const cachePath = landmarkCachePath("toy", "stub", dir);
  const detector = stubDetector();
  const list = images(4);
  const first = await detectLandmarks(list, detector, { cachePath });
  assert.strictEqual(detector.calls, 4);
  assert.strictEqual(first.cached, 0);
  assert.deepStrictEqual(first.landmarks.map((l) => l !== null), [false, true, false, true]);
  const again = await detectLandmarks(list, detector, { cachePath });
  assert.strictEqual(detector.calls, 4, "everything came from the cache");
  assert.strictEqual(again.cached, 4);
  assert.deepStrictEqual(again.landmarks, first.landmarks);
  list[2].image.data.fill(99);
  const changed = await detectLandmarks(list, detector, { cachePath });
  assert.strictEqual(detector.calls, 5);
  assert.strictEqual(changed.cached, 3);
  assert.ok(changed.landmarks[2] !== null);
  await Deno.writeTextFile(cachePath, "{ not json");
  assert.strictEqual((await detectLandmarks(list, detector, { cachePath })).cached, 0, "a corrupt cache is rebuilt");
  await Deno.remove(dir, { recursive: true });
});

const haveOrl = await sharedDataPresent("orl/s1");

Deno.test({
  name: "ORL with a detector: aligned where it finds landmarks, padded where not, counted; second load from cache",
  ignore: skipWithout(haveOrl),
  fn: async () => {
    const dir = await Deno.makeTempDir();
    const cachePath = joinPath(dir, "orl.json");
    const detector = stubDetector();
    const orl = await loadOrl(undefined, { detector, cachePath });
    const a = orl.alignment!;
    assert.strictEqual(a.detector, "stub");
    assert.strictEqual(a.aligned + a.fallbacks.length, 400);
    assert.ok(a.aligned > 0 && a.fallbacks.length > 0, `${a.aligned} aligned, ${a.fallbacks.length} fallbacks`);
    assert.deepStrictEqual([orl.train.width, orl.train.height, orl.train.count], [112, 112, 200]);
    const size = 112 * 112 * 3;
    for (const n of [1, 2]) {
      const grey = decodePgm(await readBytes(joinPath(orlDir(), `s1/${n}.pgm`)), `s1/${n}.pgm`);
      const landmarks = await detector.detect(grey);
      const expected = landmarks ? toRgb(alignFace(grey, landmarks)) : padToSquare(grey);
      assert.deepStrictEqual(orl.train.images.subarray((n - 1) * size, n * size), expected.data, `s1/${n}.pgm`);
      assert.strictEqual(a.fallbacks.includes(`s1/${n}.pgm`), landmarks === null);
    }
    const cached = await loadOrl(undefined, { detector: stubDetector(), cachePath });
    assert.strictEqual(cached.alignment!.cached, 400);
    assert.deepStrictEqual(cached.train.images, orl.train.images);
    assert.deepStrictEqual(cached.test.images, orl.test.images);
    await Deno.remove(dir, { recursive: true });
  },
});
