/**
 * Your own data, end to end (issue 12), with no external data: the project's writers turn synthface-ci into an
 * InsightFace `train.rec`/`train.idx` and a `.bin` of its test pairs, and ORL into `orl.bin`. A bench run trains
 * from the `.rec` (streamed from its raw cache) and evaluates on the two `.bin` files plus the registered `orl`;
 * the same run from the in-memory sets (`synthface-ci`, `orl`) ends with the same weight hash and the same
 * verification accuracy and AUC on every set, and both runs draw the same t-SNE map.
 */
import assert from "node:assert";
import { loadBenchDataset } from "../../src/bench/datasets.ts";
import { parseBenchArgs } from "../../src/cli/bench_args.ts";
import { runBench } from "../../src/bench/run.ts";
import { loadDataset } from "../../src/data/datasets.ts";
import { exportDataset } from "../../src/data/export/dataset_files.ts";
import type { Report } from "../../src/report/schema.ts";
import { sharedDataPresent, skipWithout } from "../_util/shared_data.ts";

const present = (await sharedDataPresent("orl/s1")) && (await sharedDataPresent("mtcnn/pnet.safetensors"));

const preset = {
  name: "own-data",
  description: "mobilefacenet_tiny × softmax, one epoch (37 iterations) on synthface-ci, three evaluation sets",
  dataset: "synthface-ci",
  backbones: ["mobilefacenet_tiny"],
  heads: ["softmax"],
  threads: 1,
  train: { epochs: 1, batchSize: 32, schedule: { kind: "multistep", lr: 0.1, warmupEpochs: 0.25 } },
  tsne: { backbone: "mobilefacenet_tiny", head: "softmax", evalSet: "orl", identities: 10, iterations: 300 },
};

/** Accuracy and AUC of the single cell and of every reference row on each set, by set name. */
function verification(report: Report): Record<string, unknown> {
  const names = [report.primaryEval!.name, ...report.evalSets.map((s) => s.name)];
  const cell = report.cells[0];
  const perSet = (k: number) => {
    const rows = [cell, ...report.references].map((r) => (k === 0 ? r.metrics : r.evalSets[k - 1].metrics)!);
    return rows.map((m) => ({ accuracy: m.accuracyMean, auc: m.auc }));
  };
  return Object.fromEntries(names.map((name, k) => [name, perSet(k)]));
}

Deno.test({
  name: "own data: training on a .rec and evaluating on .bin files equals the in-memory run, with Table-3 columns",
  ignore: skipWithout(present),
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "facebench-own-data-" });
    try {
      const synth = await exportDataset(await loadDataset("synthface-ci"), `${dir}/synth`);
      const orl = await exportDataset(await loadBenchDataset("orl"), `${dir}/orl`);
      const orlBin = `${dir}/orl/orl-export.bin`; // a set's name is its file's stem, and "orl" is the registered set
      await Deno.rename(orl.bin, orlBin);
      const run = async (name: string, fields: Record<string, unknown>, flags: string[] = []) => {
        const path = `${dir}/${name}.json`;
        await Deno.writeTextFile(path, JSON.stringify({ ...preset, ...fields }));
        return (await runBench(
          parseBenchArgs(["--preset", path, "--out", `${dir}/reports`, "--no-throughput", ...flags]),
        ))
          .reports[0];
      };
      const files = await run("files", { evalSets: [synth.bin, orlBin, "orl"] }, ["--train", synth.rec]);
      const memory = await run("memory", { evalSets: ["synthface-ci", "orl"] });

      assert.strictEqual(files.environment.dataset.id, synth.rec);
      assert.deepStrictEqual(
        [files.primaryEval!, ...files.evalSets].map((s) => [s.name, s.kind, s.identitiesKnown]),
        [["synthface-ci", "bin", false], ["orl-export", "bin", false], ["orl", "dataset", true]],
      );
      const [a, b] = [files.cells[0], memory.cells[0]];
      assert.strictEqual(a.error, null);
      assert.strictEqual(b.error, null);
      assert.ok(a.weightHash !== null && a.steps === 37, `steps ${a.steps}`);
      assert.strictEqual(a.weightHash, b.weightHash, "the .rec trains the same model as the in-memory split");
      const fromFiles = verification(files), inMemory = verification(memory);
      assert.deepStrictEqual(fromFiles["synthface-ci"], inMemory["synthface-ci"], "synthface-ci.bin = synthface-ci");
      assert.deepStrictEqual(fromFiles["orl-export"], inMemory["orl"], "orl-export.bin = orl");
      assert.deepStrictEqual(fromFiles["orl"], inMemory["orl"], "registered orl in both runs");
      assert.strictEqual(a.metrics!.rank1, null, "a .bin has no identities: no rank-1");
      assert.ok(a.evalSets[1].metrics!.rank1 !== null, "orl has identities");
      assert.strictEqual(a.evalSets.length, 2);
      assert.ok(a.evalSets.every((s) => s.evalCurve.length === 1 && s.evalCurve[0].step === 37), "per-set curves");
      assert.ok(files.tsne && files.tsne.points.length === 100, "t-SNE of 10 ORL identities × 10 images");
      assert.deepStrictEqual(files.tsne, memory.tsne, "the same model maps to the same t-SNE points");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
