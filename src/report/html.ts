/**
 * `report.html`: one self-contained file (inline CSS and SVG charts, no scripts, no external resources).
 * @module
 */
import { chartSpecs, renderSvg } from "./charts.ts";
import { escapeHtml } from "./format.ts";
import type { Report } from "./schema.ts";
import { reportSections } from "./sections.ts";
import type { Table } from "./tables.ts";

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 1200px; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; white-space: nowrap; }
th { background: #f3f3f3; }
td.error { color: #b00; white-space: normal; min-width: 24em; }
figure { margin: 1.5em 0; overflow-x: auto; }
figcaption { font-weight: 600; margin-bottom: 0.5em; }
.scroll { overflow-x: auto; }
p.note { color: #555; max-width: 60em; }`;

/** Renders a table as HTML; cells of the column titled "error" get the `error` class. */
export function htmlTable(table: Table): string {
  const errorColumn = table.header.indexOf("error");
  const head = `<tr>${table.header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr>`;
  const rows = table.rows.map((r) =>
    `<tr>${r.map((c, i) => `<td${i === errorColumn ? ' class="error"' : ""}>${escapeHtml(c)}</td>`).join("")}</tr>`
  );
  return `<div class="scroll"><table>\n${head}\n${rows.join("\n")}\n</table></div>`;
}

/** The whole HTML report (charts rendered to SVG now, so opening the file runs no code). */
export async function renderHtml(report: Report): Promise<string> {
  const figures: string[] = [];
  for (const chart of chartSpecs(report)) {
    figures.push(
      `<figure class="chart" id="chart-${chart.id}"><figcaption>${escapeHtml(chart.title)}</figcaption>\n` +
        `${await renderSvg(chart.spec)}\n</figure>`,
    );
  }
  const title = `facebench report ${escapeHtml(report.run.id)}`;
  const sections = [`<h1>${title}</h1>`];
  reportSections(report).forEach((section, i) => {
    sections.push(`<h2>${escapeHtml(section.title)}</h2>`);
    if (section.note) sections.push(`<p class="note">${escapeHtml(section.note)}</p>`);
    sections.push(htmlTable(section.table));
    if (i === 0) sections.push(...figures);
  });
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${STYLE}
</style>
</head>
<body>
${sections.join("\n")}
</body>
</html>
`;
}
