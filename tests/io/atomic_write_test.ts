import assert from "node:assert";
import { join } from "node:path";
import { writeFileAtomic } from "../../src/io/atomic_write.ts";

Deno.test("writeFileAtomic: creates parents, replaces the file, leaves no temp files", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "run", "report.json");
    await writeFileAtomic(path, "first");
    await writeFileAtomic(path, new Uint8Array([104, 105]));
    assert.strictEqual(await Deno.readTextFile(path), "hi");
    const names = [...Deno.readDirSync(join(dir, "run"))].map((e) => e.name);
    assert.deepStrictEqual(names, ["report.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFileAtomic: a failed rename removes the temp file and names both paths", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const target = join(dir, "taken");
    await Deno.mkdir(join(target, "child"), { recursive: true });
    await assert.rejects(writeFileAtomic(target, "x"), /cannot rename .*taken\.tmp-.* to .*taken/);
    assert.deepStrictEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["taken"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
