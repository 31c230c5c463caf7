/**
 * Epilogue fusion: which layer runs fuse (counted on the shape backend), the fused eval forward of every tiny backbone
 * against the unfused one (reference and wasm), conv-bias folding, and the fused training step bit-identical to the
 * unfused one (wasm: outputs, every parameter gradient, running statistics).
 */
import assert from "node:assert";
import type { Backend } from "../../src/core/backend.ts";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { WasmBackend } from "../../src/backends/wasm/backend.ts";
import { Rng } from "../../src/core/rng.ts";
import { scope } from "../../src/core/scope.ts";
import { noGrad } from "../../src/core/tape.ts";
import type { Tensor } from "../../src/core/tensor.ts";
import { ShapeBackend } from "../../src/backends/shape/backend.ts";
import { backbones } from "../../src/models/mod.ts";
import { backward } from "../../src/ops/backward.ts";
import { mul, reduceSum, tensor, zeros } from "../../src/ops/mod.ts";
import { BatchNorm, Conv2d, PReLU, Sequential, unfused } from "../../src/nn/mod.ts";
import { randomizeVectors } from "../_util/model_state.ts";
import { relativeError } from "../_util/op_case.ts";
import { tinyTestOptions } from "../_util/tiny_options.ts";

const SIZE = 32;
const BATCH = 2;

/** Kernel calls of one forward pass on the shape backend, by op. */
function countCalls(entry: string, mode: "train" | "eval" | "eval-unfused"): Record<string, number> {
  const backend = new ShapeBackend();
  const counts: Record<string, number> = { batch_norm: 0, batch_norm_prelu: 0, channel_affine_prelu: 0, prelu: 0 };
  const table = backend.kernels as unknown as Record<string, (i: unknown, o: unknown, a: unknown) => void>;
  for (const op of Object.keys(counts)) {
    const kernel = table[op];
    table[op] = (i, o, a) => {
      counts[op]++;
      kernel(i, o, a);
    };
  }
  const model = backbones.get(entry).create(tinyTestOptions(entry, SIZE), {
    backend,
    rng: new Rng(0, "init"),
    initialize: false,
  });
  model.train(mode === "train");
  const run = () => scope(() => model.forward(zeros(backend, [BATCH, SIZE, SIZE, 3])));
  noGrad(() => mode === "eval-unfused" ? unfused(run) : run());
  model.dispose();
  return counts;
}

for (const entry of backbones.list("tiny")) {
  Deno.test(`epilogue ${entry.name}: eval and training modes fuse each BatchNorm → PReLU, unfused() does not`, () => {
    const train = countCalls(entry.name, "train");
    const plain = countCalls(entry.name, "eval-unfused");
    const fused = countCalls(entry.name, "eval");
    assert.strictEqual(plain.channel_affine_prelu + plain.batch_norm_prelu, 0);
    assert.strictEqual(fused.prelu + fused.channel_affine_prelu, plain.prelu, "every fused step replaces a prelu");
    assert.strictEqual(fused.batch_norm + fused.channel_affine_prelu, plain.batch_norm, "and a batch_norm");
    assert.deepStrictEqual(
      train,
      { ...fused, batch_norm_prelu: fused.channel_affine_prelu, channel_affine_prelu: 0 },
      "training fuses the same pairs, as batch_norm_prelu",
    );
    if (entry.tags.includes("mobilefacenet") || entry.tags.includes("iresnet") || entry.tags.includes("ir")) {
      assert.ok(fused.channel_affine_prelu > 0, `${entry.name}: nothing was fused`);
    }
  });
}

const backends: [string, () => Promise<Backend>][] = [
  ["reference", () => Promise.resolve(new ReferenceBackend())],
  ["wasm/2t", () => WasmBackend.create({ threads: 2 })],
];

for (const [label, create] of backends) {
  for (const entry of backbones.list("tiny")) {
    Deno.test({
      name: `epilogue ${entry.name}: fused eval forward matches the unfused one (${label})`,
      sanitizeOps: false,
      sanitizeResources: false,
      fn: async () => {
        const backend = await create();
        const rng = new Rng(3, "epilogue-test");
        const model = entry.create(tinyTestOptions(entry.name, SIZE), { backend, rng: new Rng(3, "init") }).eval();
        randomizeVectors(model, backend, rng);
        const pixels = Float32Array.from({ length: BATCH * SIZE * SIZE * 3 }, () => rng.uniform(-1, 1));
        const x = tensor(backend, pixels, [BATCH, SIZE, SIZE, 3]);
        const [fused, plain] = noGrad(() => scope(() => [model.forward(x), unfused(() => model.forward(x))]));
        const err = relativeError(await fused.read(), await plain.read());
        assert.ok(err < 1e-5, `${entry.name}: fused eval output off by ${err}`);
        for (const t of [x, fused, plain]) t.dispose();
        model.dispose();
        backend.destroy();
      },
    });
  }
}

Deno.test("epilogue: a Conv2d bias folds into the shift; training mode gives the layers' values", async () => {
  const backend = new ReferenceBackend({ precision: "f64" });
  const make = () => {
    const ctx = { backend, rng: new Rng(4, "init") };
    const layers = [
      new Conv2d(ctx, { inChannels: 3, outChannels: 5, kernel: 3, padding: 1, bias: true }),
      new BatchNorm(ctx, { channels: 5 }),
      new PReLU(ctx, 5),
    ] as const;
    const chain = new Sequential(layers);
    randomizeVectors(chain, backend, new Rng(4, "epilogue-test"));
    return { chain, layers };
  };
  const a = make();
  const b = make();
  const rng = new Rng(5, "epilogue-test");
  const x = tensor(backend, Float64Array.from({ length: 2 * 6 * 6 * 3 }, () => rng.uniform(-1, 1)), [2, 6, 6, 3]);
  const read = async (t: Tensor) => Array.from(await t.read());
  // Training: the chain gives exactly the layers' values in turn (output and running-statistics update).
  const [conv, bn, act] = b.layers;
  assert.deepStrictEqual(
    await read(noGrad(() => a.chain.forward(x))),
    await read(noGrad(() => act.forward(bn.forward(conv.forward(x))))),
  );
  assert.deepStrictEqual(await read(a.layers[1].runningVar), await read(bn.runningVar));
  // Eval: one fused call with the conv bias folded in, equal to the unfused chain up to rounding.
  a.chain.eval();
  const fused = await read(noGrad(() => a.chain.forward(x)));
  const plain = await read(noGrad(() => unfused(() => a.chain.forward(x))));
  assert.ok(relativeError(fused, plain) < 1e-12, `fused conv-bias epilogue off by ${relativeError(fused, plain)}`);
  assert.ok((await read(conv.bias!)).some((v) => v !== 0), "the bias under test is not zero");
  for (const m of [a.chain, b.chain]) m.dispose();
});

/** Output, every parameter gradient and every buffer after one training forward + backward of `entry`, as bits. */
async function trainingStep(backend: Backend, entry: string, fused: boolean): Promise<Map<string, Float32Array>> {
  const rng = new Rng(6, "epilogue-test");
  const model = backbones.get(entry).create(tinyTestOptions(entry, SIZE), { backend, rng: new Rng(6, "init") });
  randomizeVectors(model, backend, rng);
  const x = tensor(backend, Float32Array.from({ length: BATCH * SIZE * SIZE * 3 }, () => rng.uniform(-1, 1)), [
    BATCH,
    SIZE,
    SIZE,
    3,
  ]);
  const run = () =>
    scope(() => {
      const y = model.forward(x);
      backward(reduceSum(mul(y, y)));
      return y;
    });
  const y = fused ? run() : unfused(run);
  const out = new Map([["output", Float32Array.from(await y.read())]]);
  for (const { path, tensor: t } of model.parameters()) {
    out.set(`grad ${path}`, Float32Array.from(await t.grad!.read()));
  }
  for (const { path, tensor: t } of model.buffers()) out.set(path, Float32Array.from(await t.read()));
  for (const { tensor: t } of model.parameters()) t.grad?.dispose();
  for (const t of [x, y]) t.dispose();
  model.dispose();
  return out;
}

// Committed weight hashes were recorded with BatchNorm and PReLU as separate ops: the fused training step must keep
// every bit of them.
for (
  const entry of backbones.list("tiny").filter((e) =>
    ["mobilefacenet", "iresnet", "ir"].some((t) => e.tags.includes(t))
  )
) {
  Deno.test({
    name: `epilogue ${entry.name}: the fused training step is bit-identical to the unfused one (wasm/2t)`,
    sanitizeOps: false,
    sanitizeResources: false,
    fn: async () => {
      const backend = await WasmBackend.create({ threads: 2 });
      try {
        const fused = await trainingStep(backend, entry.name, true);
        const plain = await trainingStep(backend, entry.name, false);
        assert.deepStrictEqual([...fused.keys()], [...plain.keys()]);
        for (const [key, values] of plain) {
          assert.deepStrictEqual(fused.get(key), values, `${entry.name}: ${key} differs`);
        }
      } finally {
        backend.destroy();
      }
    },
  });
}
