/**
 * Time spent in each kernel of a kernel table, measured by wrapping every kernel with a clock. Only meaningful for a
 * backend whose kernels have finished when they return (WASM, reference); a WebGPU kernel only queues work.
 * @module
 */
import { type KernelTable, OP_NAMES } from "./kernels.ts";

/** Calls and wall time of one kernel. */
export interface KernelTiming {
  /** the op name of the kernel */
  kernel: string;
  /** calls since the last reset */
  calls: number;
  /** wall time of those calls, in milliseconds */
  milliseconds: number;
}

/** Accumulates {@link KernelTiming}s of the kernel tables it wraps. */
export class KernelProfile {
  readonly #timings = new Map<string, KernelTiming>();
  readonly #now: () => number;

  /** `now`: the clock in milliseconds (default `performance.now`). */
  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /** A table whose kernels run `table`'s and add their calls and time to this profile. */
  wrap<S>(table: KernelTable<S>): KernelTable<S> {
    const wrapped = { ...table };
    for (const name of OP_NAMES) {
      const kernel = table[name] as (...args: unknown[]) => void;
      (wrapped as Record<string, unknown>)[name] = (...args: unknown[]) => {
        const start = this.#now();
        try {
          kernel(...args);
        } finally {
          const timing = this.#timings.get(name) ?? { kernel: name, calls: 0, milliseconds: 0 };
          timing.calls++;
          timing.milliseconds += this.#now() - start;
          this.#timings.set(name, timing);
        }
      };
    }
    return wrapped;
  }

  /** The kernels called since the last reset, most time first. */
  timings(): KernelTiming[] {
    return [...this.#timings.values()].map((t) => ({ ...t })).sort((a, b) => b.milliseconds - a.milliseconds);
  }

  /** Forgets every timing (e.g. after warm-up steps). */
  reset(): void {
    this.#timings.clear();
  }
}
