/**
 * The shared op test: for each case, a float64 finite-difference gradient check on the reference backend and a
 * forward + backward parity check of every other backend against the float32 reference backend.
 */
import assert from "node:assert";
import type { Backend } from "../../src/core/backend.ts";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { hashString, Rng } from "../../src/core/rng.ts";
import { scope } from "../../src/core/scope.ts";
import { noGrad } from "../../src/core/tape.ts";
import { backward } from "../../src/ops/backward.ts";
import type { Tensor } from "../../src/core/tensor.ts";
import { add, mul, reduceSum, tensor } from "../../src/ops/mod.ts";
import { backendCases, backendTest } from "./backends.ts";

/** How to make one input of a case. */
export interface InputSpec {
  /** shape of the input */
  shape: number[];
  /** element type (default f32) */
  dtype?: "f32" | "i32";
  /** uniform range of random values (default [−1, 1]; for i32, integers in [lo, hi)) */
  range?: [number, number];
  /** explicit values instead of random ones */
  values?: number[];
  /** whether the gradient is checked (default: true for f32) */
  grad?: boolean;
}

/** One test case of an op. */
export interface OpCase {
  /** short description, e.g. "stride 2, padding 1" */
  name: string;
  /** inputs, created on the backend under test */
  inputs: InputSpec[];
  /** the computation; returns the op's output(s) */
  run: (inputs: Tensor[]) => Tensor | Tensor[];
  /** finite-difference step (default 1e-6) */
  step?: number;
}

/** Host values of every input of a case (deterministic per op and case). */
function makeHostInputs(op: string, c: OpCase): Float64Array[] {
  const rng = new Rng(hashString(`${op}/${c.name}`), "test-inputs");
  return c.inputs.map((spec) => {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    if (spec.values) return Float64Array.from(spec.values);
    const [lo, hi] = spec.range ?? (spec.dtype === "i32" ? [0, 2] : [-1, 1]);
    return Float64Array.from({ length: n }, () => spec.dtype === "i32" ? lo + rng.int(hi - lo) : rng.uniform(lo, hi));
  });
}

function upload(backend: Backend, c: OpCase, host: Float64Array[], withGrad: boolean): Tensor[] {
  return c.inputs.map((spec, i) => {
    const t = tensor(backend, spec.dtype === "i32" ? Int32Array.from(host[i]) : host[i], spec.shape, spec.dtype);
    t.requiresGrad = withGrad && spec.dtype !== "i32" && spec.grad !== false;
    return t;
  });
}

function outputsOf(result: Tensor | Tensor[]): Tensor[] {
  return (Array.isArray(result) ? result : [result]).filter((t) => t.dtype === "f32");
}

/** Fixed random weights per output, so the scalar loss Σ w·y exercises every output element. */
function lossWeights(op: string, c: OpCase, outputs: Tensor[]): Float64Array[] {
  const rng = new Rng(hashString(`${op}/${c.name}`), "test-loss-weights");
  return outputs.map((o) => Float64Array.from({ length: o.size }, () => rng.uniform(0.5, 1.5)));
}

/** Runs a case on `backend`: outputs and (with `withGrad`) the input gradients, read to the host. */
async function evaluate(
  backend: Backend,
  op: string,
  c: OpCase,
  host: Float64Array[],
  withGrad: boolean,
): Promise<{ outputs: number[][]; grads: (number[] | null)[] }> {
  const inputs = upload(backend, c, host, withGrad);
  const wantsGrad = inputs.some((t) => t.requiresGrad);
  const outputs = scope(() => {
    const outs = outputsOf(c.run(inputs));
    if (wantsGrad) {
      const weights = lossWeights(op, c, outs);
      const terms = outs.map((o, k) => reduceSum(mul(o, tensor(backend, weights[k], o.shape))));
      backward(terms.reduce((a, b) => add(a, b)));
    }
    return outs;
  });
  const result = {
    outputs: await Promise.all(outputs.map((o) => o.toArray())),
    grads: await Promise.all(inputs.map((t) => (t.grad ? t.grad.toArray() : null))),
  };
  for (const t of [...outputs, ...inputs]) {
    t.grad?.dispose();
    t.dispose();
  }
  return result;
}

/** The scalar loss Σ w·y on the host, without recording gradients. */
async function hostLoss(backend: Backend, op: string, c: OpCase, host: Float64Array[]): Promise<number> {
  const inputs = upload(backend, c, host, false);
  const outs = noGrad(() => scope(() => outputsOf(c.run(inputs))));
  const weights = lossWeights(op, c, outs);
  let loss = 0;
  for (const [k, o] of outs.entries()) {
    const values = await o.read();
    for (let i = 0; i < values.length; i++) loss += values[i] * weights[k][i];
  }
  for (const t of [...outs, ...inputs]) t.dispose();
  return loss;
}

/** Largest |a − b| relative to max(1, max |b|). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.strictEqual(a.length, b.length, `length ${a.length} vs ${b.length}`);
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
    if (Number.isNaN(a[i]) !== Number.isNaN(b[i])) return Infinity;
  }
  return diff / scale;
}

const f64 = new ReferenceBackend({ precision: "f64" });
const f32 = new ReferenceBackend();

async function gradientCheck(op: string, c: OpCase): Promise<void> {
  const host = makeHostInputs(op, c);
  const { grads } = await evaluate(f64, op, c, host, true);
  const h = c.step ?? 1e-6;
  let checked = 0;
  for (const [i, spec] of c.inputs.entries()) {
    if (spec.dtype === "i32" || spec.grad === false) continue;
    const analytic = grads[i];
    assert.ok(analytic, `${op} (${c.name}): input ${i} received no gradient`);
    const numeric = new Float64Array(host[i].length);
    for (let j = 0; j < host[i].length; j++) {
      const saved = host[i][j];
      host[i][j] = saved + h;
      const plus = await hostLoss(f64, op, c, host);
      host[i][j] = saved - h;
      const minus = await hostLoss(f64, op, c, host);
      host[i][j] = saved;
      numeric[j] = (plus - minus) / (2 * h);
    }
    const err = relativeError(analytic!, numeric);
    assert.ok(err < 1e-5, `${op} (${c.name}): input ${i} gradient differs from finite differences by ${err}`);
    checked++;
  }
  assert.ok(checked > 0, `${op} (${c.name}): no input was gradient-checked`);
}

async function parityCheck(op: string, c: OpCase, backend: Backend, tolerance: number, withGrad: boolean) {
  const host = makeHostInputs(op, c);
  const want = await evaluate(f32, op, c, host, withGrad);
  const got = await evaluate(backend, op, c, host, withGrad);
  want.outputs.forEach((w, k) => {
    const err = relativeError(got.outputs[k], w);
    assert.ok(err <= tolerance, `${op} (${c.name}) on ${backend.name}: output ${k} off by ${err}`);
  });
  want.grads.forEach((w, k) => {
    if (!w) return;
    const err = relativeError(got.grads[k]!, w);
    assert.ok(err <= tolerance, `${op} (${c.name}) on ${backend.name}: gradient of input ${k} off by ${err}`);
  });
}

/**
 * Registers the tests of one op: a gradient check per case (when `gradient` is true) and a parity check per case
 * on every backend under test (of the outputs, and with `gradient` also of every input gradient); parity checks on
 * a backend that cannot be created here are registered as ignored.
 */
export function testOp(op: string, cases: OpCase[], options: { gradient: boolean } = { gradient: true }): void {
  for (const c of cases) {
    if (options.gradient) {
      Deno.test(`${op}: gradient matches finite differences (${c.name})`, () => gradientCheck(op, c));
    }
    for (const bc of backendCases()) {
      backendTest(
        bc,
        `${op}: ${bc.label} matches reference (${c.name})`,
        (backend) => parityCheck(op, c, backend, bc.tolerance, options.gradient),
      );
    }
  }
}
