/**
 * One onnxruntime-web instance in a worker (`ort_worker.ts`) at a fixed thread count: onnxruntime-web's thread pool
 * is global to its module, so each thread count needs its own worker. Shared by kernels_bench.ts and onnx_speed.ts.
 * @module
 */
import type { OrtInit } from "./ort_worker.ts";

/** A worker holding one onnxruntime-web session at a time. */
export class OrtWorker {
  readonly #worker = new Worker(new URL("./ort_worker.ts", import.meta.url), { type: "module" });
  /** onnxruntime-web WASM threads of this worker */
  readonly threads: number;
  #reply: (value: unknown) => void = () => {};

  /** Starts a worker whose onnxruntime-web uses `threads` threads. */
  constructor(threads: number) {
    this.threads = threads;
    this.#worker.onmessage = (e) => this.#reply(e.data);
  }

  #call(message: OrtInit | "run"): Promise<unknown> {
    const answer = new Promise<unknown>((resolve) => (this.#reply = resolve));
    this.#worker.postMessage(message);
    return answer;
  }

  /** Creates a session of `model` fed with `data` of `shape` (the previous session is dropped). */
  async load(model: Uint8Array, data: Float32Array, shape: number[]): Promise<void> {
    await this.#call({ model, input: { data, shape }, threads: this.threads });
  }

  /** Runs the loaded model once; resolves to the milliseconds it took inside the worker. */
  run(): Promise<number> {
    return this.#call("run") as Promise<number>;
  }

  /** Stops the worker. */
  close(): void {
    this.#worker.terminate();
  }
}
