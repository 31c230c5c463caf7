/**
 * Writes a report directory: `report.json` (the source of truth), `report.md` and `report.html`, each atomically.
 * @module
 */
import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic_write.ts";
import { renderHtml } from "./html.ts";
import { renderMarkdown } from "./markdown.ts";
import { parseReport, type Report } from "./schema.ts";

/** Paths of the files written. */
export interface ReportFiles {
  /** report.json */
  json: string;
  /** report.md */
  markdown: string;
  /** report.html */
  html: string;
}

/** Validates `report` and writes the three files into `dir` (e.g. `reports/<run-id>`). */
export async function writeReport(dir: string, report: Report): Promise<ReportFiles> {
  const valid = parseReport(report, `${report.run?.id ?? "(unnamed)"} (before writing)`);
  const files = { json: join(dir, "report.json"), markdown: join(dir, "report.md"), html: join(dir, "report.html") };
  await writeFileAtomic(files.json, JSON.stringify(valid, null, 2) + "\n");
  await writeFileAtomic(files.markdown, renderMarkdown(valid));
  await writeFileAtomic(files.html, await renderHtml(valid));
  return files;
}

/** Reads and validates a report (or baseline) JSON file; errors name the file and the field. */
export async function readReport(path: string): Promise<Report> {
  let json: unknown;
  try {
    json = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    throw new Error(`cannot read report ${path}: ${(error as Error).message}`);
  }
  return parseReport(json, path);
}
