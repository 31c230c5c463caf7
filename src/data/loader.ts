/**
 * The training loader: an endless stream of augmented batches (epoch after epoch, last partial batch dropped),
 * with the next batch prepared in a worker while the caller trains on the current one. Resumable from
 * {@link Loader.state}.
 * @module
 */
import { type Batch, BatchMaker, type LoaderSpec } from "./batch.ts";
import type { FaceSet, TrainingSet } from "./dataset.ts";
import { EVO_AUGMENT } from "./augment.ts";
import { resourceUrl } from "../core/resources.ts";

/** Position of the next batch. */
export interface LoaderState {
  /** Epoch of the next batch. */
  epoch: number;
  /** Index within the epoch of the next batch. */
  batch: number;
}

/** Options of {@link Loader}. */
export interface LoaderOptions {
  /** Prepare the next batch in a worker ("worker", default) or on demand on this thread ("none"). */
  prefetch?: "worker" | "none";
  /** Where to start (default epoch 0, batch 0). */
  start?: LoaderState;
}

type Reply = { kind: "batch"; batch: Batch } | { kind: "error"; message: string };

/** Streams batches of a {@link LoaderSpec}. */
export class Loader {
  /** Full batches per epoch. */
  readonly batchesPerEpoch: number;
  #next: LoaderState;
  readonly #maker: BatchMaker | null;
  readonly #worker: Worker | null;
  #pending: Promise<Batch> | null = null;
  #pendingFor: LoaderState | null = null;
  #tail: Promise<unknown> = Promise.resolve();

  /** Starts a loader; with prefetch the spec (and in-memory pixels) is copied to the worker once. */
  constructor(readonly spec: LoaderSpec, options: LoaderOptions = {}) {
    this.#next = { ...(options.start ?? { epoch: 0, batch: 0 }) };
    const maker = new BatchMaker(spec);
    this.batchesPerEpoch = maker.batchesPerEpoch;
    if ((options.prefetch ?? "worker") === "worker") {
      maker.close();
      this.#maker = null;
      const script = resourceUrl("loader-worker", new URL("./loader_worker.ts", import.meta.url));
      this.#worker = new Worker(script.href, { type: "module" });
      this.#worker.postMessage({ kind: "init", spec });
    } else {
      this.#maker = maker;
      this.#worker = null;
    }
  }

  /** The position of the next batch; pass it as `start` to resume exactly there. */
  state(): LoaderState {
    return { ...this.#next };
  }

  /** Asks the worker for a batch; requests are chained so one reply handler is active at a time. */
  #request(at: LoaderState): Promise<Batch> {
    const batch = this.#tail.then(() => this.#post(at));
    this.#tail = batch.catch(() => {});
    return batch;
  }

  #post(at: LoaderState): Promise<Batch> {
    const worker = this.#worker!;
    return new Promise<Batch>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<Reply>) => {
        if (event.data.kind === "batch") resolve(event.data.batch);
        else reject(new Error(`loader worker: ${event.data.message}`));
      };
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(`loader worker: ${event.message}`));
      };
      worker.postMessage({ kind: "make", epoch: at.epoch, index: at.batch });
    });
  }

  #advance(at: LoaderState): LoaderState {
    return at.batch + 1 < this.batchesPerEpoch
      ? { epoch: at.epoch, batch: at.batch + 1 }
      : { epoch: at.epoch + 1, batch: 0 };
  }

  /** The next batch. */
  async next(): Promise<Batch> {
    const at = this.#next;
    this.#next = this.#advance(at);
    if (this.#maker) return this.#maker.make(at.epoch, at.batch);
    const ready = this.#pendingFor?.epoch === at.epoch && this.#pendingFor.batch === at.batch
      ? this.#pending!
      : this.#request(at);
    const batch = await ready;
    this.#pendingFor = this.#next;
    this.#pending = this.#request(this.#next);
    return batch;
  }

  /** Stops the worker and closes files. */
  close(): void {
    this.#worker?.terminate();
    this.#maker?.close();
  }

  /** `using` support: {@link close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/**
 * A loader over an in-memory {@link FaceSet} or a {@link TrainingSet} (in memory or streamed from its raw cache file),
 * with face.evoLVe's augmentation unless told otherwise.
 */
export function loaderFor(
  set: FaceSet | TrainingSet,
  batchSize: number,
  seed: number,
  overrides: Partial<Omit<LoaderSpec, "source" | "labels" | "batchSize" | "seed">> & LoaderOptions = {},
): Loader {
  const { prefetch, start, ...rest } = overrides;
  if (set.height !== set.width) {
    throw new RangeError(`loaderFor: images must be square, got ${set.height}x${set.width}`);
  }
  return new Loader({
    source: "source" in set ? set.source : { kind: "memory", images: set.images, size: set.height },
    labels: set.labels,
    batchSize,
    seed,
    sampler: "shuffle",
    augment: EVO_AUGMENT,
    ...rest,
  }, { prefetch, start });
}
