/**
 * Distillation terms (src/losses/distillation.ts): values and gradients against PyTorch float64 golden values
 * (tools/golden_distillation.py) on the reference backend in f64 and f32, finite differences of every term in f64,
 * parity of every backend with the reference, exact zeros when the student equals the teacher, and config checks.
 */
import assert from "node:assert";
import type { Backend } from "../../src/core/backend.ts";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { Rng } from "../../src/core/rng.ts";
import { scope } from "../../src/core/scope.ts";
import { noGrad } from "../../src/core/tape.ts";
import { backward } from "../../src/ops/backward.ts";
import { type DistillationConfig, distillationLoss, distillationSchema } from "../../src/losses/mod.ts";
import { tensor } from "../../src/ops/mod.ts";
import { backendCases, backendTest } from "../_util/backends.ts";
import { relativeError } from "../_util/op_case.ts";

interface GoldenCase {
  config: Record<string, unknown>;
  value: number;
  gradLogits: number[];
  gradEmbeddings: number[];
}

const golden = JSON.parse(await Deno.readTextFile(new URL("../../fixtures/golden/distillation.json", import.meta.url)));
const { n, d, c } = golden.shapes;
const f64 = new ReferenceBackend({ precision: "f64" });

interface Inputs {
  studentLogits: ArrayLike<number>;
  teacherLogits: ArrayLike<number>;
  studentEmbeddings: ArrayLike<number>;
  teacherEmbeddings: ArrayLike<number>;
}

/** The loss and its gradients with respect to the student's logits and embeddings. */
async function lossAndGradients(backend: Backend, config: DistillationConfig, inputs: Inputs) {
  const logits = tensor(backend, inputs.studentLogits, [n, c]);
  const embeddings = tensor(backend, inputs.studentEmbeddings, [n, d]);
  logits.requiresGrad = embeddings.requiresGrad = true;
  const teacher = {
    logits: tensor(backend, inputs.teacherLogits, [n, c]),
    embeddings: tensor(backend, inputs.teacherEmbeddings, [n, d]),
  };
  const loss = scope(() => {
    const l = distillationLoss(config, { logits, embeddings }, teacher);
    backward(l);
    return l;
  });
  const zeros = (size: number) => new Float64Array(size);
  const result = {
    value: await loss.item(),
    gradLogits: logits.grad ? Float64Array.from(await logits.grad.read()) : zeros(n * c),
    gradEmbeddings: embeddings.grad ? Float64Array.from(await embeddings.grad.read()) : zeros(n * d),
  };
  for (const t of [logits, embeddings, logits.grad, embeddings.grad, teacher.logits, teacher.embeddings, loss]) {
    t?.dispose();
  }
  return result;
}

/** The loss alone, without gradients. */
async function lossOnly(config: DistillationConfig, inputs: Inputs): Promise<number> {
  const s = {
    logits: tensor(f64, inputs.studentLogits, [n, c]),
    embeddings: tensor(f64, inputs.studentEmbeddings, [n, d]),
  };
  const t = {
    logits: tensor(f64, inputs.teacherLogits, [n, c]),
    embeddings: tensor(f64, inputs.teacherEmbeddings, [n, d]),
  };
  const value = await noGrad(() => scope(() => distillationLoss(config, s, t))).item();
  for (const x of [s.logits, s.embeddings, t.logits, t.embeddings]) x.dispose();
  return value;
}

for (const [backend, tolerance] of [[f64, 1e-10], [new ReferenceBackend(), 1e-4]] as const) {
  const precision = backend === f64 ? "f64" : "f32";
  for (const g of golden.cases as GoldenCase[]) {
    const label = JSON.stringify(g.config);
    Deno.test(`distillation ${label}: value and gradients match PyTorch (reference ${precision})`, async () => {
      const got = await lossAndGradients(backend, distillationSchema.parse(g.config), golden);
      assert.ok(
        Math.abs(got.value - g.value) <= tolerance * Math.max(1, Math.abs(g.value)),
        `${got.value} vs ${g.value}`,
      );
      const errLogits = relativeError(got.gradLogits, g.gradLogits);
      const errEmbeddings = relativeError(got.gradEmbeddings, g.gradEmbeddings);
      assert.ok(errLogits < tolerance, `logit gradient off by ${errLogits}`);
      assert.ok(errEmbeddings < tolerance, `embedding gradient off by ${errEmbeddings}`);
    });
  }
}

for (const g of golden.cases as GoldenCase[]) {
  Deno.test(`distillation ${JSON.stringify(g.config)}: gradients match finite differences (float64)`, async () => {
    const config = distillationSchema.parse(g.config);
    const got = await lossAndGradients(f64, config, golden);
    const h = 1e-6;
    for (const [key, grad] of [["studentLogits", got.gradLogits], ["studentEmbeddings", got.gradEmbeddings]] as const) {
      const base = Float64Array.from(golden[key] as number[]);
      const numeric = new Float64Array(base.length);
      for (let i = 0; i < base.length; i++) {
        const plus = base.slice(), minus = base.slice();
        plus[i] += h;
        minus[i] -= h;
        numeric[i] = ((await lossOnly(config, { ...golden, [key]: plus })) -
          (await lossOnly(config, { ...golden, [key]: minus }))) / (2 * h);
      }
      const err = relativeError(grad, numeric);
      assert.ok(err < 1e-6, `${key}: gradient off by ${err}`);
    }
  });
}

const ALL_TERMS = distillationSchema.parse({ softTargets: {}, embedding: { metric: "l2" }, relational: {} });

Deno.test("distillation: a student equal to its teacher has zero loss and zero gradient", async () => {
  const same = { ...golden, studentLogits: golden.teacherLogits, studentEmbeddings: golden.teacherEmbeddings };
  for (const config of [ALL_TERMS, distillationSchema.parse({ embedding: {} })]) {
    const got = await lossAndGradients(f64, config, same);
    assert.ok(Math.abs(got.value) < 1e-12, `loss ${got.value}`);
    assert.ok(got.gradLogits.every((v) => Math.abs(v) < 1e-12) && got.gradEmbeddings.every((v) => Math.abs(v) < 1e-12));
  }
});

Deno.test("distillation: defaults follow FaceX-Zoo, at least one term is required, class counts must agree", () => {
  assert.deepStrictEqual(distillationSchema.parse({ softTargets: {}, relational: {} }), {
    softTargets: { weight: 1, temperature: 4 },
    embedding: null,
    relational: { weight: 25 },
  });
  const none = distillationSchema.safeParse({});
  assert.ok(!none.success && /at least one distillation term/.test(none.error.issues[0].message));
  const s = {
    logits: tensor(f64, new Float64Array(n * c), [n, c]),
    embeddings: tensor(f64, new Float64Array(n * d), [n, d]),
  };
  const t = { logits: tensor(f64, new Float64Array(n * (c + 1)), [n, c + 1]), embeddings: s.embeddings };
  assert.throws(() => distillationLoss(ALL_TERMS, s, t), /teacher's head has 5 classes, the student's 4/);
  assert.throws(() => distillationLoss(ALL_TERMS, s, { ...t, logits: null }), /the teacher's head gives no logits/);
});

const random = (seed: string, size: number, spread: number) => {
  const rng = new Rng(seed.length * 7919, "test-inputs");
  return Float64Array.from({ length: size }, () => rng.uniform(-spread, spread));
};
const parityInputs: Inputs = {
  studentLogits: random("sl", n * c, 8),
  teacherLogits: random("tl-x", n * c, 8),
  studentEmbeddings: random("se-xx", n * d, 2),
  teacherEmbeddings: random("te-xxx", n * d, 3),
};

for (const bc of backendCases()) {
  backendTest(bc, `distillation: ${bc.label} matches reference (all terms, value and gradients)`, async (backend) => {
    for (const config of [ALL_TERMS, distillationSchema.parse({ embedding: { metric: "cosine" } })]) {
      const want = await lossAndGradients(new ReferenceBackend(), config, parityInputs);
      const got = await lossAndGradients(backend, config, parityInputs);
      for (const key of ["gradLogits", "gradEmbeddings"] as const) {
        const err = relativeError(got[key], want[key]);
        assert.ok(err <= bc.tolerance, `${key} off by ${err}`);
      }
      assert.ok(Math.abs(got.value - want.value) <= bc.tolerance * Math.max(1, Math.abs(want.value)));
    }
  });
}
