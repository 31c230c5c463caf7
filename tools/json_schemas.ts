/**
 * Writes the JSON Schemas generated from the zod schemas: `fixtures/schemas/report.schema.json` (report.json)
 * `fixtures/schemas/preset.schema.json` (benchmarks/presets/*.json), `fixtures/schemas/suite.schema.json`
 * (benchmarks/suites/*.json), `fixtures/schemas/findings.schema.json` (a suite run's findings.json) and
 * `fixtures/schemas/comparison.schema.json` (a backend comparison's comparison.json).
 * Run: `deno run -A tools/json_schemas.ts`.
 * @module
 */
import { z } from "zod";
import { presetSchema } from "../src/bench/presets.ts";
import { suiteSchema } from "../src/bench/suite.ts";
import { comparisonSchema } from "../src/report/backend_comparison.ts";
import { findingsSchema } from "../src/report/claims.ts";
import { writeFileAtomic } from "../src/io/atomic_write.ts";
import { reportSchema } from "../src/report/schema.ts";

/** The generated schemas by file name: reports as written (output), presets and suites as authored (defaults optional). */
export const JSON_SCHEMAS: Record<string, { schema: z.ZodType; io: "input" | "output" }> = {
  "report.schema.json": { schema: reportSchema, io: "output" },
  "preset.schema.json": { schema: presetSchema, io: "input" },
  "suite.schema.json": { schema: suiteSchema, io: "input" },
  "findings.schema.json": { schema: findingsSchema, io: "output" },
  "comparison.schema.json": { schema: comparisonSchema, io: "output" },
};

/** The JSON Schema text of one entry of {@link JSON_SCHEMAS}. */
export function jsonSchemaText(name: string): string {
  const { schema, io } = JSON_SCHEMAS[name];
  return JSON.stringify(z.toJSONSchema(schema, { io }), null, 2) + "\n";
}

if (import.meta.main) {
  for (const name of Object.keys(JSON_SCHEMAS)) {
    const path = new URL(`../fixtures/schemas/${name}`, import.meta.url).pathname;
    await writeFileAtomic(path, jsonSchemaText(name));
    console.log(`wrote ${path}`);
  }
}
