import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { liveTensorCount, type Tensor } from "../../src/core/tensor.ts";
import { flipHorizontal } from "../../src/eval/embeddings.ts";
import { extractEmbeddings } from "../../src/eval/extract.ts";
import { flatten, linear, tensor } from "../../src/ops/mod.ts";

const backend = new ReferenceBackend();
// three 1×2×1 images; the "model" is the identity on the two pixels, so the embedding is the image itself
const images = new Float32Array([1, 2, 3, 4, 5, 0]);
const shape = [3, 1, 2, 1] as const;
const identity = tensor(backend, [1, 0, 0, 1], [2, 2]);
identity.requiresGrad = true;
const embed = (x: Tensor) => linear(flatten(x), identity);

const close = (got: ArrayLike<number>, want: number[]) =>
  assert.ok(want.every((w, i) => Math.abs(got[i] - w) < 1e-6), `got ${Array.from(got)}, want ${want}`);

Deno.test("flipHorizontal: mirrors each row of each image, channels kept together", () => {
  const x = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]); // 1 image, 2 rows × 2 columns × 2 channels
  assert.deepStrictEqual(Array.from(flipHorizontal(x, [1, 2, 2, 2])), [3, 4, 1, 2, 7, 8, 5, 6]);
  assert.throws(() => flipHorizontal(x, [1, 2, 2, 1]), /8 values, shape \[1,2,2,1\] needs 4/);
});

Deno.test("extractEmbeddings: batches (partial last one), normalises, no tensors left behind", async () => {
  const before = liveTensorCount();
  const { data, dim } = await extractEmbeddings(backend, images, shape, embed, { batchSize: 2, flip: false });
  assert.strictEqual(dim, 2);
  close(data, [1 / Math.sqrt(5), 2 / Math.sqrt(5), 0.6, 0.8, 1, 0]);
  assert.strictEqual(liveTensorCount(), before);
});

Deno.test("extractEmbeddings: flip fusion sums the embeddings of image and mirror, then normalises", async () => {
  const { data } = await extractEmbeddings(backend, images, shape, embed, { batchSize: 3, flip: true });
  // [1,2] + [2,1] = [3,3]; [3,4] + [4,3]; [5,0] + [0,5]: all along the diagonal
  close(data, [Math.SQRT1_2, Math.SQRT1_2, Math.SQRT1_2, Math.SQRT1_2, Math.SQRT1_2, Math.SQRT1_2]);
});

Deno.test("extractEmbeddings: a wrong embed output or batch size is a clear error", async () => {
  await assert.rejects(
    extractEmbeddings(backend, images, shape, (x) => x, { batchSize: 2, flip: false }),
    /embed returned shape \[2,1,2,1\], expected \[2, dim\]/,
  );
  await assert.rejects(extractEmbeddings(backend, images, shape, embed, { batchSize: 0, flip: false }), /batchSize/);
});
