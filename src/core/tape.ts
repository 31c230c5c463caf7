/**
 * The autograd tape's recording switch. Ops record a grad node (`GradNode`, tensor.ts) on their outputs when any input requires a
 * gradient and recording is on; `backward` (src/ops/backward.ts) walks those nodes with ops.
 * @module
 */
import { createSwitch } from "./switch.ts";

const recording = createSwitch();

/** True unless inside {@link noGrad}. */
export function isGradEnabled(): boolean {
  return recording.isOn();
}

/** Runs `fn` without recording gradients (evaluation, optimizer updates). */
export function noGrad<T>(fn: () => T): T {
  return recording.off(fn);
}
