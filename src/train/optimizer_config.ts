/**
 * The optimizer of a training config: SGD (the default; its options carry no `kind`, so existing configs are
 * unchanged) or AdamW (`kind: "adamw"`), as one zod discriminated union, and the factory that builds either.
 * @module
 */
import { z } from "zod";
import { Adamw, adamwOptionsSchema } from "./adamw.ts";
import { type Optimizer, type ParameterEntry, Sgd, sgdOptionsSchema } from "./optimizer.ts";

/** The optimizer options of a training config, discriminated by `kind` ("sgd" or absent: SGD; "adamw"). */
export const optimizerSchema = z.discriminatedUnion("kind", [sgdOptionsSchema, adamwOptionsSchema]);

/** Validated optimizer options. */
export type OptimizerOptions = z.infer<typeof optimizerSchema>;

/** Builds the optimizer `options` select over `params`. */
export function createOptimizer(
  params: readonly ParameterEntry[],
  options: z.input<typeof optimizerSchema>,
): Optimizer {
  const parsed = optimizerSchema.parse(options);
  return parsed.kind === "adamw" ? new Adamw(params, parsed) : new Sgd(params, parsed);
}
