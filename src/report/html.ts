/**
 * `report.html`: one self-contained file (inline CSS and SVG charts, no scripts, no external resources).
 * @module
 */
import { type ChartSpec, chartSpecs, renderSvg } from "./charts.ts";
import { escapeHtml } from "./format.ts";
import type { Report } from "./schema.ts";
import { reportSections, type Section } from "./sections.ts";
import { type Table, WEIGHT_HASH_COLUMN } from "./tables.ts";

// up to 1280 px of content: at a 1300-px window the cells table and a cross design's matrix need no scrolling
const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 1280px; padding: 0 0.5em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 3px 4px; text-align: left; white-space: nowrap; }
th { background: #f3f3f3; white-space: normal; vertical-align: bottom; }
td.error { color: #b00; white-space: normal; overflow-wrap: break-word; }
td.hash code { font: 12px ui-monospace, monospace; }
figure { margin: 1.5em 0; overflow-x: auto; }
figcaption { font-weight: 600; margin-bottom: 0.5em; }
.scroll { overflow-x: auto; }
p.note { color: #555; max-width: 60em; }`;

/** Hex digits of a weight hash that the HTML shows (the full hash is the cell's `title`, shown on hover). */
export const HASH_DIGITS = 12;

/** One body cell: a non-empty "error" cell wraps (class `error`), a weight hash is shortened. */
function htmlCell(text: string, column: string): string {
  if (column === "error" && text) return `<td class="error">${escapeHtml(text)}</td>`;
  if (column === WEIGHT_HASH_COLUMN && text.length > HASH_DIGITS) {
    const short = escapeHtml(text.slice(0, HASH_DIGITS));
    return `<td class="hash" title="${escapeHtml(text)}"><code>${short}</code>…</td>`;
  }
  return `<td>${escapeHtml(text)}</td>`;
}

/**
 * Renders a table as HTML inside its own horizontally scrolling box, so a wide table never widens the page. Body cells
 * stay on one line (errors excepted); headers wrap, also after "@", "=", "/" and "_" (e.g. "TAR@FAR=0.001 %"), so a
 * column is about as wide as its values. Weight hashes show their first {@link HASH_DIGITS} digits.
 */
export function htmlTable(table: Table): string {
  const header = (h: string) => `<th>${escapeHtml(h).replace(/[@=/_]/g, "$&<wbr>")}</th>`;
  const rows = table.rows.map((r) => `<tr>${r.map((c, i) => htmlCell(c, table.header[i])).join("")}</tr>`);
  const head = `<tr>${table.header.map(header).join("")}</tr>`;
  return `<div class="scroll"><table>\n${head}\n${rows.join("\n")}\n</table></div>`;
}

/**
 * One self-contained page: the title, then each section (heading, note, table), with the charts rendered to SVG now
 * (so opening the file runs no code) and placed after section `chartsAfter`.
 */
export async function htmlPage(
  title: string,
  sections: readonly Section[],
  charts: readonly ChartSpec[],
  chartsAfter = 0,
): Promise<string> {
  const figures: string[] = [];
  for (const chart of charts) {
    figures.push(
      `<figure class="chart" id="chart-${chart.id}"><figcaption>${escapeHtml(chart.title)}</figcaption>\n` +
        `${await renderSvg(chart.spec)}\n</figure>`,
    );
  }
  const heading = escapeHtml(title);
  const body = [`<h1>${heading}</h1>`];
  sections.forEach((section, i) => {
    body.push(`<h2>${escapeHtml(section.title)}</h2>`);
    if (section.note) body.push(`<p class="note">${escapeHtml(section.note)}</p>`);
    body.push(htmlTable(section.table));
    if (i === chartsAfter) body.push(...figures);
  });
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${heading}</title>
<style>${STYLE}
</style>
</head>
<body>
${body.join("\n")}
</body>
</html>
`;
}

/** The whole HTML report: its sections, with the charts after the first. */
export function renderHtml(report: Report): Promise<string> {
  return htmlPage(`facebench report ${report.run.id}`, reportSections(report), chartSpecs(report));
}
