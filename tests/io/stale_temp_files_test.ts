/** Which temporary files count as left by a killed writer: only the writer's name pattern, only when stale. */
import assert from "node:assert";
import { removeStaleTempFiles, TEMP_GRACE_MS, TEMP_MAX_AGE_MS } from "../../src/io/atomic_write.ts";
import { deadPid, remaining, touch } from "../_util/temp_files.ts";

Deno.test("removeStaleTempFiles: removes a dead writer's or a long-untouched temp file, nothing else", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const dead = await deadPid();
    const minutes = 2 * 60_000;
    await touch(dir, `train.u8.tmp-${dead}-0a1b2c3d`, minutes); // writer gone: stale
    await touch(dir, `test.u8.tmp-${dead}-0a1b2c3e`, TEMP_GRACE_MS / 2); // too fresh to judge: kept
    await touch(dir, `report.json.tmp-${Deno.pid}-0a1b2c3f`, minutes); // writer alive: kept
    await touch(dir, `latest.tmp-${Deno.pid}-0a1b2c40`, TEMP_MAX_AGE_MS + minutes); // untouched for too long: stale
    await touch(dir, `notes.tmp-${dead}-backup`, TEMP_MAX_AGE_MS + minutes); // not the pattern: kept
    await touch(dir, `train.u8`, TEMP_MAX_AGE_MS + minutes); // a target: kept
    await touch(dir, `cache.tmp-${dead}-0a1b2c41`, TEMP_MAX_AGE_MS + minutes, "dir"); // not a file: kept
    const removed = await removeStaleTempFiles(dir);
    assert.deepStrictEqual(removed.map((p) => p.slice(dir.length + 1)).sort(), [
      `latest.tmp-${Deno.pid}-0a1b2c40`,
      `train.u8.tmp-${dead}-0a1b2c3d`,
    ]);
    assert.deepStrictEqual(await remaining(dir), [
      `cache.tmp-${dead}-0a1b2c41`,
      `notes.tmp-${dead}-backup`,
      `report.json.tmp-${Deno.pid}-0a1b2c3f`,
      `test.u8.tmp-${dead}-0a1b2c3e`,
      "train.u8",
    ]);
    assert.deepStrictEqual(await removeStaleTempFiles(`${dir}/missing`), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
