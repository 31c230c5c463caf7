/**
 * Every backbone family against a PyTorch re-statement of its source library (tools/golden_backbones.py, Swin in
 * tools/golden_swin.py): small configurations, PyTorch weights loaded through `load()` in our state order and layout, outputs compared in eval
 * and training mode on the reference backend (float64 and float32).
 */
import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { Rng } from "../../src/core/rng.ts";
import { formatShape } from "../../src/core/shape.ts";
import { noGrad } from "../../src/core/tape.ts";
import type { Tensor } from "../../src/core/tensor.ts";
import { backbones } from "../../src/models/mod.ts";
import { tensor } from "../../src/ops/mod.ts";
import { relativeError } from "../_util/op_case.ts";

interface GoldenCase {
  backbone: string;
  options: Record<string, unknown>;
  state: { name: string; shape: number[]; values: number[] }[];
  input: number[];
  inputShape: number[];
  eval: number[];
  train: number[];
}

/** The fixtures: every family but Swin (tools/golden_backbones.py), Swin (tools/golden_swin.py, same format). */
const cases: GoldenCase[] = [];
for (const file of ["backbones.json", "swin.json"]) {
  const golden = JSON.parse(await Deno.readTextFile(new URL(`../../fixtures/golden/${file}`, import.meta.url)));
  cases.push(...golden.cases);
}

for (const precision of ["f64", "f32"] as const) {
  const backend = new ReferenceBackend({ precision });
  const tolerance = precision === "f64" ? 1e-9 : 1e-4;
  for (const g of cases) {
    const label = `${g.backbone} ${JSON.stringify(g.options)}`;
    Deno.test(`backbone ${label}: matches PyTorch in eval and training mode (reference ${precision})`, async () => {
      const model = backbones.get(g.backbone).create(g.options, { backend, rng: new Rng(1, "init") });
      const own = [...model.state()];
      assert.strictEqual(
        own.length,
        g.state.length,
        `${label}: ${own.length} state entries vs PyTorch's ${g.state.length}`,
      );
      const state = new Map<string, Tensor>();
      own.forEach(([path, t], i) => {
        const theirs = g.state[i];
        assert.deepStrictEqual(
          t.shape,
          theirs.shape,
          `${label}: ${path} ${formatShape(t.shape)} vs PyTorch ${theirs.name} ${formatShape(theirs.shape)}`,
        );
        state.set(path, tensor(backend, theirs.values, theirs.shape, t.dtype));
      });
      model.load(state);
      const x = tensor(backend, g.input, g.inputShape);
      const yEval = noGrad(() => model.eval().forward(x));
      const yTrain = noGrad(() => model.train().forward(x));
      const errEval = relativeError(await yEval.read(), g.eval);
      const errTrain = relativeError(await yTrain.read(), g.train);
      assert.ok(errEval < tolerance, `${label}: eval output off by ${errEval}`);
      assert.ok(errTrain < tolerance, `${label}: training output off by ${errTrain}`);
      for (const t of [...state.values(), x, yEval, yTrain]) t.dispose();
      model.dispose();
    });
  }
}
