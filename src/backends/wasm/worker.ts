/**
 * A kernel worker: instantiates the kernel module on the shared memory and helps with every dispatch (see
 * control.ts), polling briefly and then sleeping with `Atomics.wait` between dispatches.
 * @module
 */
import { pollWhile, runGrains, Slot } from "./control.ts";
import { instantiate, kernelFunctions, setStack } from "./module.ts";

const scope = self as unknown as Worker & { close(): void };

/** The message that starts a worker. */
export interface WorkerInit {
  /** the compiled kernel module */
  module: WebAssembly.Module;
  /** the shared linear memory */
  memory: WebAssembly.Memory;
  /** the control block */
  control: SharedArrayBuffer;
  /** this worker's thread index (1 ..threads-1; the main thread is 0) */
  index: number;
  /** top of this worker's C stack */
  stackTop: number;
}

function serve(init: WorkerInit): void {
  const instance = instantiate(init.module, init.memory);
  setStack(instance, init.stackTop);
  const fns = [...kernelFunctions(init.module, instance).values()];
  const ctl = new Int32Array(init.control);
  const counter = new BigInt64Array(init.control);
  scope.postMessage("ready");
  let seen = Atomics.load(ctl, Slot.generation);
  for (;;) {
    pollWhile(ctl, Slot.generation, (generation) => generation === seen);
    Atomics.wait(ctl, Slot.generation, seen);
    seen = Atomics.load(ctl, Slot.generation);
    if (Atomics.load(ctl, Slot.stop)) break;
    Atomics.add(ctl, Slot.active, 1);
    try {
      runGrains(ctl, counter, fns, init.index);
    } catch (error) {
      console.error(`wasm worker ${init.index}:`, error);
      Atomics.store(ctl, Slot.error, 1);
    }
    Atomics.sub(ctl, Slot.active, 1);
    Atomics.notify(ctl, Slot.active);
  }
  scope.close();
}

scope.onmessage = (event: MessageEvent<WorkerInit>) => serve(event.data);
