/**
 * Embedding extraction for evaluation: runs a model (already in eval mode, wrapped as `embed`) over host images in
 * batches without recording gradients, optionally on the mirrored images too, and returns L2-normalised
 * (flip-fused) embeddings.
 * @module
 */
import type { Backend } from "../core/backend.ts";
import { scope } from "../core/scope.ts";
import { noGrad } from "../core/tape.ts";
import type { Tensor } from "../core/tensor.ts";
import { tensor } from "../ops/mod.ts";
import { flipHorizontal, fuseFlip, l2NormalizeRows } from "./embeddings.ts";

/** Options of {@link extractEmbeddings}. */
export interface ExtractOptions {
  /** images per forward pass */
  batchSize: number;
  /** also embed the mirrored images and fuse (sum, then normalise) */
  flip: boolean;
}

/** Row-major embeddings. */
export interface Embeddings {
  /** `count × dim` values, each row of unit L2 norm */
  data: Float32Array;
  /** embedding size */
  dim: number;
}

async function embedAll(
  backend: Backend,
  images: Float32Array,
  shape: readonly [number, number, number, number],
  embed: (batch: Tensor) => Tensor,
  batchSize: number,
): Promise<Embeddings> {
  const [n, h, w, c] = shape;
  const per = h * w * c;
  const rows: Float32Array[] = [];
  let dim = 0;
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start);
    const out = noGrad(() =>
      scope(() => embed(tensor(backend, images.subarray(start * per, (start + count) * per), [count, h, w, c])))
    );
    try {
      if (out.rank !== 2 || out.shape[0] !== count) {
        throw new RangeError(`extractEmbeddings: embed returned shape [${out.shape}], expected [${count}, dim]`);
      }
      dim = out.shape[1];
      rows.push(Float32Array.from(await out.read()));
    } finally {
      out.dispose();
    }
  }
  const data = new Float32Array(n * dim);
  for (const [i, r] of rows.entries()) data.set(r, i * batchSize * dim);
  return { data, dim };
}

/** Embeds NHWC `images` of `shape` `[n, h, w, c]`; returns normalised (and, with `flip`, fused) embeddings. */
export async function extractEmbeddings(
  backend: Backend,
  images: Float32Array,
  shape: readonly [number, number, number, number],
  embed: (batch: Tensor) => Tensor,
  options: ExtractOptions,
): Promise<Embeddings> {
  if (!Number.isInteger(options.batchSize) || options.batchSize <= 0) {
    throw new RangeError(`extractEmbeddings: batchSize must be a positive integer, got ${options.batchSize}`);
  }
  if (shape[0] < 1) throw new RangeError(`extractEmbeddings: needs at least one image, got shape [${shape}]`);
  if (images.length !== shape.reduce((a, b) => a * b, 1)) {
    throw new RangeError(
      `extractEmbeddings: ${images.length} values, shape [${shape}] needs ${shape.reduce((a, b) => a * b, 1)}`,
    );
  }
  return await embedWithFlip(images, shape, options.flip, (x) => embedAll(backend, x, shape, embed, options.batchSize));
}

/**
 * The bench's flip fusion around any embedder: `embedRows` embeds NHWC `images` of `shape` (raw rows); the result is
 * L2-normalised, or with `flip` summed with the mirrored images' rows and then normalised.
 */
export async function embedWithFlip(
  images: Float32Array,
  shape: readonly [number, number, number, number],
  flip: boolean,
  embedRows: (images: Float32Array) => Promise<Embeddings>,
): Promise<Embeddings> {
  const plain = await embedRows(images);
  if (!flip) return { data: l2NormalizeRows(plain.data, plain.dim), dim: plain.dim };
  const mirrored = await embedRows(flipHorizontal(images, shape));
  return { data: fuseFlip(plain.data, mirrored.data, plain.dim), dim: plain.dim };
}
