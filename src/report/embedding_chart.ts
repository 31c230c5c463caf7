/**
 * A 2-D map of embeddings (e.g. the t-SNE of test-set embeddings, as in face.evoLVe's README figure) as a Vega-Lite
 * scatter plot: one point per image, coloured by identity with the 20-colour categorical palette Tableau 20 (dark
 * shades first), the legend in order of first appearance, the method named in the subtitle. The axes are hidden: map
 * coordinates have no units. Render it with {@link renderSvg} from `charts.ts`. Used by `tools/tsne_figure.ts` and,
 * through {@link tsneChart}, for a report's t-SNE map.
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import type { Tsne } from "./schema.ts";

/**
 * Vega's `tableau20` scheme (Tableau 20) with its ten dark shades first and their light partners after, so that up
 * to ten identities get ten different hues.
 */
export const IDENTITY_PALETTE: readonly string[] = [
  ...["#4c78a8", "#f58518", "#54a24b", "#b79a20", "#439894", "#e45756", "#79706e", "#d67195", "#b279a2", "#9e765f"],
  ...["#9ecae9", "#ffbf79", "#88d27a", "#f2cf5b", "#83bcb6", "#ff9d98", "#bab0ac", "#fcbfd2", "#d6a5c9", "#d8b5a5"],
];

/** The most identities one chart shows: the palette's 20 colours, each used once. */
export const MAX_CHART_IDENTITIES = IDENTITY_PALETTE.length;

/** What {@link embeddingChartSpec} draws. */
export interface EmbeddingChart {
  /** n × 2 map coordinates, row-major */
  points: Float64Array;
  /** identity label of each point (n) */
  labels: readonly string[];
  /** chart title */
  title: string;
  /** how the map was made (method, settings, model), shown as the subtitle, one line per entry */
  method: readonly string[];
}

/**
 * The scatter spec of a map. Throws a RangeError when `points` is not n × 2 for the n labels, or when there are more
 * than {@link MAX_CHART_IDENTITIES} distinct labels (colours would repeat).
 */
export function embeddingChartSpec(chart: EmbeddingChart): TopLevelSpec {
  const { points, labels } = chart;
  if (points.length !== 2 * labels.length) {
    throw new RangeError(`embedding chart: ${points.length} coordinates for ${labels.length} labels; expected n × 2`);
  }
  const identities = [...new Set(labels)];
  if (identities.length > MAX_CHART_IDENTITIES) {
    throw new RangeError(
      `embedding chart: ${identities.length} identities, at most ${MAX_CHART_IDENTITIES} can get distinct colours`,
    );
  }
  // map coordinates have no units: no axes, the domain padded by 8 px so edge points are drawn whole
  const position = (field: "x" | "y") =>
    ({ field, type: "quantitative", axis: null, scale: { zero: false, nice: false, padding: 8 } }) as const;
  return {
    title: { text: chart.title, subtitle: [...chart.method], anchor: "start" },
    data: { values: labels.map((identity, i) => ({ x: points[2 * i], y: points[2 * i + 1], identity })) },
    width: 560,
    height: 480,
    mark: { type: "point", filled: true, size: 40, opacity: 0.85 },
    encoding: {
      x: position("x"),
      y: position("y"),
      color: {
        field: "identity",
        type: "nominal",
        title: "identity",
        scale: { domain: identities, range: IDENTITY_PALETTE.slice(0, identities.length) },
      },
    },
  };
}

/**
 * The chart of a report's t-SNE map (`Report.tsne`), points labelled "id N". A map of more than
 * {@link MAX_CHART_IDENTITIES} identities is drawn with the first of them (in order of appearance) only, as its
 * title says, so that writing a report never fails on it.
 */
export function tsneChart(tsne: Tsne): EmbeddingChart {
  const identities = [...new Set(tsne.points.map((p) => p.identity))];
  const shown = new Set(identities.slice(0, MAX_CHART_IDENTITIES));
  const points = tsne.points.filter((p) => shown.has(p.identity));
  const of = identities.length > shown.size ? ` (the first ${shown.size} of ${identities.length})` : "";
  return {
    points: Float64Array.from(points.flatMap((p) => [p.x, p.y])),
    labels: points.map((p) => `id ${p.identity}`),
    title: `${tsne.evalSet}: ${points.length} images of ${shown.size} identities${of}`,
    method: [`t-SNE, perplexity ${tsne.perplexity}, ${tsne.iterations} iterations`, `${tsne.cell}, seed ${tsne.seed}`],
  };
}
