import assert from "node:assert";
import { renderSvg } from "../../src/report/charts.ts";
import {
  embeddingChartSpec,
  IDENTITY_PALETTE,
  MAX_CHART_IDENTITIES,
  tsneChart,
} from "../../src/report/embedding_chart.ts";

/** The SVG elements inside the first `<g class="…{cls}…">` group and its nested groups. */
function group(svg: string, cls: string): string {
  const start = svg.indexOf(`<g class="${cls}`);
  assert.ok(start >= 0, `no group ${cls}`);
  let depth = 0;
  for (const m of svg.slice(start).matchAll(/<g[ >]|<\/g>/g)) {
    depth += m[0] === "</g>" ? -1 : 1;
    if (depth === 0) return svg.slice(start, start + m.index + 4);
  }
  throw new Error(`group ${cls} is not closed`);
}

Deno.test("embedding chart: one coloured point per row, the legend in order of first appearance, title and method", async () => {
  const points = new Float64Array([0, 0, 1, 1, 2, 0.5, 3, 2, 1.5, -1, 2.5, 2.5, -1, 0]);
  const labels = ["id 7", "id 2", "id 7", "id 9", "id 2", "id 9", "id 2"];
  const svg = await renderSvg(
    embeddingChartSpec({ points, labels, title: "Test embeddings", method: ["t-SNE, KL 0.5", "untrained"] }),
  );
  const marks = [
    ...group(svg, "mark-symbol role-mark").matchAll(
      /<path aria-label="x: ([^;]+); y: ([^;]+); identity: ([^"]+)"[^>]* fill="(#[0-9a-f]{6})"/g,
    ),
  ];
  assert.strictEqual(marks.length, labels.length);
  const colourOf = new Map([["id 7", IDENTITY_PALETTE[0]], ["id 2", IDENTITY_PALETTE[1]], [
    "id 9",
    IDENTITY_PALETTE[2],
  ]]);
  marks.forEach(([, x, y, identity, fill], i) => {
    // vega's aria labels write a minus sign (U+2212)
    const value = (text: string) => Number(text.replace("\u2212", "-"));
    assert.deepStrictEqual([value(x), value(y)], [points[2 * i], points[2 * i + 1]]);
    assert.strictEqual(identity, labels[i]);
    assert.strictEqual(fill, colourOf.get(identity));
  });
  const legend = [...group(svg, "mark-group role-legend").matchAll(/role-legend-label[^>]*>\s*<text[^>]*>([^<]*)</g)];
  assert.deepStrictEqual(legend.map((m) => m[1]), ["id 7", "id 2", "id 9"]);
  assert.ok(
    svg.includes(">Test embeddings</text>") && svg.includes(">t-SNE, KL 0.5</tspan>") &&
      svg.includes(">untrained</tspan>"),
    "title and subtitle",
  );
});

Deno.test("embedding chart: mismatched points and labels, or too many identities, throw", () => {
  const spec = (n: number, identities: number) =>
    embeddingChartSpec({
      points: new Float64Array(2 * n),
      labels: Array.from({ length: n }, (_, i) => `id ${i % identities}`),
      title: "",
      method: [],
    });
  assert.throws(
    () => embeddingChartSpec({ points: new Float64Array(5), labels: ["a", "b", "c"], title: "", method: [] }),
    /5 coordinates for 3 labels/,
  );
  assert.doesNotThrow(() => spec(40, MAX_CHART_IDENTITIES));
  assert.throws(() => spec(42, MAX_CHART_IDENTITIES + 1), /21 identities, at most 20/);
});

Deno.test("tsneChart: a report's t-SNE map as an embedding chart; beyond 20 identities the first 20 only", () => {
  const tsne = {
    cell: "ir_se_50_tiny/arcface",
    seed: 1337,
    evalSet: "lfw",
    perplexity: 30,
    iterations: 1000,
    points: Array.from({ length: 50 }, (_, i) => ({ x: i, y: 2 * i, identity: 100 + (i % 25) })),
  };
  const chart = tsneChart(tsne);
  assert.strictEqual(chart.labels.length, 40);
  assert.deepStrictEqual(chart.labels.slice(0, 2), ["id 100", "id 101"]);
  assert.deepStrictEqual([...chart.points.slice(0, 4)], [0, 0, 1, 2]);
  assert.strictEqual(chart.title, "lfw: 40 images of 20 identities (the first 20 of 25)");
  assert.deepStrictEqual(chart.method, ["t-SNE, perplexity 30, 1000 iterations", "ir_se_50_tiny/arcface, seed 1337"]);
  assert.doesNotThrow(() => embeddingChartSpec(chart));
  assert.strictEqual(tsneChart({ ...tsne, points: tsne.points.slice(0, 3) }).title, "lfw: 3 images of 3 identities");
});
