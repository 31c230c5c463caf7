import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { tensor } from "../../src/ops/mod.ts";
import { clipGradNorm } from "../../src/train/grad_clip.ts";

const backend = new ReferenceBackend();

function withGrad(grad: number[]) {
  const t = tensor(backend, grad.map(() => 0), [grad.length]);
  t.grad = tensor(backend, grad, [grad.length]);
  return { tensor: t };
}

Deno.test("clipGradNorm: scales every gradient by maxNorm / global norm", async () => {
  const params = [withGrad([3, 0]), withGrad([4]), { tensor: tensor(backend, [1], [1]) }];
  const norm = clipGradNorm(params, 1)!;
  assert.ok(Math.abs((await norm.item()) - 5) < 1e-6);
  const k = 1 / (5 + 1e-6);
  const a = await params[0].tensor.grad!.toArray(), b = await params[1].tensor.grad!.toArray();
  assert.ok(Math.abs(a[0] - 3 * k) < 1e-6 && a[1] === 0 && Math.abs(b[0] - 4 * k) < 1e-6, `${a} ${b}`);
});

Deno.test("clipGradNorm: gradients below the limit are unchanged; no gradients → null", async () => {
  const p = withGrad([0.3, 0.4]);
  const norm = clipGradNorm([p], 5)!;
  assert.ok(Math.abs((await norm.item()) - 0.5) < 1e-6);
  assert.deepStrictEqual(await p.tensor.grad!.toArray(), Array.from(new Float32Array([0.3, 0.4])));
  assert.strictEqual(clipGradNorm([{ tensor: tensor(backend, [1], [1]) }], 1), null);
  assert.throws(() => clipGradNorm([p], 0), /maxNorm must be > 0, got 0/);
});
