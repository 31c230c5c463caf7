/**
 * Multi-head self-attention: finite-difference gradients of the input and every weight, backend parity, and the
 * values of a naive per-head host computation in PyTorch's head layout (arcface_torch `Attention`).
 */
import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { Rng } from "../../src/core/rng.ts";
import { noGrad } from "../../src/core/tape.ts";
import { tensor } from "../../src/ops/mod.ts";
import { MultiHeadSelfAttention, multiHeadSelfAttention } from "../../src/nn/mod.ts";
import { testOp } from "../_util/op_case.ts";

/** Inputs x [n, t, d], qkv weight [3d, d], (qkv bias [3d]), proj weight [d, d], proj bias [d]. */
const inputs = (n: number, t: number, d: number, qkvBias: boolean) => [
  { shape: [n, t, d], range: [-2, 2] as [number, number] },
  { shape: [3 * d, d] },
  ...(qkvBias ? [{ shape: [3 * d] }] : []),
  { shape: [d, d] },
  { shape: [d] },
];

testOp("multi_head_self_attention", [
  {
    name: "2 heads, [2, 5, 8], no qkv bias",
    inputs: inputs(2, 5, 8, false),
    run: ([x, qkvWeight, projWeight, projBias]) => multiHeadSelfAttention(x, 2, { qkvWeight, projWeight, projBias }),
  },
  {
    name: "3 heads, [1, 7, 6], qkv bias",
    inputs: inputs(1, 7, 6, true),
    run: ([x, qkvWeight, qkvBias, projWeight, projBias]) =>
      multiHeadSelfAttention(x, 3, { qkvWeight, qkvBias, projWeight, projBias }),
  },
]);

const backend = new ReferenceBackend({ precision: "f64" });

/** Naive attention on the host: per sample and head, softmax(q kᵀ / √hd) v, then the output projection. */
function hostAttention(x: number[], wqkv: number[], wproj: number[], bproj: number[], shape: number[], heads: number) {
  const [n, t, d] = shape;
  const hd = d / heads;
  const out = new Array<number>(n * t * d).fill(0);
  for (let s = 0; s < n; s++) {
    const token = (i: number) => x.slice((s * t + i) * d, (s * t + i + 1) * d);
    // qkv[i][c] for output feature c = part·d + head·hd + j (PyTorch's reshape(B, T, 3, H, hd))
    const qkv = Array.from(
      { length: t },
      (_, i) => Array.from({ length: 3 * d }, (_, c) => token(i).reduce((acc, v, e) => acc + v * wqkv[c * d + e], 0)),
    );
    const mixed = Array.from({ length: t }, () => new Array<number>(d).fill(0));
    for (let h = 0; h < heads; h++) {
      for (let i = 0; i < t; i++) {
        const logits = Array.from({ length: t }, (_, j) => {
          let dot = 0;
          for (let e = 0; e < hd; e++) dot += qkv[i][h * hd + e] * qkv[j][d + h * hd + e];
          return dot / Math.sqrt(hd);
        });
        const max = Math.max(...logits);
        const weights = logits.map((l) => Math.exp(l - max));
        const total = weights.reduce((a, b) => a + b, 0);
        for (let j = 0; j < t; j++) {
          for (let e = 0; e < hd; e++) mixed[i][h * hd + e] += weights[j] / total * qkv[j][2 * d + h * hd + e];
        }
      }
    }
    for (let i = 0; i < t; i++) {
      for (let c = 0; c < d; c++) {
        out[(s * t + i) * d + c] = bproj[c] + mixed[i].reduce((acc, v, e) => acc + v * wproj[c * d + e], 0);
      }
    }
  }
  return out;
}

Deno.test("attention: MultiHeadSelfAttention equals a naive per-head computation; qkv has no bias", async () => {
  const layer = new MultiHeadSelfAttention({ backend, rng: new Rng(4, "init") }, { dim: 8, heads: 4 });
  assert.deepStrictEqual(
    layer.parameters().map((p) => [p.path, p.tensor.shape]),
    [["qkv.weight", [24, 8]], ["proj.weight", [8, 8]], ["proj.bias", [8]]],
  );
  const shape = [2, 6, 8];
  const x = Array.from({ length: 2 * 6 * 8 }, (_, i) => Math.sin(0.37 * i + 0.2) * 2);
  const y = await noGrad(() => layer.forward(tensor(backend, x, shape))).toArray();
  const [wqkv, wproj, bproj] = await Promise.all(layer.parameters().map((p) => p.tensor.toArray()));
  const want = hostAttention(x, wqkv, wproj, bproj, shape, 4);
  const err = Math.max(...y.map((v, i) => Math.abs(v - want[i])));
  assert.ok(err < 1e-12, `differs from the host computation by ${err}`);
  layer.dispose();
});

Deno.test("attention: rejects a width that the heads do not divide", () => {
  assert.throws(
    () => new MultiHeadSelfAttention({ backend, rng: new Rng(4, "init") }, { dim: 10, heads: 4 }),
    /dim 10 is not a multiple of 4 heads/,
  );
});
