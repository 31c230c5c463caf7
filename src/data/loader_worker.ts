/**
 * Worker entry of {@link Loader}: holds a {@link BatchMaker} and makes the batches it is asked for.
 * @module
 */
import { BatchMaker, type LoaderSpec } from "./batch.ts";

const scope = self as unknown as Worker;
let maker: BatchMaker | null = null;

type Request = { kind: "init"; spec: LoaderSpec } | { kind: "make"; epoch: number; index: number };

scope.onmessage = (event: MessageEvent<Request>) => {
  const request = event.data;
  try {
    if (request.kind === "init") {
      maker = new BatchMaker(request.spec);
      return;
    }
    const batch = maker!.make(request.epoch, request.index);
    scope.postMessage({ kind: "batch", batch }, [
      batch.images.buffer as ArrayBuffer,
      batch.labels.buffer as ArrayBuffer,
    ]);
  } catch (error) {
    scope.postMessage({ kind: "error", message: error instanceof Error ? error.message : String(error) });
  }
};
