import assert from "node:assert";
import { CellJournal, type JournalKey } from "../../src/bench/cell_journal.ts";
import { cellSchema, type Tsne } from "../../src/report/schema.ts";
import { syntheticCell } from "../report/_fixture.ts";

const key: JournalKey = {
  preset: { name: "p" },
  seeds: [1337],
  backend: "wasm",
  threads: 2,
  mode: null,
  shard: null,
  datasetHash: "ab",
  gitCommit: "c0ffee",
};

const map: Tsne = {
  cell: "ir_tiny/arcface",
  seed: 1337,
  evalSet: "orl",
  perplexity: 5,
  iterations: 10,
  points: [{ x: 0.5, y: -1, identity: 0 }, { x: 1, y: 2, identity: 1 }],
};

Deno.test("cell journal: finished rows survive a reopen; damaged lines and failed rows are dropped", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const journal = await CellJournal.open(dir, key);
    assert.strictEqual(journal.size, 0);
    const done = syntheticCell(0, "ir_tiny", "arcface", 0.9);
    await journal.record({ row: done, tsne: map });
    await journal.record({ row: syntheticCell(1, "ir_tiny", "softmax", 0.8), tsne: null });
    const failed = syntheticCell(2, "ir_tiny", "cosface", null);
    await Deno.writeTextFile(journal.path, JSON.stringify({ sha256: "0".repeat(64), row: "{}" }) + "\n", {
      append: true,
    });
    const lines = (await Deno.readTextFile(journal.path)).split("\n");
    // the second row edited after it was written (its hash no longer matches), a failed row, a line cut short
    lines[1] = lines[1].replace('"accuracyMean\\":0.', '"accuracyMean\\":0.9');
    const failedJournal = await CellJournal.open(`${dir}/other`, key);
    await failedJournal.record({ row: failed, tsne: null });
    const failedLine = (await Deno.readTextFile(failedJournal.path)).trim();
    await Deno.writeTextFile(journal.path, [...lines.slice(0, 3), failedLine, lines[0].slice(0, 40)].join("\n"));
    const reopened = await CellJournal.open(dir, key);
    assert.strictEqual(reopened.path, journal.path);
    assert.strictEqual(reopened.size, 1);
    assert.strictEqual(reopened.dropped, 4);
    assert.deepStrictEqual(
      reopened.finished({ backbone: "ir_tiny", head: "arcface", stage: "scratch", seed: 1337 }),
      { row: cellSchema.parse(done), tsne: map },
      "the row and its t-SNE map come back",
    );
    assert.strictEqual(
      reopened.finished({ backbone: "ir_tiny", head: "softmax", stage: "scratch", seed: 1337 }),
      undefined,
    );
    assert.strictEqual(
      reopened.finished({ backbone: "ir_tiny", head: "arcface", stage: "scratch", seed: 1338 }),
      undefined,
    );
    const otherRun = await CellJournal.open(dir, { ...key, gitCommit: "beef" });
    assert.notStrictEqual(otherRun.path, journal.path);
    assert.strictEqual(otherRun.size, 0, "another commit (or preset, seeds, backend, …) starts its own journal");
    await reopened.remove();
    assert.strictEqual((await CellJournal.open(dir, key)).size, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
