/**
 * The control block shared by the main thread and the workers, and the task-claiming protocol.
 *
 * A dispatch closes the claim counter (high word: the new generation, low word: {@link CLOSED}), publishes
 * (kernel, params, tasks, grain), opens the counter at `generation << 32` and bumps `generation`. Every thread
 * (main included) then claims grains of `grain` tasks with an atomic add on the counter until they run out, so a
 * worker that wakes late simply finds nothing left. A claimant reads the fields after its claim and re-reads the
 * counter's generation: if it changed, the fields may belong to a newer dispatch and the claim is dropped. Which
 * thread runs a task never changes what the task computes, so results do not depend on the split. A thread holds
 * `active` while it claims and runs; the main thread returns when the grains are exhausted and `active` is 0.
 * @module
 */

/** Int32 slot indices of the control block. */
export const Slot = {
  /** incremented by the main thread for every dispatch (workers wait on it) */
  generation: 0,
  /** workers currently claiming or running grains */
  active: 1,
  /** index of the kernel in the module's function exports */
  kernel: 2,
  /** byte offset of the parameter block */
  params: 3,
  /** number of tasks of the dispatch */
  tasks: 4,
  /** tasks per claim */
  grain: 5,
  /** set to 1 by a worker whose kernel threw */
  error: 6,
  /** set to 1 to make the workers exit */
  stop: 7,
  /** scratch pointer of thread t is at scratch + t */
  scratch: 16,
} as const;

/** BigInt64 index of the claim counter (Int32 slots 8–9): generation in the high word, next grain in the low. */
export const COUNTER = 4;

/** Low word of a closed counter: any claim on it is past the end of every dispatch. */
export const CLOSED = 0x7fff0000;

/** Most threads a pool can have. */
export const MAX_THREADS = 48;

/** Bytes of the control block. */
export const CONTROL_BYTES = (Slot.scratch + MAX_THREADS) * 4;

/**
 * Milliseconds a thread polls a control slot before sleeping on it with `Atomics.wait`: back-to-back dispatches (a
 * worker waiting for the next kernel, the main thread for the workers' last grains) then skip the futex wake-up,
 * which on a virtual machine whose idle vCPU was descheduled can take milliseconds.
 */
export const SPIN_MS = 2;

/** Polls `ctl[slot]` for up to {@link SPIN_MS} while `keepPolling` holds for its value; returns the last value read. */
export function pollWhile(ctl: Int32Array, slot: number, keepPolling: (value: number) => boolean): number {
  const until = performance.now() + SPIN_MS;
  let value = Atomics.load(ctl, slot);
  while (keepPolling(value) && performance.now() < until) value = Atomics.load(ctl, slot);
  return value;
}

/** Claims and runs grains of the current dispatch until none are left. */
export function runGrains(
  ctl: Int32Array,
  counter: BigInt64Array,
  fns: readonly ((p: number, t0: number, t1: number, scratch: number) => void)[],
  thread: number,
): void {
  for (;;) {
    const claim = Atomics.add(counter, COUNTER, 1n);
    const tasks = ctl[Slot.tasks];
    const grain = ctl[Slot.grain];
    const kernel = ctl[Slot.kernel];
    const params = ctl[Slot.params];
    if (Atomics.load(counter, COUNTER) >> 32n !== claim >> 32n) return;
    const t0 = Number(claim & 0xffffffffn) * grain;
    if (t0 >= tasks) return;
    fns[kernel](params, t0, Math.min(t0 + grain, tasks), ctl[Slot.scratch + thread]);
  }
}
