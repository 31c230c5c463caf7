/**
 * FaceX-Zoo's RepVGG: parameter counts of A0/B0/B1 (training and deploy form) against the PyTorch re-statement in
 * tools/golden_backbones.py and the published FaceX-Zoo figures; re-parameterisation gives the same eval-mode
 * embeddings as the training form (reference and wasm, BN statistics randomised), with one conv per block.
 */
import assert from "node:assert";
import type { Backend, HostData } from "../../../src/core/backend.ts";
import type { Tensor } from "../../../src/core/tensor.ts";
import type { Backbone } from "../../../src/models/backbones/backbone.ts";
import { ReferenceBackend } from "../../../src/backends/reference/backend.ts";
import { WasmBackend } from "../../../src/backends/wasm/backend.ts";
import { Rng } from "../../../src/core/rng.ts";
import { noGrad } from "../../../src/core/tape.ts";
import { reparameterizeRepVgg, RepVggBackbone } from "../../../src/models/backbones/repvgg.ts";
import { backboneCost, backbones } from "../../../src/models/mod.ts";
import { tensor } from "../../../src/ops/mod.ts";
import { randomizeVectors } from "../../_util/model_state.ts";
import { relativeError } from "../../_util/op_case.ts";

/**
 * `sum(p.numel())` of the PyTorch re-statement (training form, then after folding), and FaceX-Zoo's README
 * figures (THOP params / MACs at 112×112).
 */
const COUNTS = [
  { name: "repvgg_a0", train: 39_944_704, deploy: 39_145_120, params: "39.94", gmacs: "1.55" },
  { name: "repvgg_b0", train: 46_653_696, deploy: 45_174_784, params: "46.65", gmacs: "3.44" },
  { name: "repvgg_b1", train: 106_751_872, deploy: 101_166_336, params: "106.75", gmacs: "13.21" },
];

for (const c of COUNTS) {
  Deno.test(`repvgg: ${c.name} has the re-statement's parameters in both forms and FaceX-Zoo's published counts`, () => {
    const train = backboneCost(backbones.get(c.name));
    const deploy = backboneCost(backbones.get(c.name), { deploy: true });
    assert.strictEqual(train.params, c.train);
    assert.strictEqual(deploy.params, c.deploy);
    assert.strictEqual((train.params / 1e6).toFixed(2), c.params);
    assert.strictEqual((train.thopMacs / 1e9).toFixed(2), c.gmacs);
    assert.notStrictEqual((train.macs / 1e9).toFixed(2), c.gmacs, "the published MACs include THOP's BN terms");
    assert.ok(deploy.macs < train.macs, "folding removes the 1×1 branches' MACs");
  });
}

const SIZE = 32;
const BATCH = 2;
const CASES = [{}, { blocks: [1, 3, 2, 1], widths: [0.25, 0.125, 0.125, 0.125], groups: 2 }];
const BACKENDS: [string, () => Promise<Backend>][] = [
  ["reference", () => Promise.resolve(new ReferenceBackend())],
  ["wasm/2t", () => WasmBackend.create({ threads: 2 })],
];

/** The eval forward of `model` on `x`, read back and freed. */
async function embed(model: Backbone, x: Tensor): Promise<HostData> {
  const y = noGrad(() => model.forward(x));
  const values = await y.read();
  y.dispose();
  return values;
}

for (const [label, create] of BACKENDS) {
  for (const options of CASES) {
    Deno.test({
      name: `repvgg: the deploy form gives the training form's eval embeddings ${JSON.stringify(options)} (${label})`,
      sanitizeOps: false,
      sanitizeResources: false,
      fn: async () => {
        const backend = await create();
        const rng = new Rng(11, "repvgg-test");
        const ctx = { backend, rng: new Rng(11, "init") };
        const model = backbones.get("repvgg_tiny").create({ inputSize: SIZE, ...options }, ctx)
          .eval() as RepVggBackbone;
        const pixels = Float32Array.from({ length: BATCH * SIZE * SIZE * 3 }, () => rng.uniform(-1, 1));
        const x = tensor(backend, pixels, [BATCH, SIZE, SIZE, 3]);
        const before = await embed(model, x);
        randomizeVectors(model, backend, rng);
        const trained = await embed(model, x);
        assert.ok(relativeError(before, trained) > 0.1, "the randomised BN state changes the embeddings");

        const deployed = reparameterizeRepVgg(model, ctx);
        assert.ok(!deployed.training);
        const paths = [...deployed.state().keys()];
        assert.ok(paths.every((p) => !/rbr_(dense|1x1|identity)/.test(p)), "no training branches remain");
        assert.strictEqual(paths.filter((p) => p.endsWith("rbr_reparam.weight")).length, model.blocks().length);
        const folded = await embed(deployed, x);
        const err = relativeError(folded, trained);
        assert.ok(err < 1e-5, `deploy form off by ${err}`);
        assert.throws(() => reparameterizeRepVgg(deployed, ctx), /already in deploy form/);
        model.dispose();
        deployed.dispose();
        x.dispose();
        backend.destroy();
      },
    });
  }
}
