/**
 * Sub-center ArcFace's dominant-sub-centre mask is derived from `counts` and never outlives them: after the counts are
 * overwritten (a state-dict load or a checkpoint restore) the head's logits equal those of a fresh head that derived
 * its mask from the new counts.
 */
import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { Rng } from "../../src/core/rng.ts";
import type { Tensor } from "../../src/core/tensor.ts";
import { heads } from "../../src/models/mod.ts";
import type { SubCenterArcFaceHead } from "../../src/models/heads/subcenter_arcface.ts";
import { tensor } from "../../src/ops/mod.ts";
import { restoreTensors } from "../../src/train/checkpoint.ts";

const backend = new ReferenceBackend();
const OPTIONS = { embeddingSize: 4, numClasses: 2, subCenters: 3, dropAfterIteration: 0 };

/** A head with the same seeded weights each time, its counts set to `counts`, its mask derived at iteration 0. */
function headWith(counts: number[]): SubCenterArcFaceHead {
  const head = heads.get("subcenter_arcface").create(OPTIONS, {
    backend,
    rng: new Rng(3, "init"),
  }) as SubCenterArcFaceHead;
  head.load(new Map([["counts", tensor(backend, counts, [2, 3])]]), { strict: false });
  head.step(0);
  return head;
}

/** The head's logits on fixed embeddings, in eval mode (nothing is counted). */
async function logits(head: SubCenterArcFaceHead): Promise<number[]> {
  const x = tensor(backend, [0.3, -0.2, 0.9, 0.1, -0.5, 0.4, 0.2, 0.7], [2, 4]);
  const labels = tensor(backend, [0, 1], [2], "i32");
  const out = head.eval().forward(x, labels).logits as Tensor;
  return await out.toArray();
}

const FIRST = [5, 0, 0, 0, 5, 0], SECOND = [0, 0, 5, 5, 0, 0];

Deno.test("subcenter_arcface: a restore of the counts re-derives the dominant sub-centres", async () => {
  const head = headWith(FIRST);
  const before = await logits(head);
  restoreTensors(
    [{ path: "counts", tensor: head.counts! }],
    new Map([["counts", { name: "counts", dtype: "f32", shape: [2, 3], data: Float32Array.from(SECOND) }]]),
    "test checkpoint",
  );
  head.step(1);
  const expected = await logits(headWith(SECOND));
  assert.notDeepStrictEqual(before, expected, "the two count sets must pick different sub-centres");
  assert.deepStrictEqual(await logits(head), expected);
});

Deno.test("subcenter_arcface: a state-dict load of the counts re-derives the dominant sub-centres", async () => {
  const head = headWith(FIRST);
  head.load(new Map([["counts", tensor(backend, SECOND, [2, 3])]]), { strict: false });
  head.step(1);
  assert.deepStrictEqual(await logits(head), await logits(headWith(SECOND)));
});
