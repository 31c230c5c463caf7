/**
 * The Deno host's file-system operations that the data importers and the bench's run folder use: stat (links
 * followed, null when missing), listings, real paths, positioned reads (a directory refused as such), appends,
 * moves and removal.
 * @module
 */
import assert from "node:assert";
import { join } from "node:path";
import { denoHost } from "../../src/io/deno_host.ts";
import { NotAFileError } from "../../src/io/host.ts";

Deno.test("denoHost: stat, listDir, realPath, openFile, makeDir, appendBytes, rename and remove on a temp folder", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const run = join(dir, "run", "nested");
    await denoHost.makeDir(run);
    await denoHost.makeDir(run); // an existing folder is fine
    const log = join(run, "log.bin");
    await denoHost.appendBytes(log, new Uint8Array([1, 2, 3]));
    await denoHost.appendBytes(log, new Uint8Array([4, 5]));
    await Deno.symlink(log, join(run, "link.bin"));

    const info = await denoHost.stat(join(run, "link.bin"));
    assert.deepStrictEqual({ ...info, modifiedMs: typeof info?.modifiedMs }, {
      isFile: true,
      isDirectory: false,
      size: 5,
      modifiedMs: "number",
    }, "a link is followed to its 5-byte file");
    assert.strictEqual((await denoHost.stat(run))?.isDirectory, true);
    assert.strictEqual(await denoHost.stat(join(dir, "missing")), null);
    const listed = (await denoHost.listDir(run)).map((e) => `${e.name}:${e.isFile}:${e.isSymlink}`).sort();
    assert.deepStrictEqual(listed, ["link.bin:false:true", "log.bin:true:false"]);
    assert.strictEqual(await denoHost.realPath(join(run, "link.bin")), await Deno.realPath(log));

    const file = denoHost.openFile(join(run, "link.bin"));
    const out = new Uint8Array(4);
    assert.strictEqual(file.size, 5);
    assert.strictEqual(file.readAt(3, out), 2, "a read past the end stops at the end");
    assert.deepStrictEqual([...out.subarray(0, 2)], [4, 5]);
    assert.strictEqual(file.readAt(0, out), 4);
    assert.deepStrictEqual([...out], [1, 2, 3, 4]);
    file.close();
    assert.throws(() => denoHost.openFile(run), (e) => e instanceof NotAFileError && e.found === "directory");
    assert.throws(() => denoHost.openFile(join(dir, "missing")), Deno.errors.NotFound);

    const moved = join(dir, "moved.bin");
    await denoHost.rename(log, moved);
    assert.strictEqual(await denoHost.stat(log), null);
    assert.strictEqual((await denoHost.stat(moved))?.size, 5);
    await denoHost.remove(moved);
    assert.strictEqual(await denoHost.stat(moved), null);
    await assert.rejects(denoHost.remove(join(dir, "run")), "a folder with files needs recursive");
    await denoHost.remove(join(dir, "run"), { recursive: true });
    assert.deepStrictEqual(await denoHost.listDir(dir), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
