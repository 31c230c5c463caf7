/**
 * Heads with running buffers (AdaCos's scale s, CurricularFace's t, sub-center ArcFace's sub-centre counts with the
 * online drop at iteration 4, center loss's centres) keep them in checkpoints: a tiny run stopped at step 6 and resumed ends with the same
 * weight hash as an uninterrupted run (the hash covers the buffers; sub-center ArcFace re-derives its dominant
 * sub-centres from the frozen counts), and the checkpoint holds the buffer moved away from its initial value.
 */
import assert from "node:assert";
import { directoryStore } from "../../src/train/directory_store.ts";
import { decodeSafetensors } from "../../src/train/safetensors.ts";
import { withTempDir } from "../_util/temp_files.ts";
import { tinyRun } from "./_tiny_run.ts";

const BUFFERS: { head: string; headOptions?: Record<string, unknown>; path: string; initial: number }[] = [
  { head: "adacos", path: "head.s", initial: Math.SQRT2 * Math.log(4 - 1) },
  { head: "curricularface", path: "head.t", initial: 0 },
  { head: "subcenter_arcface", headOptions: { dropAfterIteration: 4 }, path: "head.counts", initial: 0 },
  { head: "center_loss", headOptions: { lambda: 0.5 }, path: "head.centers", initial: 0 },
];

for (const { head, headOptions, path, initial } of BUFFERS) {
  Deno.test(`resume: ${head} keeps ${path} in the checkpoint and resumes bit-identical`, async () => {
    const run = { head: { name: head, options: headOptions } };
    const expected = await withTempDir(async (dir) => (await tinyRun(directoryStore(dir), run)).weightHash);
    await withTempDir(async (dir) => {
      await tinyRun(directoryStore(dir), { ...run, config: { steps: 6 } });
      const file = decodeSafetensors(await Deno.readFile(`${dir}/step-00000006.safetensors`), "step 6");
      const saved = file.tensors.get(path);
      assert.ok(saved, `${path} is not in the checkpoint (${[...file.tensors.keys()].join(", ")})`);
      const moved = Array.from(saved.data).reduce((sum, v) => sum + Math.abs(v - initial), 0);
      assert.ok(moved > 1e-6, `${path} = ${saved.data} never moved from ${initial}`);
      const resumed = await tinyRun(directoryStore(dir), run);
      assert.strictEqual(resumed.resumedAt, 6);
      assert.strictEqual(resumed.weightHash, expected);
    });
  });
}
