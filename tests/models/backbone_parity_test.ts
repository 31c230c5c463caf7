/**
 * Registry-driven backend parity of whole backbones: every `tiny` preset runs one training-mode forward and backward
 * (of Σ w·y, dropout on) at 32×32, batch 8 (noise images, each with its own contrast and brightness), on each backend under test with the reference backend's initial weights,
 * and its output and every parameter gradient match the reference backend within the backend case's tolerance.
 * Why 32×32 and batch 8: at 16×16 the last maps are 1×1, and training-mode BatchNorm over so few values amplifies
 * float32 rounding (to ~1e-3 relative over 2 values, ~1e-4 over 8 in Light CNN's deep MFM stack), past the tolerance
 * on every backend; at 32×32 no gradient comes near it.
 */
import assert from "node:assert";
import type { Backend, HostData } from "../../src/core/backend.ts";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { Rng } from "../../src/core/rng.ts";
import { scope } from "../../src/core/scope.ts";
import { backward } from "../../src/ops/backward.ts";
import { backbones } from "../../src/models/mod.ts";
import type { Backbone } from "../../src/models/backbones/backbone.ts";
import type { Registered } from "../../src/models/registry.ts";
import type { ModuleContext } from "../../src/nn/module.ts";
import { mul, reduceSum, tensor } from "../../src/ops/mod.ts";
import { backendCases, backendTest } from "../_util/backends.ts";
import { relativeError } from "../_util/op_case.ts";
import { tinyTestOptions } from "../_util/tiny_options.ts";

const SIZE = 32;
const BATCH = 8;
const reference = new ReferenceBackend();

/** A registered backbone preset. */
type BackboneEntry = Registered<ModuleContext, Backbone>;

/** Output and parameter gradients of one step, by name ("output" or the parameter path). */
type StepResult = Map<string, HostData>;

/** One forward + backward of Σ w·y on `backend`, from `weights` (the reference initialisation) when given. */
async function step(
  entry: BackboneEntry,
  backend: Backend,
  weights?: ReadonlyMap<string, HostData>,
): Promise<{ result: StepResult; weights: Map<string, HostData> }> {
  const model = entry.create(tinyTestOptions(entry.name, SIZE), { backend, rng: new Rng(3, "init") });
  if (weights) {
    model.load(
      new Map([...model.state()].map(([path, t]) => [path, tensor(backend, weights.get(path)!, t.shape, t.dtype)])),
    );
  }
  const initial = new Map<string, HostData>();
  for (const [path, t] of model.state()) initial.set(path, await t.read());
  const data = new Rng(3, "data");
  const pixels = Float32Array.from({ length: BATCH * SIZE * SIZE * 3 }, () => data.uniform(-1, 1));
  const w = tensor(backend, Float32Array.from({ length: BATCH * 512 }, () => data.uniform(0.5, 1.5)), [BATCH, 512]);
  withImageContrast(pixels, data);
  const x = tensor(backend, pixels, [BATCH, SIZE, SIZE, 3]);
  const y = scope(() => {
    const out = model.forward(x);
    backward(reduceSum(mul(out, w)));
    return out;
  });
  const result: StepResult = new Map([["output", await y.read()]]);
  for (const p of model.parameters()) {
    assert.ok(p.tensor.grad, `${entry.name}: ${p.path} received no gradient on ${backend.name}`);
    result.set(p.path, await p.tensor.grad.read());
  }
  for (const t of [x, w, y]) t.dispose();
  model.dispose();
  return { result, weights: initial };
}

/**
 * Gives each image of the batch its own contrast a ∈ [0.5, 1] and brightness b ∈ [−0.5, 0.5] (x ← a·x + b), as real
 * images differ. With i.i.d. noise alone, per-image global averages are almost equal across the batch, so a
 * training-mode BatchNorm on pooled features (ResNeSt's split-attention gate) divides by a batch deviation near zero
 * and turns float32 rounding into ~4e-3 relative gradient differences between equally correct backends.
 */
function withImageContrast(pixels: Float32Array, rng: Rng): void {
  const perImage = pixels.length / BATCH;
  for (let n = 0; n < BATCH; n++) {
    const a = rng.uniform(0.5, 1), b = rng.uniform(-0.5, 0.5);
    for (let i = n * perImage; i < (n + 1) * perImage; i++) pixels[i] = a * pixels[i] + b;
  }
}

const referenceSteps = new Map<string, ReturnType<typeof step>>();

/** The reference backend's step of `entry`, computed once per module. */
function referenceStep(entry: BackboneEntry): ReturnType<typeof step> {
  let s = referenceSteps.get(entry.name);
  if (!s) {
    s = step(entry, reference);
    referenceSteps.set(entry.name, s);
  }
  return s;
}

for (const entry of backbones.list("tiny")) {
  for (const bc of backendCases()) {
    backendTest(
      bc,
      `backbone ${entry.name}: output and every parameter gradient match reference on ${bc.label}`,
      async (backend) => {
        const ref = await referenceStep(entry);
        const got = (await step(entry, backend, ref.weights)).result;
        assert.deepStrictEqual([...got.keys()], [...ref.result.keys()]);
        for (const [name, expected] of ref.result) {
          const err = relativeError(got.get(name)!, expected);
          assert.ok(
            err <= bc.tolerance,
            `${entry.name} on ${bc.label}: ${name} off by ${err} (tolerance ${bc.tolerance})`,
          );
        }
      },
    );
  }
}
