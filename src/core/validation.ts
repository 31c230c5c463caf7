/**
 * Validation of configs and files read at the edge (presets, suites, reports): one zod parse and one error format,
 * naming the source, each offending field's path and the problem (the first five issues).
 * @module
 */
import type { z } from "zod";

/** Parses `value` with `schema`, or throws `<what> is invalid:` followed by one `  path: message` line per issue. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const lines = result.error.issues.slice(0, 5).map((i) => `  ${i.path.join(".") || "(root)"}: ${i.message}`);
  throw new Error(`${what} is invalid:\n${lines.join("\n")}`);
}
