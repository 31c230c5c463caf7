import assert from "node:assert";
import { replicate, replicationTable } from "../../src/report/replication.ts";
import { syntheticReport } from "./_fixture.ts";

Deno.test("replicate: a report replicates itself; another draw keeps the direction; other pairs are refused", () => {
  const first = syntheticReport();
  const significant = first.statistics!.comparisons.filter((c) => c.significant).length;
  assert.ok(significant >= 3, `the fixture has significant findings (${significant})`);
  const self = replicate(first, first);
  assert.strictEqual(self.rows.length, significant);
  assert.strictEqual(
    self.replicated,
    significant,
    "the same distances re-tested over fewer comparisons stay significant",
  );
  assert.ok(
    self.rows.every((r) => r.second.difference > 0 && Math.abs(r.second.difference - r.first.difference) < 1e-15),
  );
  const again = replicate(first, syntheticReport(11), ["a.json", "b.json"]);
  assert.strictEqual(again.rows.length, significant);
  assert.ok(again.rows.every((r) => ["replicated", "same direction, not significant", "reversed"].includes(r.verdict)));
  assert.strictEqual(again.replicated, again.rows.filter((r) => r.verdict === "replicated").length);
  const table = replicationTable(again);
  assert.deepStrictEqual(table.header.slice(0, 3), ["better", "worse", "for"]);
  assert.strictEqual(table.rows.length, significant);
  const other = syntheticReport(11);
  other.evaluation = { ...other.evaluation!, folds: 5 };
  assert.throws(
    () => replicate(first, other, ["a.json", "b.json"]),
    /a.json and b.json are not evaluated on the same pairs/,
  );
  const baseline = {
    ...other,
    evaluation: first.evaluation,
    cells: other.cells.map((c) => ({ ...c, distances: null })),
  };
  assert.throws(() => replicate(first, baseline, ["a.json", "b.json"]), /b.json has no pair distances/);
});

Deno.test("replicate: the same pairs of another primary set are refused; a report without a named set passes", () => {
  const first = syntheticReport();
  const named = {
    ...first,
    primaryEval: {
      name: "synthface-ci",
      source: "synthface-ci",
      kind: "dataset" as const,
      hash: "ab".repeat(32),
      identitiesKnown: true,
    },
  };
  assert.strictEqual(
    replicate(first, named).rows.length,
    replicate(first, first).rows.length,
    "null: the dataset's split",
  );
  const other = { ...named, primaryEval: { ...named.primaryEval, name: "agedb_30" } };
  assert.throws(() => replicate(named, other, ["a.json", "b.json"]), /not evaluated on the same pairs/);
  const rehashed = { ...named, primaryEval: { ...named.primaryEval, hash: "cd".repeat(32) } };
  assert.throws(() => replicate(named, rehashed), /not evaluated on the same pairs/);
});
