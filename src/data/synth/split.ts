/**
 * Renders a whole split of a synthetic dataset into one packed NHWC uint8 blob, identity-major, optionally on a
 * pool of workers (each renders a contiguous range of identities; the bytes do not depend on the pool size).
 * @module
 */
import type { Progress } from "../../io/progress.ts";
import { resourceUrl } from "../../core/resources.ts";
import { planIdentities, synthesizeFace, type SynthOptions } from "./generate.ts";

/** What to render: `identities × imagesPerIdentity` images of one split. */
export interface SplitRequest {
  /** Generator options. */
  options: SynthOptions;
  /** Split name; it keys the random streams ("train", "test"). */
  split: string;
  /** Number of identities. */
  identities: number;
  /** Images per identity. */
  imagesPerIdentity: number;
}

/** Renders identities [from, to) of a split; calls `onIdentity` after each. */
export function renderIdentityRange(
  request: SplitRequest,
  from: number,
  to: number,
  onIdentity?: () => void,
): Uint8Array {
  const { options, split, identities, imagesPerIdentity } = request;
  const plan = planIdentities(options, split, identities);
  const size = options.cropSize * options.cropSize * 3;
  const out = new Uint8Array((to - from) * imagesPerIdentity * size);
  for (let id = from; id < to; id++) {
    for (let k = 0; k < imagesPerIdentity; k++) {
      out.set(
        synthesizeFace(options, split, plan[id], id, k).aligned.data,
        ((id - from) * imagesPerIdentity + k) * size,
      );
    }
    onIdentity?.();
  }
  return out;
}

/** Messages a split worker posts. */
type WorkerReply = { kind: "progress" } | { kind: "done"; bytes: Uint8Array } | { kind: "error"; message: string };

/** Renders a full split; `workers` > 1 spreads identity ranges over module workers. */
export async function renderSplit(request: SplitRequest, workers = 1, onProgress?: Progress): Promise<Uint8Array> {
  const { identities, imagesPerIdentity, options } = request;
  let done = 0;
  const tick = () => onProgress?.(++done, identities);
  if (workers <= 1) return renderIdentityRange(request, 0, identities, tick);
  const size = options.cropSize * options.cropSize * 3 * imagesPerIdentity;
  const out = new Uint8Array(identities * size);
  const ranges = Array.from({ length: workers }, (_, w) => [
    Math.floor((w * identities) / workers),
    Math.floor(((w + 1) * identities) / workers),
  ]);
  await Promise.all(ranges.map(([from, to]) =>
    new Promise<void>((resolve, reject) => {
      const script = resourceUrl("synth-split-worker", new URL("./split_worker.ts", import.meta.url));
      const worker = new Worker(script.href, { type: "module" });
      worker.onmessage = (event: MessageEvent<WorkerReply>) => {
        const reply = event.data;
        if (reply.kind === "progress") return tick();
        worker.terminate();
        if (reply.kind === "error") return reject(new Error(`synthface worker: ${reply.message}`));
        out.set(reply.bytes, from * size);
        resolve();
      };
      worker.onerror = (event) => {
        event.preventDefault();
        worker.terminate();
        reject(new Error(`synthface worker: ${event.message}`));
      };
      worker.postMessage({ request, from, to });
    })
  ));
  return out;
}
