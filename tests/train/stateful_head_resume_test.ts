/**
 * Heads with running buffers (AdaCos's scale s, CurricularFace's t) keep them in checkpoints: a tiny run stopped at
 * step 6 and resumed ends with the same weight hash as an uninterrupted run (the hash covers the buffers), and the
 * checkpoint holds the buffer moved away from its initial value.
 */
import assert from "node:assert";
import { directoryStore } from "../../src/cli/directory_store.ts";
import { decodeSafetensors } from "../../src/train/safetensors.ts";
import { tinyRun } from "./_tiny_run.ts";

const BUFFERS: [string, string, number][] = [
  ["adacos", "head.s", Math.SQRT2 * Math.log(4 - 1)],
  ["curricularface", "head.t", 0],
];

async function withDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir();
  try {
    return await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

for (const [head, path, initial] of BUFFERS) {
  Deno.test(`resume: ${head} keeps ${path} in the checkpoint and resumes bit-identical`, async () => {
    const expected = await withDir(async (dir) => (await tinyRun(directoryStore(dir), { head })).weightHash);
    await withDir(async (dir) => {
      await tinyRun(directoryStore(dir), { head, config: { steps: 6 } });
      const file = decodeSafetensors(await Deno.readFile(`${dir}/step-00000006.safetensors`), "step 6");
      const saved = file.tensors.get(path);
      assert.ok(saved, `${path} is not in the checkpoint (${[...file.tensors.keys()].join(", ")})`);
      assert.ok(Math.abs(saved.data[0] - initial) > 1e-6, `${path} = ${saved.data[0]} never moved from ${initial}`);
      const resumed = await tinyRun(directoryStore(dir), { head });
      assert.strictEqual(resumed.resumedAt, 6);
      assert.strictEqual(resumed.weightHash, expected);
    });
  });
}
