/**
 * arcface_torch's ViT: parameter and MAC counts against the closed form of its layer list (and the README FLOPs,
 * which are ptflops MACs plus the attention products), patch masking (arcface_torch `random_masking`) and
 * training-only stochastic parts, option validation.
 */
import assert from "node:assert";
import { ReferenceBackend } from "../../../src/backends/reference/backend.ts";
import { Rng } from "../../../src/core/rng.ts";
import { noGrad } from "../../../src/core/tape.ts";
import { patchMaskIndices } from "../../../src/models/backbones/vit.ts";
import { backboneCost, backbones } from "../../../src/models/mod.ts";
import { tensor } from "../../../src/ops/mod.ts";

/** arcface_torch's layer list at 112×112, patch 9 (P = 144 tokens), MLP ratio 4, embedding 512. */
function closedForm(d: number, depth: number) {
  const [p, e, hidden, patchTaps] = [144, 512, 4 * d, 9 * 9 * 3];
  const block = { params: 2 * 2 * d + 3 * d * d + d * d + d + d * hidden + hidden + hidden * d + d, macs: 0 };
  // qkv, proj, fc1, fc2 per token, and the two attention products q·kᵀ and attn·v (P·P·D each over all heads)
  block.macs = p * (3 * d * d + d * d + 2 * d * hidden) + 2 * p * p * d;
  const head = { params: p * d * d + 2 * d + d * e + 2 * e, macs: p * d * d + d * e };
  return {
    params: patchTaps * d + d + p * d + d + depth * block.params + 2 * d + head.params,
    macs: p * patchTaps * d + depth * block.macs + head.macs,
  };
}

for (
  const [name, d, depth, publishedGflops] of [["vit_t", 256, 12, "1.5"], ["vit_s", 512, 12, "5.7"], [
    "vit_b",
    512,
    24,
    "11.4",
  ]] as const
) {
  Deno.test(`vit: ${name} has the closed-form parameters and MACs; MACs round to the published ${publishedGflops} G`, () => {
    const cost = backboneCost(backbones.get(name));
    const want = closedForm(d, depth);
    assert.strictEqual(cost.params, want.params);
    assert.strictEqual(cost.macs, want.macs);
    assert.strictEqual((cost.macs / 1e9).toFixed(1), publishedGflops);
  });
}

Deno.test("vit: patch masking keeps ⌊P·(1 − r)⌋ distinct tokens per sample and restores every position", () => {
  const [samples, patches, keep] = [3, 144, Math.floor(144 * (1 - 0.1))];
  assert.strictEqual(keep, 129); // arcface_torch: int(144 * 0.9)
  const { gather, restore } = patchMaskIndices(new Rng(7, "patch-mask"), samples, patches, keep);
  assert.strictEqual(gather.length, samples * keep);
  assert.strictEqual(restore.length, samples * patches);
  for (let s = 0; s < samples; s++) {
    const kept = gather.slice(s * keep, (s + 1) * keep);
    assert.strictEqual(new Set(kept).size, keep);
    assert.ok(kept.every((row) => row >= s * patches && row < (s + 1) * patches), `sample ${s} gathers its own rows`);
    // the kept token in slot k returns to its own position; every other position takes the mask token row
    kept.forEach((row, k) => assert.strictEqual(restore[row], s * keep + k));
    const masked: number[] = restore.slice(s * patches, (s + 1) * patches).filter((r) => r === samples * keep);
    assert.strictEqual(masked.length, patches - keep);
  }
  const again = patchMaskIndices(new Rng(7, "patch-mask"), samples, patches, keep);
  assert.deepStrictEqual(again, { gather, restore });
  assert.notDeepStrictEqual(patchMaskIndices(new Rng(8, "patch-mask"), samples, patches, keep).gather, gather);
});

Deno.test("vit: masking and drop-path act in training only, reproducibly under the seed", async () => {
  const backend = new ReferenceBackend({ precision: "f64" });
  const entry = backbones.get("vit_tiny");
  const x = tensor(backend, Array.from({ length: 4 * 32 * 32 * 3 }, (_, i) => Math.sin(i)), [4, 32, 32, 3]);
  const run = async (options: { maskRatio: number; dropPath: number }, training: boolean) => {
    const model = entry.create({ inputSize: 32, ...options }, { backend, rng: new Rng(3, "init") });
    const y = await noGrad(() => model.train(training).forward(x)).toArray();
    model.dispose();
    return y;
  };
  const off = { maskRatio: 0, dropPath: 0 };
  assert.deepStrictEqual(await run({ maskRatio: 0.3, dropPath: 0.5 }, false), await run(off, false));
  for (const stochastic of [{ maskRatio: 0.3, dropPath: 0 }, { maskRatio: 0, dropPath: 0.5 }]) {
    const y = await run(stochastic, true);
    assert.notDeepStrictEqual(y, await run(off, true), JSON.stringify(stochastic));
    assert.deepStrictEqual(await run(stochastic, true), y, `${JSON.stringify(stochastic)}: same seed, same output`);
  }
});

Deno.test("vit: options are validated with the field named", () => {
  const entry = backbones.get("vit_tiny");
  assert.throws(() => entry.parse({ dim: 30, heads: 4 }), /dim/);
  assert.throws(() => entry.parse({ maskRatio: 1 }), /maskRatio/);
});
