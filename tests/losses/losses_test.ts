/**
 * Losses against PyTorch golden values (tools/golden_heads.py): cross-entropy with and without label smoothing,
 * focal loss per sample and face.evoLVe's batch-mean variant; plus config validation and γ = 0 ≡ CE.
 */
import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { scope } from "../../src/core/scope.ts";
import { backward } from "../../src/ops/backward.ts";
import { createLoss, crossEntropy, focalLoss, lossSchema } from "../../src/losses/mod.ts";
import { tensor } from "../../src/ops/mod.ts";
import { relativeError } from "../_util/op_case.ts";

const golden = JSON.parse(await Deno.readTextFile(new URL("../../fixtures/golden/heads.json", import.meta.url)));
const { n, c } = golden.shapes;

for (const precision of ["f64", "f32"] as const) {
  const backend = new ReferenceBackend({ precision });
  const tolerance = precision === "f64" ? 1e-12 : 1e-5;
  for (const g of golden.losses) {
    const label = JSON.stringify(g.options);
    Deno.test(`loss ${label}: value and gradient match PyTorch (reference ${precision})`, async () => {
      const loss = createLoss(lossSchema.parse(g.options));
      const logits = tensor(backend, golden.lossLogits, [n, c]);
      logits.requiresGrad = true;
      const labels = tensor(backend, golden.labels, [n], "i32");
      const value = scope(() => {
        const l = loss(logits, labels);
        backward(l);
        return l;
      });
      assert.ok(Math.abs((await value.item()) - g.value) < tolerance, `${label}: ${await value.item()} vs ${g.value}`);
      const err = relativeError(await logits.grad!.read(), g.gradLogits);
      assert.ok(err < tolerance, `${label}: gradient off by ${err}`);
      for (const t of [logits, logits.grad!, labels, value]) t.dispose();
    });
  }
}

Deno.test("loss: focal with γ = 0 is cross-entropy in both modes", async () => {
  const backend = new ReferenceBackend({ precision: "f64" });
  const logits = tensor(backend, golden.lossLogits, [n, c]);
  const labels = tensor(backend, golden.labels, [n], "i32");
  const ce = await crossEntropy(logits, labels).item();
  for (const mode of ["sample", "batch"] as const) {
    assert.ok(Math.abs((await focalLoss(logits, labels, 0, mode).item()) - ce) < 1e-12, mode);
  }
});

Deno.test("loss: config validation names the field", () => {
  assert.deepStrictEqual(lossSchema.parse({ kind: "focal" }), { kind: "focal", gamma: 2, mode: "sample" });
  const bad = lossSchema.safeParse({ kind: "cross_entropy", smoothing: 1.5 });
  assert.ok(!bad.success && bad.error.issues[0].path.join(".") === "smoothing");
});
