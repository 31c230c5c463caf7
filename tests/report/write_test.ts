import assert from "node:assert";
import { join } from "node:path";
import { readReport, writeReport } from "../../src/report/write.ts";
import { syntheticReport } from "./_fixture.ts";

Deno.test("writeReport: writes json, md and html; readReport reads the JSON back", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const files = await writeReport(join(dir, "run-1"), syntheticReport());
    assert.deepStrictEqual(await readReport(files.json), syntheticReport());
    assert.ok((await Deno.readTextFile(files.markdown)).includes("| mobilefacenet_tiny |"));
    assert.ok((await Deno.readTextFile(files.html)).includes('<figure class="chart" id="chart-accuracy-heatmap">'));
    assert.deepStrictEqual([...Deno.readDirSync(join(dir, "run-1"))].map((e) => e.name).sort(), [
      "report.html",
      "report.json",
      "report.md",
    ]);
    await Deno.writeTextFile(join(dir, "bad.json"), '{"version": 2}');
    await assert.rejects(readReport(join(dir, "bad.json")), /report .*bad.json is invalid:\n {2}run: /);
    await assert.rejects(readReport(join(dir, "none.json")), /cannot read report .*none.json/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
