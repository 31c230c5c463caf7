import assert from "node:assert";
import { markdownTable, renderMarkdown } from "../../src/report/markdown.ts";
import { syntheticReport } from "./_fixture.ts";

Deno.test("renderMarkdown: accuracy matrix with intervals and marks, references, comparisons, throughput", () => {
  const md = renderMarkdown(syntheticReport());
  assert.ok(md.startsWith("# facebench report 2026-11-29T04-00-00Z-quick\n"));
  assert.ok(md.includes("## Verification accuracy, % [95% CI] (1 seed)"));
  assert.ok(md.includes("Holm-corrected over 9 comparisons at α = 0.05"));
  assert.ok(md.includes("| backbone \\ head | arcface | cosface | softmax |"), md);
  assert.ok(
    md.includes("| ir_se_50_tiny | 98.00 [91.77, 99.56] ◆ | 95.50 [89.25, 98.95] ◆° | 95.50 [88.57, 99.15] ◆° |"),
  );
  assert.ok(md.includes("| mobilefacenet_tiny | 87.50 [78.83, 93.76] ◆° | failed | 82.50 [70.56, 90.39] ° |"));
  assert.ok(md.includes("| raw_pixels | 1 | 56.50 [33.21, 72.19] | 0.5935 [0.4731, 0.6940] |"));
  assert.ok(md.includes("| untrained:mobilefacenet_tiny | 1 | 78.50 [62.78, 87.58] |"));
  assert.ok(md.includes("| mobilefacenet_tiny/softmax | 1 | 82.50 [70.56, 90.39] | 0.00 |"));
  assert.ok(
    md.includes(
      "| ir_se_50_tiny/arcface | untrained:ir_se_50_tiny | learned? | +13.50 [+4.23, +26.17] | " +
        "+0.0893 [+0.0393, +0.1588] | 0.0040 | 0.0320 | 3.5e-6 | a better |",
    ),
  );
  assert.ok(md.includes("TAR@FAR=0.001 % | TAR@FAR=0.01 %"));
  assert.ok(md.includes("Error: loss became NaN at step 17"));
  assert.ok(md.includes("| wasm | 2 | ir_50 | 8 | 3.5 | 11.3 | 700.0 MiB |  |"), md);
  assert.ok(md.includes("| webgpu | 1 | ir_50 | 8 | – | – | – | no WebGPU adapter |"));
  assert.ok(md.includes("synthface-ci (sha256 abababababababab…; 100 identities, 2000 train images, 600 eval pairs)"));
});

Deno.test("markdownTable: escapes pipes and newlines inside cells", () => {
  assert.strictEqual(markdownTable({ header: ["a"], rows: [["x|y\nz"]] }), "| a |\n| --- |\n| x\\|y z |");
});
