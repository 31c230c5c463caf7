/**
 * Batch assembly: batch `b` of epoch `e` is a pure function of the loader spec — the sampler's epoch order, the
 * images it names, and an augmentation stream forked per (epoch, batch) — so it is the same whether it is made on
 * the main thread or in a prefetch worker, and after a resume.
 * @module
 */
import { Rng } from "../core/rng.ts";
import { type AugmentConfig, augmentInto } from "./augment.ts";
import { RawImageFile } from "./raw_file.ts";
import { BalancedSampler, DEFAULT_IMAGES_PER_IDENTITY, PKSampler, type Sampler, ShuffleSampler } from "./sampler.ts";

/** Where a loader's aligned images come from: memory, or a raw cache file read image by image. */
export type ImageSource =
  | { kind: "memory"; images: Uint8Array; size: number }
  | { kind: "file"; path: string; count: number; size: number };

/** Everything that defines a stream of batches. */
export interface LoaderSpec {
  /** Square aligned RGB images. */
  source: ImageSource;
  /** Label of each image. */
  labels: Int32Array;
  /** Images per batch; the last partial batch of an epoch is dropped. */
  batchSize: number;
  /**
   * "shuffle" (each image once per epoch), "balanced" (class-balanced, with replacement) or "pk" (every batch P
   * identities × K images, P = batchSize / K; see {@link PKSampler}).
   */
  sampler: "shuffle" | "balanced" | "pk";
  /** K, the images per identity of the "pk" sampler (default 4); batchSize must be a multiple of it. */
  imagesPerIdentity?: number;
  /** Seed of the "data-order" and "augment" streams. */
  seed: number;
  /** Augmentation and normalisation. */
  augment: AugmentConfig;
}

/**
 * A batch: `images` is float32 NHWC `[n, size, size, 3]`, RGB normalised to (x − 127.5) / 127.5; `labels` int32.
 * A trainer turns it into tensors with `tensor(backend, batch.images, batch.shape)`.
 */
export interface Batch {
  /** Normalised pixels, NHWC. */
  images: Float32Array;
  /** Labels, one per image. */
  labels: Int32Array;
  /** `[n, height, width, 3]`. */
  shape: [number, number, number, 3];
  /** Epoch of the batch. */
  epoch: number;
  /** Index of the batch within its epoch. */
  index: number;
}

/** The index order of `spec` over `count` images. */
function samplerOf(spec: LoaderSpec, count: number): Sampler {
  if (spec.sampler === "shuffle") return new ShuffleSampler(count, spec.seed);
  if (spec.sampler === "balanced") return new BalancedSampler(spec.labels, spec.seed);
  const k = spec.imagesPerIdentity ?? DEFAULT_IMAGES_PER_IDENTITY;
  if (spec.batchSize % k !== 0) {
    throw new RangeError(`LoaderSpec: batchSize ${spec.batchSize} is not a multiple of imagesPerIdentity ${k}`);
  }
  return new PKSampler(spec.labels, spec.batchSize / k, k, spec.seed);
}

/** Makes batches of one spec. */
export class BatchMaker {
  /** Full batches per epoch. */
  readonly batchesPerEpoch: number;
  readonly #sampler: Sampler;
  readonly #file: RawImageFile | null;
  readonly #pixels: Uint8Array;
  #epoch = -1;
  #order: Int32Array = new Int32Array(0);

  /** Opens the source (a file source keeps its file open until {@link close}). */
  constructor(readonly spec: LoaderSpec) {
    const { source, labels, batchSize } = spec;
    const count = source.kind === "memory" ? source.images.length / (source.size * source.size * 3) : source.count;
    if (labels.length !== count) throw new RangeError(`LoaderSpec: ${labels.length} labels for ${count} images`);
    if (!(batchSize >= 1 && batchSize <= count)) {
      throw new RangeError(`LoaderSpec: batchSize ${batchSize} outside 1..${count}`);
    }
    this.#sampler = samplerOf(spec, count);
    this.batchesPerEpoch = Math.floor(this.#sampler.size / batchSize);
    this.#file = source.kind === "file" ? new RawImageFile(source.path, source.count, source.size, source.size) : null;
    this.#pixels = new Uint8Array(source.size * source.size * 3);
  }

  /** Batch `index` of epoch `epoch`. */
  make(epoch: number, index: number): Batch {
    const { source, batchSize, labels } = this.spec;
    if (epoch !== this.#epoch) this.#order = this.#sampler.epoch(this.#epoch = epoch);
    const size = source.size, imageSize = size * size * 3;
    const rng = new Rng(this.spec.seed, "augment").fork(`${epoch}/${index}`);
    const batch: Batch = {
      images: new Float32Array(batchSize * imageSize),
      labels: new Int32Array(batchSize),
      shape: [batchSize, size, size, 3],
      epoch,
      index,
    };
    for (let k = 0; k < batchSize; k++) {
      const i = this.#order[index * batchSize + k];
      let pixels: Uint8Array;
      if (source.kind === "memory") pixels = source.images.subarray(i * imageSize, (i + 1) * imageSize);
      else this.#file!.read(i, pixels = this.#pixels);
      augmentInto(pixels, size, batch.images, k * imageSize, this.spec.augment, rng);
      batch.labels[k] = labels[i];
    }
    return batch;
  }

  /** Releases the file of a file source. */
  close(): void {
    this.#file?.close();
  }
}
