/**
 * The browser page's host under Deno (which has the same Cache API): files written under the kept folder outlive
 * the host — a later host with the same cache finds and reads them without fetching — and nothing else is kept.
 * @module
 */
import assert from "node:assert";
import { BrowserHost } from "../../src/io/browser_host.ts";

const build = { gitCommit: null, gitDirty: null, deno: "2.9.6", typescript: "6.0.3" };

Deno.test("BrowserHost: files under the kept folder are found by a later visit's host; others are not kept", async () => {
  const root = new URL(`http://127.0.0.1:9/site-${crypto.randomUUID()}/`); // port 9: nothing is served there
  const cacheName = `facebench-test-${crypto.randomUUID()}`;
  const cache = await caches.open(cacheName);
  try {
    const kept = { dir: `${root.pathname}.cache/`, cache };
    const pixels = new Uint8Array([1, 2, 3, 250]);
    const split = `${root.pathname}.cache/datasets/synthface-ci/train-0123456789abcdef.u8`;
    const report = `${root.pathname}reports/run/report.json`;
    const first = new BrowserHost({ root, build, write: () => {}, kept });
    await first.writeBytesAtomic(split, pixels);
    await first.writeBytesAtomic(report, new TextEncoder().encode("{}"));
    pixels[0] = 99; // the host kept its own copy
    assert.deepStrictEqual([...await first.readBytes(split)], [1, 2, 3, 250]);

    const later = new BrowserHost({ root, build, write: () => {}, kept });
    assert.strictEqual(later.written.size, 0);
    assert.strictEqual(await later.exists(split), true, "found in the cache, without a request to the server");
    assert.deepStrictEqual([...await later.readBytes(split)], [1, 2, 3, 250]);
    assert.strictEqual(await cache.match(new URL(report, root)), undefined, "the report lasts as long as its page");

    await later.writeBytesAtomic(split, new Uint8Array([7]));
    const third = new BrowserHost({ root, build, write: () => {}, kept });
    assert.deepStrictEqual([...await third.readBytes(split)], [7], "a rewrite replaces the kept entry whole");
  } finally {
    await caches.delete(cacheName);
  }
});

Deno.test("BrowserHost: the page's own files can be stat'ed, opened, appended to, moved and removed; listing is refused", async () => {
  const root = new URL(`http://127.0.0.1:9/site-${crypto.randomUUID()}/`); // port 9: nothing is served there
  const page = new BrowserHost({ root, build, write: () => {} });
  const journal = `${root.pathname}out/.resume/run.jsonl`;
  await page.appendBytes(journal, new Uint8Array([1, 2]));
  await page.appendBytes(journal, new Uint8Array([3]));
  assert.deepStrictEqual(await page.stat(journal), { isFile: true, isDirectory: false, size: 3, modifiedMs: null });

  const file = page.openFile(journal);
  const out = new Uint8Array(2);
  assert.strictEqual(file.readAt(1, out), 2);
  assert.deepStrictEqual([...out], [2, 3]);
  assert.strictEqual(file.readAt(2, out), 1, "a read past the end stops at the end");
  assert.throws(() => page.openFile(`${root.pathname}fixtures/x.bin`), /opens only the files it wrote/);

  const moved = `${root.pathname}out/models/m.safetensors`;
  await page.rename(journal, moved);
  assert.strictEqual(page.written.has(journal), false);
  assert.deepStrictEqual([...await page.readBytes(moved)], [1, 2, 3]);
  await page.writeBytesAtomic(`${root.pathname}outside.json`, new Uint8Array([9]));
  await page.remove(`${root.pathname}out`, { recursive: true });
  assert.deepStrictEqual([...page.written.keys()], [`${root.pathname}outside.json`]);
  await assert.rejects(page.listDir(`${root.pathname}benchmarks/presets/`), /cannot list/);
});
