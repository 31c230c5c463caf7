/** The landmark cache's per-entry check: edited values are detected again (with a line saying so), never trusted. */
import assert from "node:assert";
import type { Landmarks } from "../../src/data/align.ts";
import { createImage, type Image } from "../../src/data/image/image.ts";
import { detectLandmarks, landmarkCachePath, type LandmarkDetector } from "../../src/data/landmarks.ts";

/** Landmarks that depend on the first pixel; counts its calls. */
function countingDetector(): LandmarkDetector & { calls: number } {
  return {
    id: "count",
    calls: 0,
    detect(image: Image) {
      this.calls++;
      const v = image.data[0];
      return Promise.resolve([[v, 40], [v + 30, 40], [v + 15, 55], [v + 5, 70], [v + 25, 70]] as unknown as Landmarks);
    },
  };
}

const images = Array.from({ length: 5 }, (_, i) => {
  const image = createImage(8, 8, 1);
  image.data.fill(20 + i);
  return { name: `s${i}/1.pgm`, image };
});

Deno.test("landmark cache: well-formed but edited entries fail their check and are detected again, logged", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const cachePath = landmarkCachePath("toy", "count", dir);
    const detector = countingDetector();
    const first = await detectLandmarks(images, detector, { cachePath });
    const file = JSON.parse(await Deno.readTextFile(cachePath));
    file.images["s1/1.pgm"].landmarks[0] = [3, 3];
    file.images["s3/1.pgm"].landmarks[2][1] += 9;
    await Deno.writeTextFile(cachePath, JSON.stringify(file));

    const warnings: string[] = [];
    const again = await detectLandmarks(images, detector, { cachePath, onWarning: (l) => warnings.push(l) });
    assert.strictEqual(detector.calls, 7, "the two edited entries were detected again");
    assert.strictEqual(again.cached, 3);
    assert.deepStrictEqual(again.landmarks, first.landmarks);
    assert.deepStrictEqual(warnings, [
      `landmark cache ${cachePath}: 2 entries fail their check (edited, or written by an older version): ` +
      "s1/1.pgm, s3/1.pgm; detecting them again",
    ]);

    warnings.length = 0;
    const third = await detectLandmarks(images, detector, { cachePath, onWarning: (l) => warnings.push(l) });
    assert.strictEqual(third.cached, 5, "the rewritten cache passes its checks");
    assert.strictEqual(warnings.length, 0, warnings.join("\n"));

    const moved = JSON.parse(await Deno.readTextFile(cachePath));
    moved.images["s0/1.pgm"] = { ...moved.images["s4/1.pgm"], sha256: moved.images["s0/1.pgm"].sha256 };
    delete moved.images["s2/1.pgm"].check; // as a version-1 file has it
    await Deno.writeTextFile(cachePath, JSON.stringify(moved));
    const fourth = await detectLandmarks(images, detector, { cachePath, onWarning: (l) => warnings.push(l) });
    assert.strictEqual(fourth.cached, 3, "an entry copied under another name, and one without a check, are redone");
    assert.deepStrictEqual(fourth.landmarks, first.landmarks);
    assert.match(warnings[0], /2 entries fail their check .*: s0\/1.pgm, s2\/1.pgm; detecting them again$/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
