/**
 * A worker that holds one onnxruntime-web instance with its own thread count (onnxruntime-web's thread pool is
 * global to its module, so 1- and 2-thread sessions need separate workers). Used by kernels_bench.ts.
 *
 * Messages in: `{ model, input, threads }` (creates a session, replacing the previous one, and replies "ready";
 * the thread count of the first message holds for the worker's life), then `"run"` (runs once, replies the
 * milliseconds it took). One worker serves every model at its thread count, so no thread pool is torn down
 * (and left spinning) between benchmarks.
 */
import * as ort from "onnxruntime-web";

/** The message that creates the session. */
export interface OrtInit {
  /** ONNX model bytes (one input, fed `input`; its first output is read) */
  model: Uint8Array;
  /** input values and shape */
  input: { data: Float32Array; shape: number[] };
  /** onnxruntime-web threads (read from the first message only) */
  threads: number;
}

const scope = self as unknown as Worker;
let run: (() => Promise<number>) | null = null;

scope.onmessage = async (event: MessageEvent<OrtInit | "run">) => {
  if (event.data === "run") {
    scope.postMessage(await run!());
    return;
  }
  const { model, input, threads } = event.data;
  if (!run) ort.env.wasm.numThreads = threads;
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ["wasm"],
    extra: { session: { intra_op: { allow_spinning: "0" } } },
  });
  const feeds = { [session.inputNames[0]]: new ort.Tensor("float32", input.data, input.shape) };
  run = async () => {
    const start = performance.now();
    const out = await session.run(feeds);
    const ms = performance.now() - start;
    for (const value of Object.values(out)) value.dispose();
    return ms;
  };
  scope.postMessage("ready");
};
