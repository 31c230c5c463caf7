import assert from "node:assert";
import { markdownTable, renderMarkdown } from "../../src/report/markdown.ts";
import { syntheticReport } from "./_fixture.ts";

Deno.test("renderMarkdown: accuracy matrix with intervals and marks, references, comparisons, throughput", () => {
  const md = renderMarkdown(syntheticReport());
  assert.ok(md.startsWith("# facebench report 2026-11-29T04-00-00Z-quick\n"));
  assert.ok(md.includes("## Verification accuracy, % [95% CI] (1 seed)"));
  assert.ok(md.includes("paired bootstrap z-test on accuracy, Holm-corrected over 14 comparisons at α = 0.05"), md);
  assert.ok(md.includes("| backbone \\ head | arcface | cosface | softmax |"), md);
  assert.ok(
    md.includes("| ir_se_50_tiny | 98.00 [93.36, 99.69] ◆ | 95.50 [89.25, 98.95] ◆° | 97.50 [90.81, 99.52] ◆ |"),
  );
  assert.ok(md.includes("| mobilefacenet_tiny | 87.50 [78.83, 93.76] ◆° | failed | 78.50 [66.17, 87.92] ° |"));
  assert.ok(md.includes("| raw_pixels | 1 | 56.50 [33.21, 72.19] | 0.5935 [0.4731, 0.6940] |"));
  assert.ok(md.includes("| untrained:mobilefacenet_tiny | 1 | 75.50 [60.32, 85.16] |"));
  assert.ok(md.includes("| mobilefacenet_tiny/softmax | 1 | 78.50 [66.17, 87.92] | 0.00 |"));
  assert.ok(
    md.includes("| 43.00 [13.00, 64.08] | yes | no | no | no |"),
    "loss halved, beats untrained/raw pixels, best group",
  );
  assert.ok(
    md.includes(
      "| ir_se_50_tiny/arcface | untrained:ir_se_50_tiny | learned? | +16.50 [+6.20, +26.80] | " +
        "+0.1446 [+0.0644, +0.2248] | 0.0017 | 0.0170 | 1.0e-7 | a better |",
    ),
  );
  assert.ok(md.includes("| mobilefacenet_tiny/softmax | ir_se_50_tiny/arcface | ranking | -19.50 [-31.07, -7.93] |"));
  assert.ok(md.includes("TAR@FAR=0.001 % | TAR@FAR=0.01 %"));
  assert.ok(md.includes("Error: loss became NaN at step 17"));
  assert.ok(md.includes("| wasm | 2 | ir_50 | 8 | 3.5 | 11.3 | 700.0 MiB |  |"), md);
  assert.ok(md.includes("| webgpu | 1 | ir_50 | 8 | – | – | – | no WebGPU adapter |"));
  assert.ok(md.includes("synthface-ci (sha256 abababababababab…; 100 identities, 2000 train images, 600 eval pairs)"));
});

Deno.test("renderMarkdown: the cells table keeps the whole weight hash (the text people diff and search)", () => {
  const md = renderMarkdown(syntheticReport());
  assert.ok(md.includes(`| 410.3 | ${"00".repeat(32)} |  |`), md);
});

Deno.test("markdownTable: escapes pipes and newlines inside cells", () => {
  assert.strictEqual(markdownTable({ header: ["a"], rows: [["x|y\nz"]] }), "| a |\n| --- |\n| x\\|y z |");
});
