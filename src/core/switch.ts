/**
 * A process-wide on/off switch that code turns off for the extent of a callback (nestable): the mechanism behind
 * `noGrad` (autograd recording) and `unfused` (epilogue fusion).
 * @module
 */

/** A switch that is on unless some caller is inside {@link Switch.off}. */
export interface Switch {
  /** True unless inside {@link Switch.off}. */
  isOn(): boolean;
  /** Runs `fn` with the switch off; nested calls stack. */
  off<T>(fn: () => T): T;
}

/** A new switch, initially on. */
export function createSwitch(): Switch {
  let depth = 0;
  return {
    isOn: () => depth === 0,
    off<T>(fn: () => T): T {
      depth++;
      try {
        return fn();
      } finally {
        depth--;
      }
    },
  };
}
