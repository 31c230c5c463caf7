/**
 * `deno task eval --onnx`: option parsing (defaults, invalid values named by flag); bad input exits 2 with a message
 * naming it (missing file, a file that is not ONNX, an input size the model's declared input refuses, an unknown
 * dataset); and end to end, an exported `mobilefacenet_tiny` (seeded init, NCHW) evaluated with onnxruntime-web on
 * synthface-ci's test split gives the same row as the bench's untrained reference of the same backbone and seed
 * (engine forward on the reference backend), with the report's interval, TAR@FAR and rank-1 (in the Markdown and HTML
 * reference table too) and the HTML's ROC chart of the row.
 */
import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { loadBenchDataset } from "../../src/bench/datasets.ts";
import { benchEvalSet } from "../../src/bench/eval_sets.ts";
import { untrainedReference } from "../../src/bench/references.ts";
import { exportToFile } from "../../src/cli/export.ts";
import { EvalInputError, evaluateOnnx, main, parseEvalArgs } from "../../src/cli/eval.ts";
import { evalSetOf } from "../../src/data/dataset.ts";
import { readReport } from "../../src/report/write.ts";
import { withTempDir } from "../_util/temp_files.ts";

Deno.test("eval --onnx: options parse with the bench's defaults; invalid values name their flag", () => {
  const request = parseEvalArgs(["--onnx", "dir/model.onnx", "--dataset", "orl, synthface-ci", "--std", "128"]);
  assert.strictEqual(request.name, "model");
  assert.deepStrictEqual(request.sets, ["orl", "synthface-ci"]);
  assert.deepStrictEqual(request.input, { layout: "NCHW", channels: "RGB", size: 112, mean: 127.5, std: 128 });
  assert.deepStrictEqual(request.eval, { flip: true, folds: 10, farTargets: [1e-3, 1e-2] });
  const nhwc = parseEvalArgs([
    "--onnx",
    "m.onnx",
    "--dataset",
    "orl",
    "--layout",
    "nhwc",
    "--channels",
    "bgr",
    "--mean",
    "1,2,3",
    "--no-flip",
  ]);
  assert.deepStrictEqual([nhwc.input.layout, nhwc.input.channels, nhwc.input.mean, nhwc.eval.flip], ["NHWC", "BGR", [
    1,
    2,
    3,
  ], false]);
  const bad: [string[], RegExp][] = [
    [["--dataset", "orl"], /--onnx is required/],
    [["--onnx", "m.onnx"], /--dataset is required/],
    [["--onnx", "m.onnx", "--dataset", "orl", "--layout", "NWHC"], /--layout/],
    [["--onnx", "m.onnx", "--dataset", "orl", "--mean", "1,2"], /--mean/],
    [["--onnx", "m.onnx", "--dataset", "orl", "--std", "0"], /--std: std must be > 0/],
    [["--onnx", "m.onnx", "--dataset", "orl", "--size", "-3"], /--size/],
    [["--onnx", "m.onnx", "--dataset", "orl", "--folds", "1"], /--folds "1"/],
    [["--onnx", "m.onnx", "--dataset", "orl", "--far", "2"], /--far/],
    [["--onnx", "m.onnx", "--dataset", "orl", "--bogus"], /bogus/],
  ];
  for (const [args, message] of bad) {
    assert.throws(
      () => parseEvalArgs(args),
      (e) => e instanceof EvalInputError && message.test(e.message),
      args.join(" "),
    );
  }
});

Deno.test("eval --onnx: a missing or invalid model, a refused input size and an unknown dataset exit 2, named", async () => {
  await withTempDir(async (dir) => {
    await exportToFile({ backbone: "mobilefacenet_tiny", out: `${dir}/tiny.onnx` });
    await Deno.writeFile(`${dir}/junk.onnx`, new Uint8Array([1, 2, 3, 4, 5]));
    const errors: string[] = [];
    const original = console.error;
    console.error = (line: string) => errors.push(line);
    try {
      const cases: [string[], RegExp][] = [
        [["--onnx", `${dir}/absent.onnx`, "--dataset", "synthface-ci"], /absent\.onnx: cannot read it/],
        [["--onnx", `${dir}/junk.onnx`, "--dataset", "synthface-ci"], /junk\.onnx: onnxruntime-web cannot load it/],
        [
          ["--onnx", `${dir}/tiny.onnx`, "--dataset", "synthface-ci", "--size", "64"],
          /tiny\.onnx: the model declares input "input" as \[N, 3, 112, 112\]/,
        ],
        [
          ["--onnx", `${dir}/tiny.onnx`, "--dataset", "synthface-ci", "--layout", "NHWC"],
          /\[N, 3, 112, 112\], the options give NHWC/,
        ],
        [
          ["--onnx", `${dir}/tiny.onnx`, "--dataset", "no-such-set", "--out", dir],
          /--dataset no-such-set: .*registered dataset id/,
        ],
      ];
      for (const [args, message] of cases) {
        errors.length = 0;
        assert.strictEqual(await main(args), 2, args.join(" "));
        assert.match(errors.join("\n"), message);
      }
    } finally {
      console.error = original;
    }
  });
});

Deno.test("eval --onnx: an exported backbone scores as the bench's own evaluation of it, in the bench's report", async () => {
  await withTempDir(async (dir) => {
    await exportToFile({ backbone: "mobilefacenet_tiny", out: `${dir}/tiny.onnx` });
    const request = parseEvalArgs([
      "--onnx",
      `${dir}/tiny.onnx`,
      "--dataset",
      "synthface-ci",
      "--out",
      dir,
      "--batch",
      "50",
    ]);
    const { report, files } = await evaluateOnnx(request, () => {});
    assert.deepStrictEqual(await readReport(files.json), report);
    const markdown = await Deno.readTextFile(files.markdown);
    assert.match(markdown, /## Reference rows[^#]*\| onnx:tiny \| 1 \|/);
    assert.doesNotMatch(markdown, /backbone \\ head|Cells \(one row per seed\)/, "no cells: no matrix, no cell rows");
    assert.strictEqual(report.cells.length, 0);
    const [row] = report.references;
    assert.strictEqual(row.kind, "onnx");
    assert.strictEqual(row.backbone, "tiny");
    const stats = report.statistics!.references[0];
    assert.strictEqual(stats.key, "onnx:tiny");
    assert.ok(stats.accuracy.low <= row.metrics.accuracyMean && row.metrics.accuracyMean <= stats.accuracy.high);
    assert.strictEqual(row.metrics.tarAtFar.length, 2);
    assert.ok(row.metrics.rank1 !== null, "synthface-ci has identities: rank-1 is reported");
    const rank1 = (100 * row.metrics.rank1).toFixed(2);
    assert.match(markdown, new RegExp(`\\| onnx:tiny \\| 1 \\|.*\\| ${rank1} \\|\n`), "rank-1, the last column");
    const html = await Deno.readTextFile(files.html);
    assert.match(html, new RegExp(`<td>onnx:tiny</td>.*<td>${rank1}</td></tr>`));
    assert.match(html, /<figure class="chart" id="chart-reference-roc">[^]*onnx:tiny<\/text>[^]*<\/svg>/);

    const dataset = await loadBenchDataset("synthface-ci");
    const set = benchEvalSet(evalSetOf(dataset), report.primaryEval!.hash);
    const preset = { train: { batchSize: 50 } as never, eval: request.eval, backboneOptions: {} };
    const engine = await untrainedReference(new ReferenceBackend(), [set], preset, "mobilefacenet_tiny", 0);
    const pairs = report.evaluation!.same.length;
    assert.ok(
      Math.abs(engine.metrics.accuracyMean - row.metrics.accuracyMean) <= 2 / pairs,
      `accuracy: onnx ${row.metrics.accuracyMean}, engine ${engine.metrics.accuracyMean}`,
    );
    assert.ok(
      Math.abs(engine.metrics.auc - row.metrics.auc) <= 1e-3,
      `AUC: onnx ${row.metrics.auc}, engine ${engine.metrics.auc}`,
    );
    assert.strictEqual(engine.metrics.rank1, row.metrics.rank1);
  });
});
