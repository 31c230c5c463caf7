import assert from "node:assert";
import { mergeReports } from "../../src/bench/merge.ts";
import { parseReport, type Report } from "../../src/report/schema.ts";
import { evalSetsReport } from "../report/_eval_sets_fixture.ts";
import { syntheticReport } from "../report/_fixture.ts";

/** Splits `full` into `count` shard reports the way `--shard i/count` would produce them. */
function shardsOf(count: number, full: Report = syntheticReport()): Report[] {
  return Array.from({ length: count }, (_, k) => ({
    ...structuredClone(full),
    run: { ...full.run, id: `shard-${k + 1}`, createdAt: `2026-11-29T04:0${k}:00Z`, shards: [{ index: k + 1, count }] },
    cells: full.cells.filter((c) => c.index % count === k),
    throughput: k === 0 ? full.throughput : [],
  }));
}

Deno.test("mergeReports: joins shards back into the full matrix, in matrix order", () => {
  const parts = shardsOf(3).reverse().map((report, i) => ({ source: `s${i}.json`, report }));
  const merged = parseReport(mergeReports(parts, "merged"), "merged");
  const full = syntheticReport();
  assert.deepStrictEqual(merged.cells, full.cells);
  assert.deepStrictEqual(merged.throughput, full.throughput);
  assert.deepStrictEqual(merged.references, full.references);
  assert.deepStrictEqual(merged.statistics, full.statistics, "statistics recomputed from the merged rows");
  assert.deepStrictEqual(merged.run.shards, [{ index: 1, count: 3 }, { index: 2, count: 3 }, { index: 3, count: 3 }]);
  assert.strictEqual(merged.run.createdAt, "2026-11-29T04:02:00Z");
  assert.strictEqual(merged.run.id, "merged");
});

Deno.test("mergeReports: missing, duplicate and mismatched shards are errors naming the files", () => {
  const [a, b, c] = shardsOf(3);
  assert.throws(
    () => mergeReports([{ source: "a", report: a }, { source: "b", report: b }], "m"),
    /missing shard\(s\) 3\/3/,
  );
  assert.throws(
    () => mergeReports([{ source: "a", report: a }, { source: "a2", report: a }], "m"),
    /shard 1\/3 appears in a and a2/,
  );
  const otherSeed = { ...c, run: { ...c.run, seeds: [1] } };
  assert.throws(
    () => mergeReports([{ source: "a", report: a }, { source: "c", report: otherSeed }], "m"),
    /merge: c has seeds \[1\], a has \[1337\]; expected the same/,
  );
  const otherReference = structuredClone(c);
  otherReference.references[0].metrics.accuracyMean = 0.5;
  assert.throws(
    () =>
      mergeReports(
        [{ source: "a", report: a }, { source: "b", report: b }, { source: "c", report: otherReference }],
        "m",
      ),
    /reference raw_pixels\/null\/null differs between a and c/,
  );
  const unsharded = syntheticReport();
  assert.throws(() => mergeReports([{ source: "u", report: unsharded }], "m"), /u is not a shard report/);
  const overlap = { ...b, cells: [...b.cells, a.cells[0]] };
  assert.throws(
    () => mergeReports([{ source: "a", report: a }, { source: "b", report: overlap }, { source: "c", report: c }], "m"),
    /cell 0 \(ir_se_50_tiny\/arcface, seed 1337\) is in a and b/,
  );
});

Deno.test("mergeReports: shards with further evaluation sets must agree on them; the merge carries them and the t-SNE map", () => {
  const full = evalSetsReport();
  const [a, b] = shardsOf(2, full);
  b.tsne = null; // the shard that ran the mapped cell made the map
  const merged = parseReport(mergeReports([{ source: "a", report: a }, { source: "b", report: b }], "m"), "m");
  assert.deepStrictEqual(merged.cells, full.cells);
  assert.deepStrictEqual([merged.primaryEval, merged.evalSets, merged.tsne], [
    full.primaryEval,
    full.evalSets,
    full.tsne,
  ]);
  assert.deepStrictEqual(merged.statistics, full.statistics, "per-set statistics recomputed from the merged rows");
  const pair = (report: Report) => [{ source: "a", report: a }, { source: "b", report }];
  assert.throws(
    () => mergeReports(pair({ ...b, primaryEval: null }), "m"),
    /merge: b has primary evaluation set null, a has \{"name":"synthface-ci",/,
  );
  assert.throws(
    () => mergeReports(pair({ ...b, evalSets: b.evalSets.slice(0, 1) }), "m"),
    /merge: b has further evaluation sets \[\{"name":"orl",[^]*\]; expected the same/,
  );
  const otherPairs = structuredClone(b);
  otherPairs.evalSets[1].evaluation!.folds = 5;
  assert.throws(
    () => mergeReports(pair(otherPairs), "m"),
    /merge: b has further evaluation pairs \[\{"identities":40,[^]*… \(\d+ characters\), a has/,
  );
  const otherMap = structuredClone(b);
  otherMap.tsne = { ...full.tsne!, seed: 42 };
  assert.throws(() => mergeReports(pair(otherMap), "m"), /the t-SNE maps of a and b differ/);
});

Deno.test("mergeReports: a browser page's report beside a CLI report, or two whole runs, point to compare-backends", () => {
  const cli = syntheticReport();
  cli.run.shards = [{ index: 1, count: 1 }];
  const page = structuredClone(cli);
  page.environment.deno = "none (browser page bundled by Deno 2.9.6)";
  page.environment.v8 = "HeadlessChrome 156.0.8078.114";
  assert.throws(
    () => mergeReports([{ source: "cli.json", report: cli }, { source: "page.json", report: page }], "m"),
    new RegExp(
      "merge: cli.json was run in the command line \\(Deno .+\\), page.json in a browser page " +
        "\\(HeadlessChrome 156.0.8078.114\\); merge joins the shards of one run; to compare runs, use " +
        "`deno task bench compare-backends cli.json page.json`",
    ),
  );
  assert.throws(
    () => mergeReports([{ source: "a.json", report: cli }, { source: "b.json", report: cli }], "m"),
    /merge: a.json and b.json are whole runs; merge joins the shards of one run; to compare runs, use `deno task bench compare-backends a.json b.json`/,
  );
});
