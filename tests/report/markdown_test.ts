import assert from "node:assert";
import { markdownTable, renderMarkdown } from "../../src/report/markdown.ts";
import { syntheticReport } from "./_fixture.ts";

Deno.test("renderMarkdown: accuracy matrix shows every cell, failures and throughput", () => {
  const md = renderMarkdown(syntheticReport());
  assert.ok(md.startsWith("# facebench report 2026-11-29T04-00-00Z-quick\n"));
  assert.ok(md.includes("| backbone \\ head | arcface | cosface | softmax |"), md);
  assert.ok(md.includes("| ir_se_50_tiny | 91.00 ± 1.20 | 88.00 ± 1.20 | 85.00 ± 1.20 |"));
  assert.ok(md.includes("| mobilefacenet_tiny | 83.00 ± 1.20 | failed | 80.00 ± 1.20 |"));
  assert.ok(md.includes("TAR@FAR=0.001 % | TAR@FAR=0.01 %"));
  assert.ok(md.includes("Error: loss became NaN at step 17"));
  assert.ok(md.includes("| wasm | 2 | ir_50 | 8 | 3.5 | 11.3 | 700.0 MiB |  |"), md);
  assert.ok(md.includes("| webgpu | 1 | ir_50 | 8 | – | – | – | no WebGPU adapter |"));
  assert.ok(md.includes("synthface-ci (sha256 abababababababab…; 100 identities, 2000 train images, 600 eval pairs)"));
});

Deno.test("markdownTable: escapes pipes and newlines inside cells", () => {
  assert.strictEqual(markdownTable({ header: ["a"], rows: [["x|y\nz"]] }), "| a |\n| --- |\n| x\\|y z |");
});
