/**
 * Worker entry of {@link renderSplit}: renders one identity range and posts the bytes back (transferred).
 * @module
 */
import { renderIdentityRange, type SplitRequest } from "./split.ts";

const scope = self as unknown as Worker;

scope.onmessage = (event: MessageEvent<{ request: SplitRequest; from: number; to: number }>) => {
  const { request, from, to } = event.data;
  try {
    const bytes = renderIdentityRange(request, from, to, () => scope.postMessage({ kind: "progress" }));
    scope.postMessage({ kind: "done", bytes }, [bytes.buffer as ArrayBuffer]);
  } catch (error) {
    scope.postMessage({ kind: "error", message: error instanceof Error ? error.message : String(error) });
  }
};
