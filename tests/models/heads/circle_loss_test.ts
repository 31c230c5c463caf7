/**
 * The circle-loss head takes its weights α_p, α_n without gradient (FaceX-Zoo's `detach`, the paper's stop-gradient),
 * so the registry-driven finite-difference test skips it; here its gradients w.r.t. embeddings and class weights
 * match finite differences of the objective Σ w·logits with the α held at their values for the unperturbed input.
 */
import assert from "node:assert";
import { ReferenceBackend } from "../../../src/backends/reference/backend.ts";
import { Rng } from "../../../src/core/rng.ts";
import { scope } from "../../../src/core/scope.ts";
import { heads } from "../../../src/models/mod.ts";
import { backward } from "../../../src/ops/backward.ts";
import { mul, reduceSum, tensor } from "../../../src/ops/mod.ts";
import { relativeError } from "../../_util/op_case.ts";
import { hostCosines } from "./_host_cosines.ts";

const [N, D, C] = [4, 6, 3];
const LABELS = [0, 2, 1, 2];
const [GAMMA, M] = [16, 0.25];
const f64 = new ReferenceBackend({ precision: "f64" });

/** Cosines [N·C] of the rows of x [N, D] with the rows of w [C, D]. */
function cosines(x: Float64Array, w: Float64Array): Float64Array {
  return hostCosines(x, w, N, D, C);
}

/** Σ lossWeight·γ·α·(cos − Δ), with α computed from `frozen` cosines. */
function objective(x: Float64Array, w: Float64Array, frozen: Float64Array, lossWeights: Float64Array): number {
  const cos = cosines(x, w);
  let sum = 0;
  for (let i = 0; i < N * C; i++) {
    const target = LABELS[Math.floor(i / C)] === i % C;
    const alpha = target ? Math.max(0, 1 + M - frozen[i]) : Math.max(0, frozen[i] + M);
    sum += lossWeights[i] * GAMMA * alpha * (cos[i] - (target ? 1 - M : M));
  }
  return sum;
}

Deno.test("circle_loss: gradients match finite differences with the detached α held fixed", async () => {
  const rng = new Rng(21, "test-inputs");
  const x = Float64Array.from({ length: N * D }, () => rng.uniform(-2, 2));
  const lossWeights = Float64Array.from({ length: N * C }, () => rng.uniform(0.5, 2.5));
  const head = heads.get("circle_loss").create({ embeddingSize: D, numClasses: C, gamma: GAMMA, m: M }, {
    backend: f64,
    rng: new Rng(3, "init"),
  });
  const weight = head.state().get("weight")!;
  const w = Float64Array.from(await weight.read());
  const xt = tensor(f64, x, [N, D]);
  xt.requiresGrad = true;
  scope(() => {
    const logits = head.forward(xt, tensor(f64, LABELS, [N], "i32")).logits!;
    backward(reduceSum(mul(logits, tensor(f64, lossWeights, [N, C]))));
  });
  const frozen = cosines(x, w);
  const numeric = (values: Float64Array, at: (v: Float64Array) => number) =>
    values.map((_, i) => {
      const plus = values.slice(), minus = values.slice();
      plus[i] += 1e-6;
      minus[i] -= 1e-6;
      return (at(plus) - at(minus)) / 2e-6;
    });
  const errX = relativeError(await xt.grad!.read(), numeric(x, (v) => objective(v, w, frozen, lossWeights)));
  const errW = relativeError(await weight.grad!.read(), numeric(w, (v) => objective(x, v, frozen, lossWeights)));
  assert.ok(errX < 1e-6, `embedding gradient off by ${errX}`);
  assert.ok(errW < 1e-6, `weight gradient off by ${errW}`);
  head.dispose();
});
