/**
 * Temporary files left by a writer killed mid-write are removed on the next start: by the first atomic write into
 * a directory, by reading the landmark cache, and by loading a synthetic dataset from its cache.
 */
import assert from "node:assert";
import { writeFileAtomic } from "../../src/io/atomic_write.ts";
import { detectLandmarks, landmarkCachePath } from "../../src/data/landmarks.ts";
import { loadDataset } from "../../src/data/datasets.ts";
import { readManifest, splitCachePath } from "../../src/data/synth_cache.ts";
import { createImage } from "../../src/data/image/image.ts";
import { exists } from "../../src/data/files.ts";
import { deadPid, remaining, touch } from "../_util/temp_files.ts";

Deno.test("stale temp files: the first atomic write into a directory, and reading the landmark cache, remove them", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const dead = await deadPid();
    const leftover = await touch(dir, `report.json.tmp-${dead}-00000001`, 5 * 60_000);
    await writeFileAtomic(`${dir}/report.json`, "{}\n");
    assert.deepStrictEqual(await remaining(dir), ["report.json"]);

    const cachePath = landmarkCachePath("toy", "none", dir);
    const images = [{ name: "a", image: createImage(4, 4, 1) }];
    const detector = { id: "none", detect: () => Promise.resolve(null) };
    await detectLandmarks(images, detector, { cachePath });
    const beside = await touch(`${dir}/landmarks`, `toy-none.json.tmp-${dead}-00000002`, 5 * 60_000);
    assert.strictEqual((await detectLandmarks(images, detector, { cachePath })).cached, 1, "a read, no write");
    assert.ok(!(await exists(leftover)) && !(await exists(beside)));
    assert.deepStrictEqual(await remaining(`${dir}/landmarks`), ["toy-none.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const m = await readManifest("synthface-ci");
const cachedBlobs = [splitCachePath(m, "train"), splitCachePath(m, "test")];
const haveBlobs = (await Promise.all(cachedBlobs.map(exists))).every(Boolean);

Deno.test({
  name: "stale temp files: loading a synthetic dataset removes the temporary blob a killed writer left in its cache",
  ignore: !haveBlobs,
  fn: async () => {
    const cache = await Deno.makeTempDir();
    try {
      const targets = [splitCachePath(m, "train", cache), splitCachePath(m, "test", cache)];
      const dir = targets[0].slice(0, targets[0].lastIndexOf("/"));
      await Deno.mkdir(dir, { recursive: true });
      for (const [k, target] of targets.entries()) await Deno.copyFile(cachedBlobs[k], target);
      const name = targets[0].slice(dir.length + 1);
      await touch(dir, `${name}.tmp-${await deadPid()}-0badf00d`, 10 * 60_000);
      await loadDataset("synthface-ci", { cacheDir: cache, workers: 1 });
      assert.deepStrictEqual(await remaining(dir), targets.map((t) => t.slice(dir.length + 1)).sort());
    } finally {
      await Deno.remove(cache, { recursive: true });
    }
  },
});
