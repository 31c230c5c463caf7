/**
 * Which full-size backbones a per-family benchmark measures: the names matched by comma-separated globs, or by
 * default the first full-size preset of every family (a preset's first tag is its family), in registry order; and
 * the command-line options those benchmarks share.
 * @module
 */
import { backbones } from "../src/models/mod.ts";
import { usageError } from "./_args.ts";

/** The backbones `globs` (comma-separated) name, else the first full-size preset of every family. */
export function selectFamilies(globs: string | undefined): string[] {
  if (globs) {
    const names = globs.split(",").flatMap((glob) => backbones.list(glob.trim()).map((e) => e.name));
    return names.length > 0 ? names : usageError(`--backbones ${globs} matches no registered backbone`);
  }
  const seen = new Set<string>();
  return backbones.list().filter((e) => !e.tags.includes("tiny") && !seen.has(e.tags[0]) && seen.add(e.tags[0]))
    .map((e) => e.name);
}

/** The options every per-family benchmark takes: `--backbones` globs, `--batch`, `--threads`. */
export const FAMILY_OPTIONS = {
  backbones: { type: "string" },
  batch: { type: "string", default: "4" },
  threads: { type: "string", default: "2" },
} as const;
