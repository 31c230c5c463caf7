import assert from "node:assert";
import { join } from "node:path";
import { chartSpecs } from "../../src/report/charts.ts";
import { percent } from "../../src/report/format.ts";
import { renderHtml } from "../../src/report/html.ts";
import { renderMarkdown } from "../../src/report/markdown.ts";
import { evalOnlyReport, syntheticReport } from "./_fixture.ts";

Deno.test("renderHtml: self-contained, every chart inlined as SVG, text escaped", async () => {
  const html = await renderHtml(syntheticReport());
  const ids = [...html.matchAll(/<figure class="chart" id="chart-([a-z-]+)">[^]*?<svg[^]*?<\/svg>/g)].map((m) => m[1]);
  assert.deepStrictEqual(ids, ["accuracy-heatmap", "throughput", "loss-curves", "accuracy-curves", "reference-roc"]);
  assert.ok(!/<script|<link|src="http/.test(html), "no scripts or external resources");
  assert.ok(html.includes("Error: loss became NaN at step 17 &lt;script&gt;"));
  // the heat-map labels every cell, the failed one included
  for (const label of ["98.0 ◆", "95.5 ◆°", "97.5 ◆", "87.5 ◆°", "failed", "78.5 °"]) {
    assert.ok(html.includes(`>${label}</text>`), label);
  }
});

Deno.test("renderHtml: the cells table shows a weight hash's first 12 digits, the full hash in its title", async () => {
  const html = await renderHtml(syntheticReport());
  const full = "01".repeat(32);
  assert.ok(html.includes(`<td class="hash" title="${full}"><code>010101010101</code>…</td>`));
  assert.ok(!html.includes(`>${full}<`), "the full hash is no cell's text");
  assert.ok(html.includes("<th>TAR@<wbr>FAR=<wbr>0.001 %</th>"), "headers may break after @ and =");
});

Deno.test("chartSpecs: charts without data are left out", () => {
  const report = syntheticReport();
  report.throughput = [];
  report.cells.forEach((c) => (c.evalCurve = []));
  report.references.forEach((r) => (r.distances = null));
  assert.deepStrictEqual(chartSpecs(report).map((c) => c.id), ["accuracy-heatmap", "loss-curves"]);
});

Deno.test("renderHtml: an eval-only report (one ONNX row, no cells) shows its rank-1 and draws its ROC", async () => {
  const report = evalOnlyReport();
  const html = await renderHtml(report);
  const figures = [...html.matchAll(/<figure class="chart" id="chart-([a-z-]+)">/g)].map((m) => m[1]);
  assert.deepStrictEqual(figures, ["reference-roc"]);
  const figure = /<figure class="chart" id="chart-reference-roc">([^]*?)<\/figure>/.exec(html)![1];
  assert.match(figure, /ROC of the reference rows on synthface-ci: .*\(1\/100\) to 1; dashed: chance/);
  assert.match(figure, /<svg[^]*>onnx:mobilefacenet<\/text>[^]*<\/svg>/, "the legend names the row");
  assert.match(figure, /aria-roledescription="line mark"[^]*aria-roledescription="line mark"/, "ROC and chance lines");
  const rank1 = percent(report.references[0].metrics.rank1!);
  assert.strictEqual(rank1, "58.00");
  const referenceRows = /<h2>Reference rows<\/h2>[^]*?<\/table>/.exec(html)![0];
  assert.match(referenceRows, /<th>rank-1 %<\/th><\/tr>/);
  assert.match(referenceRows, new RegExp(`<td>onnx:mobilefacenet</td>.*<td>${rank1}</td></tr>`));
  assert.match(
    renderMarkdown(report),
    new RegExp(`\\| rank-1 % \\|\n[^]*\\| onnx:mobilefacenet \\| 1 \\|.* \\| ${rank1} \\|`),
  );
});

const CHROMIUM = Deno.env.get("CHROMIUM") ?? "/usr/bin/chromium";
const hasChromium = (() => {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
})();
if (!hasChromium) {
  const message = `CHROMIUM UNAVAILABLE: ${CHROMIUM} not found (Debian: apt-get install -y chromium)`;
  if (Deno.env.get("CI") === "true") throw new Error(message);
  console.warn(message);
}

const PROBE_HEAD =
  `<script>window.__errors = []; addEventListener("error", (e) => __errors.push(String(e.message)));</script>`;
const PROBE_BODY = `<script>addEventListener("load", () => {
  const charts = [...document.querySelectorAll("figure.chart")].map((f) => {
    const svg = f.querySelector("svg");
    const box = svg.getBoundingClientRect();
    return { id: f.id, width: box.width, height: box.height, marks: svg.querySelectorAll("path, rect, text").length };
  });
  const resources = performance.getEntriesByType("resource").length;
  const page = document.documentElement.scrollWidth;
  const wideTables = [...document.querySelectorAll(".scroll")].filter((d) => d.scrollWidth > d.clientWidth)
    .map((d) => d.previousElementSibling.textContent);
  const pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify({ charts, errors: __errors, resources, page, wideTables });
  document.body.append(pre);
});</script>`;

Deno.test({
  name: "report.html renders in headless Chromium: every chart drawn, no errors, no external requests, every " +
    "table fits a 1300-px window",
  ignore: !hasChromium,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const html = (await renderHtml(syntheticReport()))
        .replace("<head>", `<head>${PROBE_HEAD}`)
        .replace("</body>", `${PROBE_BODY}</body>`);
      const page = join(dir, "report.html");
      await Deno.writeTextFile(page, html);
      const out = await new Deno.Command(CHROMIUM, {
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run",
          `--user-data-dir=${join(dir, "profile")}`,
          "--window-size=1300,1500",
          "--virtual-time-budget=5000",
          "--dump-dom",
          `file://${page}`,
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const dom = new TextDecoder().decode(out.stdout);
      const probe = /<pre id="probe">([^<]*)<\/pre>/.exec(dom);
      assert.ok(
        out.success && probe,
        `chromium exit ${out.code}: ${new TextDecoder().decode(out.stderr).slice(-2000)}`,
      );
      const result = JSON.parse(
        probe[1].replaceAll("&quot;", '"').replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&"),
      );
      assert.deepStrictEqual(result.errors, []);
      assert.strictEqual(result.resources, 0);
      assert.ok(result.page <= 1300, `page ${result.page} px wide`);
      assert.deepStrictEqual(result.wideTables, [], "tables wider than the page (they scroll in their box)");
      assert.deepStrictEqual(result.charts.map((c: { id: string }) => c.id), [
        "chart-accuracy-heatmap",
        "chart-throughput",
        "chart-loss-curves",
        "chart-accuracy-curves",
        "chart-reference-roc",
      ]);
      for (const chart of result.charts) {
        assert.ok(chart.width > 100 && chart.height > 50 && chart.marks > 10, JSON.stringify(chart));
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
