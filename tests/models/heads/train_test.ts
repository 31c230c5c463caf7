/**
 * Every registered head, with its default options, trains the tiny embedding problem of `_embedding_problem.ts`:
 * 60 SGD steps at lr 0.05 at least halve its objective and draw identities closer relative to each other (the
 * intra/inter distance ratio of the normalised embeddings falls). The backbone overfit test covers ArcFace only.
 */
import assert from "node:assert";
import { heads } from "../../../src/models/mod.ts";
import { trainEmbedding } from "./_embedding_problem.ts";

for (const entry of heads.list()) {
  Deno.test(`head ${entry.name}: trains a tiny embedding problem with its defaults`, async () => {
    const run = await trainEmbedding(entry.name, {}, 60, 0.05);
    const [first, last] = [run.losses[0], run.losses.at(-1)!];
    console.log(
      `${entry.name}: loss ${first.toFixed(3)} → ${last.toFixed(3)}, spread ${run.spreadBefore.toFixed(3)} → ${
        run.spreadAfter.toFixed(3)
      }`,
    );
    assert.ok(run.losses.every(Number.isFinite), `${entry.name}: non-finite loss`);
    assert.ok(last < 0.5 * first, `${entry.name}: loss ${first} → ${last}`);
    assert.ok(run.spreadAfter < run.spreadBefore, `${entry.name}: spread ${run.spreadBefore} → ${run.spreadAfter}`);
  });
}
