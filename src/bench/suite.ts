/**
 * Suites: several presets run in order by one command, and **claims** declared in advance and tested across their
 * reports. A claim names a part (one of the suite's presets) and two rows of that part's report by their statistics
 * keys ("backbone/head", "backbone/head@stage", "raw_pixels", "untrained:backbone"); it holds when the first is
 * significantly more accurate than the second (see `src/report/claims.ts`). Suites live in `benchmarks/suites/`,
 * validated by zod; every claim is checked against its part's cells before anything trains.
 * @module
 */
import { z } from "zod";
import { claimSchema } from "../report/claims.ts";
import { cellKey, referenceKey } from "../report/statistics.ts";
import { presetCells } from "./preset_cells.ts";
import { jsonFileNames, loadPreset, type Preset } from "./presets.ts";
import { host } from "../io/host.ts";
import { parseOrThrow } from "../core/validation.ts";

/** A suite file. */
export const suiteSchema = z.object({
  $schema: z.string().optional(),
  name: z.string().min(1),
  description: z.string(),
  /** preset names, run in this order */
  parts: z.array(z.string().min(1)).min(1),
  /** the claims, tested together (Holm over all of them) */
  claims: z.array(claimSchema).min(1),
}).strict().superRefine((s, ctx) => {
  if (new Set(s.parts).size !== s.parts.length) {
    ctx.addIssue({ code: "custom", path: ["parts"], message: "a preset is listed twice" });
  }
  const ids = new Set<string>();
  s.claims.forEach((c, i) => {
    if (ids.has(c.id)) ctx.addIssue({ code: "custom", path: ["claims", i, "id"], message: `duplicate id ${c.id}` });
    ids.add(c.id);
    if (!s.parts.includes(c.part)) {
      ctx.addIssue({ code: "custom", path: ["claims", i, "part"], message: `${c.part} is not one of the parts` });
    }
    if (c.better === c.worse) {
      ctx.addIssue({ code: "custom", path: ["claims", i, "worse"], message: "a row cannot be compared with itself" });
    }
  });
});

/** A validated suite. */
export type Suite = z.infer<typeof suiteSchema>;

/** The repository folder of the committed suites. */
const SUITE_DIR = "benchmarks/suites/";

/** Names of the suites in `benchmarks/suites/`, sorted. */
export function suiteNames(): Promise<string[]> {
  return jsonFileNames(SUITE_DIR);
}

/** Whether `--preset NAME|path.json` names a suite: a committed suite name, or a JSON file with a `parts` list. */
export async function isSuite(nameOrPath: string): Promise<boolean> {
  if (!nameOrPath.endsWith(".json")) return (await suiteNames()).includes(nameOrPath);
  try {
    return Array.isArray(JSON.parse(new TextDecoder().decode(await host().readBytes(nameOrPath)))?.parts);
  } catch {
    return false; // not readable or not JSON: loading it as a preset reports why
  }
}

/** The statistics keys of the rows a preset's report will have: its cells and its reference rows. */
export function rowKeysOf(preset: Preset): Set<string> {
  const cells = presetCells(preset);
  return new Set([
    ...cells.map(cellKey),
    referenceKey({ kind: "raw_pixels", backbone: null }),
    ...cells.map((c) => referenceKey({ kind: "untrained", backbone: c.backbone })),
  ]);
}

/**
 * Loads `benchmarks/suites/<name>.json` (or a JSON file path when `nameOrPath` ends in `.json`) with its part
 * presets; errors name the file, the field and the problem (including a claim whose rows its part does not have).
 */
export async function loadSuite(nameOrPath: string): Promise<{ suite: Suite; parts: Preset[] }> {
  const path = nameOrPath.endsWith(".json") ? nameOrPath : host().repoFile(`${SUITE_DIR}${nameOrPath}.json`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(await host().readBytes(path)));
  } catch (error) {
    const known = nameOrPath.endsWith(".json") ? "" : ` (suites: ${(await suiteNames()).join(", ")})`;
    throw new Error(`cannot read suite ${path}: ${(error as Error).message}${known}`);
  }
  const suite = parseOrThrow(suiteSchema, json, `suite ${path}`);
  const parts = await Promise.all(suite.parts.map((p) => loadPreset(p)));
  suite.claims.forEach((claim, i) => {
    const keys = rowKeysOf(parts[suite.parts.indexOf(claim.part)]);
    for (const side of ["better", "worse"] as const) {
      if (!keys.has(claim[side])) {
        throw new Error(
          `suite ${path}: claims.${i}.${side}: preset ${claim.part} has no row "${claim[side]}" ` +
            `(rows: ${[...keys].join(", ")})`,
        );
      }
    }
  });
  return { suite, parts };
}
