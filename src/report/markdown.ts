/**
 * `report.md`: the report as Markdown tables.
 * @module
 */
import type { Report } from "./schema.ts";
import { reportSections } from "./sections.ts";
import type { Table } from "./tables.ts";

/** Renders a table as GitHub-flavoured Markdown (pipes in cells escaped). */
export function markdownTable(table: Table): string {
  const esc = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const line = (cells: string[]) => `| ${cells.map(esc).join(" | ")} |`;
  return [line(table.header), line(table.header.map(() => "---")), ...table.rows.map(line)].join("\n");
}

/** The whole Markdown report. */
export function renderMarkdown(report: Report): string {
  const parts = [`# facebench report ${report.run.id}`];
  for (const section of reportSections(report)) {
    parts.push(`## ${section.title}`);
    if (section.note) parts.push(section.note);
    parts.push(markdownTable(section.table));
  }
  return parts.join("\n\n") + "\n";
}
