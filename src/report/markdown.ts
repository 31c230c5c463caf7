/**
 * `report.md`: the report as Markdown tables.
 * @module
 */
import type { Report } from "./schema.ts";
import { accuracyMatrix, cellDetails, environmentTable, type Table, throughputTable } from "./tables.ts";

/** Renders a table as GitHub-flavoured Markdown (pipes in cells escaped). */
export function markdownTable(table: Table): string {
  const esc = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const line = (cells: string[]) => `| ${cells.map(esc).join(" | ")} |`;
  return [line(table.header), line(table.header.map(() => "---")), ...table.rows.map(line)].join("\n");
}

/** The whole Markdown report. */
export function renderMarkdown(report: Report): string {
  const sections = [
    `# facebench report ${report.run.id}`,
    "## Verification accuracy (10-fold, %)",
    markdownTable(accuracyMatrix(report)),
    "## Cells",
    markdownTable(cellDetails(report)),
  ];
  if (report.throughput.length > 0) sections.push("## Throughput", markdownTable(throughputTable(report)));
  sections.push("## Environment", markdownTable(environmentTable(report)));
  return sections.join("\n\n") + "\n";
}
