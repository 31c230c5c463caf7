/**
 * Time spent in each kernel of a kernel table, measured by wrapping every kernel with a clock. Only meaningful for a
 * backend whose kernels have finished when they return (WASM, reference); a WebGPU kernel only queues work.
 * @module
 */
import { type Conv2dAttrs, type KernelTable, OP_NAMES } from "./kernels.ts";

/** Calls and wall time of one kernel. */
export interface KernelTiming {
  /** the op name of the kernel, followed by the profile's detail label where it has one */
  kernel: string;
  /** calls since the last reset */
  calls: number;
  /** wall time of those calls, in milliseconds */
  milliseconds: number;
}

/**
 * Splits a kernel's timing by a property of its call: given the op name and the kernel's arguments (inputs,
 * outputs, attributes), a label appended to the name, or undefined to keep the name alone.
 */
export type KernelDetail = (kernel: string, args: readonly unknown[]) => string | undefined;

/** The shape of a view argument (every backend's views carry one). */
const shapeOf = (view: unknown): readonly number[] => (view as { shape: readonly number[] }).shape;

/**
 * A {@link KernelDetail} that splits the three convolution kernels by filter and stride, e.g. `conv2d 1×1`,
 * `conv2d_grad_input 3×3 depthwise s2`; other kernels keep their name.
 */
export const convolutionDetail: KernelDetail = (kernel, args) => {
  if (kernel !== "conv2d" && kernel !== "conv2d_grad_input" && kernel !== "conv2d_grad_weight") return undefined;
  const [inputs, , attrs] = args as [readonly unknown[], unknown, Conv2dAttrs & { filterShape?: number[] }];
  const [kh, kw, perGroup, outChannels] = attrs.filterShape ?? shapeOf(inputs[1]);
  const grouping = attrs.groups === 1
    ? ""
    : perGroup === 1 && attrs.groups === outChannels
    ? " depthwise"
    : ` ${attrs.groups} groups`;
  const [sh, sw] = attrs.strides;
  const stride = sh === 1 && sw === 1 ? "" : sh === sw ? ` s${sh}` : ` s${sh}×${sw}`;
  return `${kh}×${kw}${grouping}${stride}`;
};

/**
 * {@link convolutionDetail} plus the layer each convolution kernel belongs to, named by its forward output map and
 * channels, e.g. `conv2d_grad_input 3×3 14×14 256→256`: the three passes of one layer get the same suffix.
 */
export const convolutionLayerDetail: KernelDetail = (kernel, args) => {
  const filter = convolutionDetail(kernel, args);
  if (filter === undefined) return undefined;
  const [inputs, outputs] = args as [readonly unknown[], readonly unknown[]];
  // conv2d: x, w → y; conv2d_grad_input: dy, w → dx; conv2d_grad_weight: x, dy → dw.
  const [x, y] = kernel === "conv2d"
    ? [inputs[0], outputs[0]]
    : kernel === "conv2d_grad_input"
    ? [outputs[0], inputs[0]]
    : [inputs[0], inputs[1]];
  const [xShape, yShape] = [shapeOf(x), shapeOf(y)];
  return `${filter} ${yShape[1]}×${yShape[2]} ${xShape[3]}→${yShape[3]}`;
};

/** Adds one call of `elapsed` milliseconds to the timing of `key` in `timings`. */
function addCall(timings: Map<string, KernelTiming>, key: string, elapsed: number): void {
  const timing = timings.get(key) ?? { kernel: key, calls: 0, milliseconds: 0 };
  timing.calls++;
  timing.milliseconds += elapsed;
  timings.set(key, timing);
}

/** The timings of `timings`, copied, most time first. */
function byTime(timings: Map<string, KernelTiming>): KernelTiming[] {
  return [...timings.values()].map((t) => ({ ...t })).sort((a, b) => b.milliseconds - a.milliseconds);
}

/**
 * Accumulates {@link KernelTiming}s of the kernel tables it wraps, and of the phases a backend reports inside its
 * kernels (the WASM backend: every call of a module export, e.g. `winograd_filter`, `sum_partials`).
 */
export class KernelProfile {
  readonly #timings = new Map<string, KernelTiming>();
  readonly #phases = new Map<string, KernelTiming>();
  readonly #now: () => number;
  readonly #detail: KernelDetail;

  /**
   * `now`: the clock in milliseconds (default `performance.now`); `detail`: splits a kernel's timings by a label of
   * its call (default: none, one timing per op).
   */
  constructor(now: () => number = () => performance.now(), detail: KernelDetail = () => undefined) {
    this.#now = now;
    this.#detail = detail;
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
          const elapsed = this.#now() - start;
          const label = this.#detail(name, args);
          addCall(this.#timings, label === undefined ? name : `${name} ${label}`, elapsed);
        }
      };
    }
    return wrapped;
  }

  /** The kernels called since the last reset, most time first. */
  timings(): KernelTiming[] {
    return byTime(this.#timings);
  }

  /** Adds one call of the phase `name` that took `milliseconds` (called by a backend from inside its kernels). */
  recordPhase(name: string, milliseconds: number): void {
    addCall(this.#phases, name, milliseconds);
  }

  /** The phases recorded since the last reset, most time first. */
  phaseTimings(): KernelTiming[] {
    return byTime(this.#phases);
  }

  /** Forgets every timing (e.g. after warm-up steps). */
  reset(): void {
    this.#timings.clear();
    this.#phases.clear();
  }
}
