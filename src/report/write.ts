/**
 * Writes a report directory: `report.json` (the source of truth), `report.md` and `report.html`, each atomically
 * through the host (files under Deno; kept for download in a page), and reads reports back.
 * @module
 */
import { host } from "../io/host.ts";
import { joinPath } from "../io/paths.ts";
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
  const files = {
    json: joinPath(dir, "report.json"),
    markdown: joinPath(dir, "report.md"),
    html: joinPath(dir, "report.html"),
  };
  const text = (s: string) => new TextEncoder().encode(s);
  await host().writeBytesAtomic(files.json, text(JSON.stringify(valid, null, 2) + "\n"));
  await host().writeBytesAtomic(files.markdown, text(renderMarkdown(valid)));
  await host().writeBytesAtomic(files.html, text(await renderHtml(valid)));
  return files;
}

/** Reads and validates a report (or baseline) JSON file; errors name the file and the field. */
export async function readReport(path: string): Promise<Report> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(await host().readBytes(path)));
  } catch (error) {
    throw new Error(`cannot read report ${path}: ${(error as Error).message}`);
  }
  return parseReport(json, path);
}
