/**
 * Learning-rate schedules evaluated per iteration: optional linear warm-up (face.evoLVe: step s of W gets
 * `lr · (s + 1) / W`), then multi-step decay (`lr · gamma^k` after k milestones) or cosine annealing from `lr`
 * to `minLr` over the steps after warm-up. Schedules are plain data (zod-validated) so checkpoints can store them.
 * @module
 */
import { z } from "zod";

const common = {
  /** peak learning rate */
  lr: z.number().positive(),
  /** linear warm-up iterations (0 = none) */
  warmupSteps: z.number().int().nonnegative().default(0),
};

/** Multi-step decay: milestones are iteration numbers at which the rate is multiplied by `gamma`. */
export const multiStepScheduleSchema = z.object({
  kind: z.literal("multistep"),
  ...common,
  milestones: z.array(z.number().int().nonnegative()).default([]),
  gamma: z.number().positive().default(0.1),
}).strict();

/** Cosine annealing from `lr` to `minLr` between the end of warm-up and `totalSteps`. */
export const cosineScheduleSchema = z.object({
  kind: z.literal("cosine"),
  ...common,
  totalSteps: z.number().int().positive(),
  minLr: z.number().nonnegative().default(0),
}).strict();

/** Any schedule, discriminated by `kind`. */
export const scheduleSchema = z.discriminatedUnion("kind", [multiStepScheduleSchema, cosineScheduleSchema]);

/** A validated schedule. */
export type Schedule = z.infer<typeof scheduleSchema>;

/** Learning rate for 0-based iteration `step`. */
export function learningRate(schedule: Schedule, step: number): number {
  if (!Number.isInteger(step) || step < 0) {
    throw new RangeError(`learningRate: step must be an integer >= 0, got ${step}`);
  }
  if (step < schedule.warmupSteps) return schedule.lr * (step + 1) / schedule.warmupSteps;
  if (schedule.kind === "multistep") {
    const passed = schedule.milestones.filter((m) => step >= m).length;
    return schedule.lr * schedule.gamma ** passed;
  }
  const span = schedule.totalSteps - schedule.warmupSteps;
  const progress = span <= 0 ? 1 : Math.min(1, (step - schedule.warmupSteps) / span);
  return schedule.minLr + (schedule.lr - schedule.minLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
}
