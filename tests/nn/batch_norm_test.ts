/**
 * BatchNorm's cached eval-mode fold: computed once and reused while its sources are unchanged (counted kernel
 * calls), recomputed after every kind of in-place write (optimizer steps in eval mode, a training-mode forward,
 * `Module.load`, a checkpoint restore), never cached on the tape, and freed with the model. "Fresh" outputs are the
 * same fold computed by the test with the same ops, so a current cache matches them bit for bit.
 */
import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { KernelProfile } from "../../src/core/kernel_profile.ts";
import { Rng } from "../../src/core/rng.ts";
import { scope } from "../../src/core/scope.ts";
import { noGrad } from "../../src/core/tape.ts";
import { liveTensorCount, type Tensor } from "../../src/core/tensor.ts";
import { backward } from "../../src/ops/backward.ts";
import { add, affine, channelAffinePrelu, div, mul, neg, reduceSum, sqrt, sub, tensor } from "../../src/ops/mod.ts";
import { BatchNorm, Conv2d, PReLU, Sequential } from "../../src/nn/mod.ts";
import { Adamw } from "../../src/train/adamw.ts";
import { restoreTensors } from "../../src/train/checkpoint.ts";
import { Sgd } from "../../src/train/optimizer.ts";
import { readTensors } from "../../src/train/weight_hash.ts";
import { randomizeVectors } from "../_util/model_state.ts";

/** A reference backend whose kernel calls are counted in `profile`. */
function countingBackend(profile: KernelProfile): ReferenceBackend {
  return new class extends ReferenceBackend {
    override readonly kernels = profile.wrap(new ReferenceBackend().kernels);
  }();
}

/** Conv2d (bias) → BatchNorm → PReLU → BatchNorm (no affine) → PReLU: two fused steps, with and without a bias. */
function makeChain(backend: ReferenceBackend, seed: number) {
  const ctx = { backend, rng: new Rng(seed, "init") };
  const layers = [
    new Conv2d(ctx, { inChannels: 3, outChannels: 4, kernel: 3, padding: 1, bias: true }),
    new BatchNorm(ctx, { channels: 4 }),
    new PReLU(ctx, 4),
    new BatchNorm(ctx, { channels: 4, affine: false }),
    new PReLU(ctx, 4),
  ] as const;
  const chain = new Sequential(layers);
  randomizeVectors(chain, backend, new Rng(seed, "batch-norm-test"));
  return { chain: chain.eval(), layers };
}

type Chain = ReturnType<typeof makeChain>;

/** The chain's eval output with every fold computed afresh from the current tensors (the uncached computation). */
function freshForward({ layers: [conv, bn1, act1, bn2, act2] }: Chain, x: Tensor): Tensor {
  const fold = (bn: BatchNorm, bias: Tensor | null) => {
    const scale = div(bn.gamma, sqrt(affine(bn.runningVar, 1, 1e-5)));
    const centred = bias ? sub(bias, bn.runningMean) : neg(bn.runningMean);
    return { scale, shift: add(bn.beta, mul(centred, scale)) };
  };
  return noGrad(() =>
    scope(() => {
      const f1 = fold(bn1, conv.bias);
      const h = channelAffinePrelu(conv.convolve(x), f1.scale, f1.shift, act1.alpha);
      const f2 = fold(bn2, null);
      return channelAffinePrelu(h, f2.scale, f2.shift, act2.alpha);
    })
  );
}

/** The chain's eval forward without recording gradients, read to the host (the output is freed). */
async function evalOutput(chain: Sequential, x: Tensor): Promise<number[]> {
  const y = noGrad(() => scope(() => chain.forward(x)));
  const values = await y.toArray();
  y.dispose();
  return values;
}

/** Asserts that the chain's eval output equals the fresh computation bit for bit, and returns it. */
async function assertFresh(c: Chain, x: Tensor, message: string): Promise<number[]> {
  const expected = freshForward(c, x);
  const actual = await evalOutput(c.chain, x);
  assert.deepStrictEqual(actual, await expected.toArray(), message);
  expected.dispose();
  return actual;
}

function input(backend: ReferenceBackend, seed: number): Tensor {
  const rng = new Rng(seed, "batch-norm-test-input");
  return tensor(backend, Float32Array.from({ length: 2 * 5 * 5 * 3 }, () => rng.uniform(-1, 1)), [2, 5, 5, 3]);
}

Deno.test("batch norm: the eval-mode fold is computed once and reused while its sources are unchanged", async () => {
  const profile = new KernelProfile();
  const backend = countingBackend(profile);
  const c = makeChain(backend, 1);
  const x = input(backend, 1);
  const calls = () => Object.fromEntries(profile.timings().map((t) => [t.kernel, t.calls]));
  profile.reset();
  const first = await evalOutput(c.chain, x);
  const folding = calls();
  for (const op of ["div", "sqrt", "affine", "mul", "add", "sub", "neg"]) {
    assert.ok(folding[op] > 0, `the first forward folds (${op}): ${JSON.stringify(folding)}`);
  }
  profile.reset();
  const second = await evalOutput(c.chain, x);
  assert.deepStrictEqual(second, first);
  assert.deepStrictEqual(calls(), { conv2d: 1, channel_affine_prelu: 2 }, "the second forward reuses both folds");
  await assertFresh(c, x, "the cached fold equals a fresh one");
  // The fold is keyed by the identity of the bias folded in: two biases never written since creation are not confused.
  const bn = c.layers[1];
  const shiftWith = async (values: number[]) => {
    const bias = tensor(backend, values, [4]);
    const shift = await noGrad(() => bn.inferenceAffine(bias).shift).toArray();
    bias.dispose();
    return shift;
  };
  assert.notDeepStrictEqual(await shiftWith([1, 2, 3, 4]), await shiftWith([-1, 0, 1, 2]));
  x.dispose();
  c.chain.dispose();
});

for (const optimizer of ["SGD", "AdamW"] as const) {
  Deno.test(`batch norm: an ${optimizer} step in eval mode (frozen statistics) refreshes the fold`, async () => {
    const backend = new ReferenceBackend();
    const c = makeChain(backend, 2);
    const x = input(backend, 2);
    const params = c.chain.parameters();
    const opt = optimizer === "SGD" ? new Sgd(params) : new Adamw(params, { kind: "adamw" });
    const before = await evalOutput(c.chain, x);
    scope(() => {
      // With gradients recorded through gamma, beta and the conv bias, the fold is on the tape, not cached.
      const { scale, shift } = c.layers[1].inferenceAffine(c.layers[0].bias);
      assert.ok(scale.node !== null && shift.node !== null, "a fold on the tape carries grad nodes");
      opt.zeroGrad();
      backward(reduceSum(c.chain.forward(x)));
      opt.step(0.1);
    });
    const after = await assertFresh(c, x, `the fold follows the ${optimizer} step`);
    assert.notDeepStrictEqual(after, before, "the step changed the output");
    opt.dispose();
    x.dispose();
    c.chain.dispose();
  });
}

Deno.test("batch norm: a training-mode forward that updates the running statistics refreshes the fold", async () => {
  const backend = new ReferenceBackend();
  const c = makeChain(backend, 3);
  const x = input(backend, 3);
  const before = await evalOutput(c.chain, x);
  noGrad(() => scope(() => c.chain.train().forward(x)));
  c.chain.eval();
  const after = await assertFresh(c, x, "the fold follows the running statistics");
  assert.notDeepStrictEqual(after, before, "the running statistics changed");
  x.dispose();
  c.chain.dispose();
});

/** Copies `source`'s tensors into `target` through a checkpoint's restore path. */
async function restoreFrom(target: Sequential, source: Sequential): Promise<void> {
  const entries = (m: Sequential) => [...m.state()].map(([path, tensor]) => ({ path, tensor }));
  const saved = await readTensors(entries(source));
  restoreTensors(entries(target), new Map(saved.map((a) => [a.name, a])), "test");
}

const OVERWRITES: [string, (target: Sequential, source: Sequential) => void | Promise<void>][] = [
  ["loading a state dict", (target, source) => target.load(source.state())],
  ["restoring a checkpoint's tensors", restoreFrom],
];

for (const [[what, overwrite], seed] of OVERWRITES.map((o, i) => [o, 4 + 2 * i] as const)) {
  Deno.test(`batch norm: ${what} refreshes the fold`, async () => {
    const backend = new ReferenceBackend();
    const [c, other] = [makeChain(backend, seed), makeChain(backend, seed + 1)];
    const x = input(backend, seed);
    const before = await evalOutput(c.chain, x);
    await overwrite(c.chain, other.chain);
    const after = await assertFresh(c, x, `the fold follows the new tensors (${what})`);
    assert.deepStrictEqual(after, await evalOutput(other.chain, x));
    assert.notDeepStrictEqual(after, before);
    x.dispose();
    c.chain.dispose();
    other.chain.dispose();
  });
}

Deno.test("batch norm: a cached fold carries no grad node, and disposing the model frees it", async () => {
  const backend = new ReferenceBackend();
  const baseline = liveTensorCount();
  const c = makeChain(backend, 8);
  const x = input(backend, 8);
  await evalOutput(c.chain, x);
  const [conv, bn] = c.layers;
  const cached = noGrad(() => bn.inferenceAffine(conv.bias));
  for (const t of [cached.scale, cached.shift]) {
    assert.ok(t.kept && t.node === null && !t.requiresGrad, "a cached fold is kept and off the tape");
  }
  // Outside noGrad, with the parameters frozen, nothing needs a gradient through the fold: the cache serves it.
  for (const p of c.chain.parameters()) p.tensor.requiresGrad = false;
  assert.strictEqual(bn.inferenceAffine(conv.bias).scale, cached.scale);
  x.dispose();
  c.chain.dispose();
  assert.ok(cached.scale.disposed && cached.shift.disposed);
  assert.strictEqual(liveTensorCount(), baseline, "every tensor of the model, its folds included, was freed");
});
