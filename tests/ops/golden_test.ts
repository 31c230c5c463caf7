/**
 * Forward values and gradients of conv2d, batch_norm, pooling, softmax cross-entropy, nearest and bilinear
 * upsampling, GELU, layer normalisation and batched matmul against PyTorch (fixtures/golden/ops.json, written by tools/golden_ops.py), on the reference backend and
 * every other backend.
 */
import assert from "node:assert";
import type { Backend } from "../../src/core/backend.ts";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { backward } from "../../src/ops/backward.ts";
import type { Tensor } from "../../src/core/tensor.ts";
import {
  avgPool2d,
  batchedMatmul,
  batchNorm,
  conv2d,
  gelu,
  layerNorm,
  maxPool2d,
  mul,
  reduceSum,
  softmaxCrossEntropy,
  tensor,
  upsampleBilinear2d,
  upsampleNearest2d,
} from "../../src/ops/mod.ts";
import { backendCases, backendTest } from "../_util/backends.ts";
import { relativeError } from "../_util/op_case.ts";

interface Flat {
  shape: number[];
  data: number[];
}
const golden = JSON.parse(await Deno.readTextFile(new URL("../../fixtures/golden/ops.json", import.meta.url)));
const TOLERANCE = 2e-5;

function leaf(backend: Backend, f: Flat | number[], shape?: number[]): Tensor {
  const t = Array.isArray(f) ? tensor(backend, f, shape ?? [f.length]) : tensor(backend, f.data, f.shape);
  t.requiresGrad = true;
  return t;
}

async function expectClose(what: string, got: Tensor | null, want: number[]): Promise<void> {
  assert.ok(got, `${what}: missing`);
  const err = relativeError(await got.toArray(), want);
  assert.ok(err < TOLERANCE, `${what}: differs from PyTorch by ${err}`);
}

/** Backpropagates Σ y·dy, so every input gradient equals PyTorch's y.backward(dy). */
function backpropagate(backend: Backend, y: Tensor, dy: number[]): void {
  backward(reduceSum(mul(y, tensor(backend, dy, y.shape))));
}

const suites: Record<string, (backend: Backend) => Promise<void>> = {
  async conv2d(backend) {
    for (const c of golden.conv2d) {
      const x = leaf(backend, c.x);
      const w = leaf(backend, c.w);
      const y = conv2d(x, w, c.attrs);
      await expectClose(`conv2d ${c.name} y`, y, c.y.data);
      backpropagate(backend, y, c.dy.data);
      await expectClose(`conv2d ${c.name} dx`, x.grad, c.dx);
      await expectClose(`conv2d ${c.name} dw`, w.grad, c.dw);
    }
  },
  async batch_norm(backend) {
    for (const c of golden.batch_norm) {
      const x = leaf(backend, c.x);
      const gamma = leaf(backend, c.gamma);
      const beta = leaf(backend, c.beta);
      const rm = tensor(backend, c.runningMean, [c.gamma.length]);
      const rv = tensor(backend, c.runningVar, [c.gamma.length]);
      const y = batchNorm(x, gamma, beta, rm, rv, c.attrs);
      await expectClose(`batch_norm ${c.name} y`, y, c.y);
      await expectClose(`batch_norm ${c.name} running mean`, rm, c.newRunningMean);
      await expectClose(`batch_norm ${c.name} running var`, rv, c.newRunningVar);
      backpropagate(backend, y, c.dy);
      await expectClose(`batch_norm ${c.name} dx`, x.grad, c.dx);
      await expectClose(`batch_norm ${c.name} dgamma`, gamma.grad, c.dgamma);
      await expectClose(`batch_norm ${c.name} dbeta`, beta.grad, c.dbeta);
    }
  },
  async pooling(backend) {
    for (const c of golden.pool) {
      const x = leaf(backend, c.x);
      const options = {
        kernel: c.attrs.kernel,
        stride: c.attrs.stride,
        padding: c.attrs.padding,
        ceilMode: c.attrs.ceilMode,
      };
      const y = c.kind === "max"
        ? maxPool2d(x, options)
        : avgPool2d(x, { ...options, countIncludePad: c.attrs.countIncludePad });
      assert.deepStrictEqual([...y.shape], c.y.shape, `${c.name}: output shape`);
      await expectClose(`pool ${c.name} y`, y, c.y.data);
      backpropagate(backend, y, c.dy);
      await expectClose(`pool ${c.name} dx`, x.grad, c.dx);
    }
  },
  async softmax_cross_entropy(backend) {
    for (const c of golden.softmax_cross_entropy) {
      const logits = leaf(backend, c.logits);
      const labels = tensor(backend, c.labels, [c.labels.length], "i32");
      const loss = softmaxCrossEntropy(logits, labels, c.smoothing);
      await expectClose(`softmax_cross_entropy ${c.name} loss`, loss, c.loss);
      backpropagate(backend, loss, c.dloss);
      await expectClose(`softmax_cross_entropy ${c.name} dlogits`, logits.grad, c.dlogits);
    }
  },
  async upsample_nearest2d(backend) {
    for (const c of golden.upsample_nearest2d) {
      const x = leaf(backend, c.x);
      const y = upsampleNearest2d(x, c.scale);
      assert.deepStrictEqual([...y.shape], c.y.shape, `${c.name}: output shape`);
      await expectClose(`upsample_nearest2d ${c.name} y`, y, c.y.data);
      backpropagate(backend, y, c.dy);
      await expectClose(`upsample_nearest2d ${c.name} dx`, x.grad, c.dx);
    }
  },
  async upsample_bilinear2d(backend) {
    for (const c of golden.upsample_bilinear2d) {
      const x = leaf(backend, c.x);
      const y = upsampleBilinear2d(x, { size: c.size, alignCorners: c.alignCorners });
      assert.deepStrictEqual([...y.shape], c.y.shape, `${c.name}: output shape`);
      await expectClose(`upsample_bilinear2d ${c.name} y`, y, c.y.data);
      backpropagate(backend, y, c.dy);
      await expectClose(`upsample_bilinear2d ${c.name} dx`, x.grad, c.dx);
    }
  },
  async gelu(backend) {
    for (const c of golden.gelu) {
      const x = leaf(backend, c.x);
      const y = gelu(x);
      await expectClose(`gelu ${c.name} y`, y, c.y);
      backpropagate(backend, y, c.dy);
      await expectClose(`gelu ${c.name} dx`, x.grad, c.dx);
    }
  },
  async layer_norm(backend) {
    for (const c of golden.layer_norm) {
      const x = leaf(backend, c.x);
      const gamma = leaf(backend, c.gamma);
      const beta = leaf(backend, c.beta);
      const y = layerNorm(x, gamma, beta, { eps: c.eps });
      await expectClose(`layer_norm ${c.name} y`, y, c.y);
      backpropagate(backend, y, c.dy);
      await expectClose(`layer_norm ${c.name} dx`, x.grad, c.dx);
      await expectClose(`layer_norm ${c.name} dgamma`, gamma.grad, c.dgamma);
      await expectClose(`layer_norm ${c.name} dbeta`, beta.grad, c.dbeta);
    }
  },
  async batched_matmul(backend) {
    for (const c of golden.batched_matmul) {
      const a = leaf(backend, c.a);
      const b = leaf(backend, c.b);
      const product = batchedMatmul(a, b, c.transposeA, c.transposeB);
      await expectClose(`batched_matmul ${c.name} c`, product, c.c);
      backpropagate(backend, product, c.dc);
      await expectClose(`batched_matmul ${c.name} da`, a.grad, c.da);
      await expectClose(`batched_matmul ${c.name} db`, b.grad, c.db);
    }
  },
};

for (const [op, run] of Object.entries(suites)) {
  Deno.test(`golden: ${op} matches PyTorch on reference`, () => run(new ReferenceBackend()));
  for (const bc of backendCases()) {
    backendTest(bc, `golden: ${op} matches PyTorch on ${bc.label}`, (backend) => run(backend));
  }
}
