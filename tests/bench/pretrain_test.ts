/**
 * The pre-training stage end to end: mobilefacenet_tiny pre-trained on synthface-ci with softmax, then evaluated as
 * it is (`pretrained`), fine-tuned with ArcFace (`finetuned`), and trained from scratch with ArcFace (`scratch`) on
 * synthface-ci, one epoch each (batch 64, 18 iterations), in one report.
 */
import assert from "node:assert";
import { main } from "../../src/cli/bench.ts";
import { readReport } from "../../src/report/write.ts";

Deno.test({
  name: "pretrain: scratch, pretrained and finetuned rows share the initialisation; pre-training is compared",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const gate = JSON.parse(
        await Deno.readTextFile(new URL("../../benchmarks/presets/ci-gate.json", import.meta.url)),
      );
      const schedule = { kind: "multistep", lr: 0.1, warmupEpochs: 0.25, milestones: [], gamma: 0.1 };
      const preset = {
        ...gate,
        $schema: undefined,
        name: "pretrain-test",
        heads: ["softmax", "arcface"],
        cross: { backbone: "mobilefacenet_tiny", head: "softmax" },
        headOptions: { arcface: { s: 8 } },
        train: { ...gate.train, batchSize: 64 },
        pretrain: { dataset: "synthface-ci", head: "softmax", epochs: 1, batchSize: 64, schedule },
        stages: ["scratch", "pretrained", "finetuned"],
      };
      await Deno.writeTextFile(`${dir}/pretrain-test.json`, JSON.stringify(preset));
      assert.strictEqual(
        await main(["--preset", `${dir}/pretrain-test.json`, "--out", dir, "--heads", "arcface,softmax"]),
        0,
      );
      const [run] = [...Deno.readDirSync(dir)].filter((e) => e.isDirectory).map((e) => e.name);
      const report = await readReport(`${dir}/${run}/report.json`);
      const rows = report.cells.map((c) => `${c.head}@${c.stage}`);
      assert.deepStrictEqual(rows, [
        "softmax@scratch",
        "softmax@pretrained",
        "softmax@finetuned",
        "arcface@scratch",
        "arcface@finetuned",
      ]);
      const row = (head: string, stage: string) => report.cells.find((c) => c.head === head && c.stage === stage)!;
      assert.ok(report.cells.every((c) => c.error === null), report.cells.map((c) => c.error).join("; "));
      // pre-training softmax on the same data with the same seed is exactly the scratch softmax run's training
      assert.deepStrictEqual(row("softmax", "pretrained").lossCurve, row("softmax", "scratch").lossCurve);
      assert.notStrictEqual(row("arcface", "finetuned").weightHash, row("arcface", "scratch").weightHash);
      assert.strictEqual(row("arcface", "finetuned").steps, row("arcface", "scratch").steps);
      const purposes = report.statistics!.comparisons.filter((c) => c.purpose === "pretraining").map((c) => c.a);
      assert.deepStrictEqual(purposes, [
        "mobilefacenet_tiny/softmax@finetuned",
        "mobilefacenet_tiny/arcface@finetuned",
      ]);
      const md = await Deno.readTextFile(`${dir}/${run}/report.md`);
      assert.ok(
        md.includes(
          "| backbone \\ head | softmax | softmax@pretrained | softmax@finetuned | arcface | arcface@finetuned |",
        ),
        md,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
